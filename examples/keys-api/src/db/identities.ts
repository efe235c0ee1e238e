import type Database from "better-sqlite3";
import type { Identity, Page } from "./types";
import { decodeCursor, encodeCursor, fromJson, newId, now, toJson } from "./util";

interface Row {
  id: string;
  workspace_id: string;
  external_id: string;
  meta: string | null;
  created_at: number;
}

function toIdentity(r: Row): Identity {
  const identity: Identity = { id: r.id, workspaceId: r.workspace_id, externalId: r.external_id, createdAt: r.created_at };
  if (r.meta !== null) identity.meta = fromJson(r.meta);
  return identity;
}

export class Identities {
  constructor(private readonly db: Database.Database) {}

  create(workspaceId: string, externalId: string, meta?: Record<string, unknown>): Identity {
    const id = newId("id");
    this.db
      .prepare("INSERT INTO identities (id, workspace_id, external_id, meta, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(id, workspaceId, externalId, toJson(meta), now());
    return this.get(workspaceId, id)!;
  }

  get(workspaceId: string, id: string): Identity | undefined {
    const row = this.db.prepare("SELECT * FROM identities WHERE id = ? AND workspace_id = ?").get(id, workspaceId) as Row | undefined;
    return row && toIdentity(row);
  }

  byExternalId(workspaceId: string, externalId: string): Identity | undefined {
    const row = this.db.prepare("SELECT * FROM identities WHERE external_id = ? AND workspace_id = ?").get(externalId, workspaceId) as Row | undefined;
    return row && toIdentity(row);
  }

  /** v2 names an identity by id or externalId in one field; ids win. */
  resolve(workspaceId: string, idOrExternalId: string): Identity | undefined {
    return this.get(workspaceId, idOrExternalId) ?? this.byExternalId(workspaceId, idOrExternalId);
  }

  /** The identity for an externalId, created on first use: keys link to identities this way. */
  ensure(workspaceId: string, externalId: string): Identity {
    return this.byExternalId(workspaceId, externalId) ?? this.create(workspaceId, externalId);
  }

  setMeta(id: string, meta: Record<string, unknown> | undefined): void {
    this.db.prepare("UPDATE identities SET meta = ?, updated_at = ? WHERE id = ?").run(toJson(meta), now(), id);
  }

  delete(id: string): void {
    this.db.prepare("DELETE FROM identities WHERE id = ?").run(id);
  }

  list(workspaceId: string, options: { limit: number; cursor?: string; search?: string }): Page<Identity> {
    const params: unknown[] = [workspaceId, decodeCursor(options.cursor)];
    let where = "workspace_id = ? AND id > ?";
    if (options.search) {
      where += " AND instr(external_id, ?) > 0";
      params.push(options.search);
    }
    const rows = this.db.prepare(`SELECT * FROM identities WHERE ${where} ORDER BY id LIMIT ?`).all(...params, options.limit + 1) as Row[];
    const items = rows.slice(0, options.limit).map(toIdentity);
    return rows.length > options.limit ? { items, cursor: encodeCursor(items[items.length - 1]!.id) } : { items };
  }

  count(workspaceId: string): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM identities WHERE workspace_id = ?").get(workspaceId) as { n: number }).n;
  }
}
