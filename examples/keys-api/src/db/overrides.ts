import type Database from "better-sqlite3";
import type { Override, Page } from "./types";
import { decodeCursor, encodeCursor, newId, now } from "./util";

interface Row {
  id: string;
  namespace_id: string;
  identifier: string;
  limit: number;
  duration: number;
}

const toOverride = (r: Row): Override => ({ id: r.id, namespaceId: r.namespace_id, identifier: r.identifier, limit: r.limit, duration: r.duration });

/** Ratelimit namespaces and their per-identifier overrides. */
export class Overrides {
  constructor(private readonly db: Database.Database) {}

  /** A namespace by id or name. */
  namespace(workspaceId: string, idOrName: string): { id: string; name: string } | undefined {
    return this.db
      .prepare("SELECT id, name FROM ratelimit_namespaces WHERE workspace_id = ? AND (id = ? OR name = ?) ORDER BY id = ? DESC LIMIT 1")
      .get(workspaceId, idOrName, idOrName, idOrName) as { id: string; name: string } | undefined;
  }

  /** Namespaces are created on first use, as Unkey does when a ratelimit names a new one. */
  ensureNamespace(workspaceId: string, name: string): { id: string; name: string } {
    const existing = this.namespace(workspaceId, name);
    if (existing) return existing;
    const id = newId("rlns");
    this.db.prepare("INSERT INTO ratelimit_namespaces (id, workspace_id, name) VALUES (?, ?, ?)").run(id, workspaceId, name);
    return { id, name };
  }

  /** Create or replace the override for an identifier; its id survives replacement. */
  set(namespaceId: string, o: { identifier: string; limit: number; duration: number }): Override {
    const existing = this.get(namespaceId, o.identifier);
    const id = existing?.id ?? newId("rlor");
    this.db
      .prepare(
        `INSERT INTO ratelimit_overrides (id, namespace_id, identifier, "limit", duration, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (namespace_id, identifier) DO UPDATE SET "limit" = excluded."limit", duration = excluded.duration`,
      )
      .run(id, namespaceId, o.identifier, o.limit, o.duration, now());
    return { id, namespaceId, ...o };
  }

  get(namespaceId: string, identifier: string): Override | undefined {
    const row = this.db
      .prepare('SELECT id, namespace_id, identifier, "limit", duration FROM ratelimit_overrides WHERE namespace_id = ? AND identifier = ?')
      .get(namespaceId, identifier) as Row | undefined;
    return row && toOverride(row);
  }

  delete(id: string): void {
    this.db.prepare("DELETE FROM ratelimit_overrides WHERE id = ?").run(id);
  }

  list(namespaceId: string, options: { limit: number; cursor?: string }): Page<Override> {
    const rows = this.db
      .prepare('SELECT id, namespace_id, identifier, "limit", duration FROM ratelimit_overrides WHERE namespace_id = ? AND id > ? ORDER BY id LIMIT ?')
      .all(namespaceId, decodeCursor(options.cursor), options.limit + 1) as Row[];
    const items = rows.slice(0, options.limit).map(toOverride);
    return rows.length > options.limit ? { items, cursor: encodeCursor(items[items.length - 1]!.id) } : { items };
  }

  count(namespaceId: string): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM ratelimit_overrides WHERE namespace_id = ?").get(namespaceId) as { n: number }).n;
  }
}
