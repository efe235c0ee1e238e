import type Database from "better-sqlite3";
import type { Api, Workspace } from "./types";
import { bit, hashKey, newId, now } from "./util";

interface ApiRow {
  id: string;
  workspace_id: string;
  name: string;
  delete_protection: number;
  created_at: number;
}

const toApi = (r: ApiRow): Api => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  deleteProtection: r.delete_protection === 1,
  createdAt: r.created_at,
});

/** Workspaces, their root keys, and their APIs: the tenancy every other table hangs off. */
export class Workspaces {
  constructor(private readonly db: Database.Database) {}

  create(name: string, id = newId("ws")): Workspace {
    const ws = { id, name, createdAt: now() };
    this.db.prepare("INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)").run(ws.id, ws.name, ws.createdAt);
    return ws;
  }

  get(id: string): Workspace | undefined {
    const row = this.db.prepare("SELECT id, name, created_at FROM workspaces WHERE id = ?").get(id) as
      { id: string; name: string; created_at: number } | undefined;
    return row && { id: row.id, name: row.name, createdAt: row.created_at };
  }

  /** Store a root key by hash; the plaintext is the caller's to keep. */
  addRootKey(workspaceId: string, plaintext: string, name?: string): string {
    const id = newId("rk");
    this.db
      .prepare("INSERT INTO root_keys (id, workspace_id, hash, start, name, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(id, workspaceId, hashKey(plaintext), plaintext.slice(0, 10), name ?? null, now());
    return id;
  }

  /** The workspace a root key belongs to, or undefined for an unknown key. */
  byRootKey(plaintext: string): string | undefined {
    const row = this.db.prepare("SELECT workspace_id FROM root_keys WHERE hash = ?").get(hashKey(plaintext)) as { workspace_id: string } | undefined;
    return row?.workspace_id;
  }

  createApi(workspaceId: string, name: string, options: { id?: string; deleteProtection?: boolean } = {}): Api {
    const api: Api = { id: options.id ?? newId("api"), workspaceId, name, deleteProtection: options.deleteProtection ?? false, createdAt: now() };
    this.db
      .prepare("INSERT INTO apis (id, workspace_id, name, delete_protection, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(api.id, workspaceId, name, bit(api.deleteProtection), api.createdAt);
    return api;
  }

  /** An API of this workspace; other workspaces' APIs do not exist for it. */
  getApi(workspaceId: string, apiId: string): Api | undefined {
    const row = this.db.prepare("SELECT * FROM apis WHERE id = ? AND workspace_id = ?").get(apiId, workspaceId) as ApiRow | undefined;
    return row && toApi(row);
  }

  /** Any workspace's API: for the compatibility layer, which only sees ids. */
  findApi(apiId: string): Api | undefined {
    const row = this.db.prepare("SELECT * FROM apis WHERE id = ?").get(apiId) as ApiRow | undefined;
    return row && toApi(row);
  }

  /** Deleting an API deletes its keys (the schema cascades). */
  deleteApi(apiId: string): void {
    this.db.prepare("DELETE FROM apis WHERE id = ?").run(apiId);
  }
}
