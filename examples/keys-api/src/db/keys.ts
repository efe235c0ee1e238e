import type Database from "better-sqlite3";
import type { Credits, KeyRecord, Page } from "./types";
import { bit, decodeCursor, encodeCursor, fromJson, now, toJson } from "./util";

interface KeyRow {
  id: string;
  workspace_id: string;
  api_id: string;
  start: string;
  name: string | null;
  identity_id: string | null;
  meta: string | null;
  expires: number | null;
  credits_remaining: number | null;
  refill_interval: "daily" | "monthly" | null;
  refill_amount: number | null;
  refill_day: number | null;
  last_refill_at: number | null;
  enabled: number;
  plaintext: string | null;
  created_at: number;
  updated_at: number | null;
  last_used_at: number | null;
}

function toKey(r: KeyRow): KeyRecord {
  const key: KeyRecord = { id: r.id, workspaceId: r.workspace_id, apiId: r.api_id, start: r.start, enabled: r.enabled === 1, createdAt: r.created_at };
  if (r.name !== null) key.name = r.name;
  if (r.identity_id !== null) key.identityId = r.identity_id;
  if (r.meta !== null) key.meta = fromJson(r.meta);
  if (r.expires !== null) key.expires = r.expires;
  if (r.credits_remaining !== null || r.refill_interval !== null) {
    key.credits = { remaining: r.credits_remaining };
    if (r.refill_interval !== null) {
      key.credits.refill = { interval: r.refill_interval, amount: r.refill_amount ?? 0 };
      if (r.refill_day !== null) key.credits.refill.refillDay = r.refill_day;
      if (r.last_refill_at !== null) key.credits.refill.lastRefillAt = r.last_refill_at;
    }
  }
  if (r.plaintext !== null) key.plaintext = r.plaintext;
  if (r.updated_at !== null) key.updatedAt = r.updated_at;
  if (r.last_used_at !== null) key.lastUsedAt = r.last_used_at;
  return key;
}

function creditColumns(credits: Credits | undefined): Record<string, unknown> {
  const refill = credits?.refill;
  return {
    credits_remaining: credits?.remaining ?? null,
    refill_interval: refill?.interval ?? null,
    refill_amount: refill?.amount ?? null,
    refill_day: refill?.refillDay ?? null,
    last_refill_at: refill?.lastRefillAt ?? null,
  };
}

/** A key as inserted: the stored record without its timestamps, plus the hash of its secret. */
export type NewKey = Omit<KeyRecord, "createdAt" | "updatedAt" | "lastUsedAt"> & { hash: string };

/** What `update` may change; `null` clears a field. */
export interface KeyPatch {
  name?: string | null;
  identityId?: string | null;
  meta?: Record<string, unknown> | null;
  expires?: number | null;
  credits?: Credits | null;
  enabled?: boolean;
  lastUsedAt?: number;
}

const LIVE = "deleted_at IS NULL";

export class Keys {
  constructor(private readonly db: Database.Database) {}

  insert(k: NewKey): KeyRecord {
    const createdAt = now();
    const cols: Record<string, unknown> = {
      id: k.id,
      workspace_id: k.workspaceId,
      api_id: k.apiId,
      hash: k.hash,
      start: k.start,
      name: k.name ?? null,
      identity_id: k.identityId ?? null,
      meta: toJson(k.meta),
      expires: k.expires ?? null,
      ...creditColumns(k.credits),
      enabled: bit(k.enabled),
      plaintext: k.plaintext ?? null,
      created_at: createdAt,
    };
    const names = Object.keys(cols);
    this.db.prepare(`INSERT INTO keys (${names.join(", ")}) VALUES (${names.map((n) => `@${n}`).join(", ")})`).run(cols);
    return this.find(k.id)!;
  }

  /** A live key of this workspace. */
  get(workspaceId: string, keyId: string): KeyRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM keys WHERE id = ? AND workspace_id = ? AND ${LIVE}`).get(keyId, workspaceId) as KeyRow | undefined;
    return row && toKey(row);
  }

  /** A live key of any workspace, by id. */
  find(keyId: string): KeyRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM keys WHERE id = ? AND ${LIVE}`).get(keyId) as KeyRow | undefined;
    return row && toKey(row);
  }

  byHash(hash: string): KeyRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM keys WHERE hash = ? AND ${LIVE}`).get(hash) as KeyRow | undefined;
    return row && toKey(row);
  }

  update(keyId: string, patch: KeyPatch): void {
    const cols: Record<string, unknown> = {};
    if (patch.name !== undefined) cols.name = patch.name;
    if (patch.identityId !== undefined) cols.identity_id = patch.identityId;
    if (patch.meta !== undefined) cols.meta = toJson(patch.meta);
    if (patch.expires !== undefined) cols.expires = patch.expires;
    if (patch.credits !== undefined) Object.assign(cols, creditColumns(patch.credits ?? undefined));
    if (patch.enabled !== undefined) cols.enabled = bit(patch.enabled);
    if (patch.lastUsedAt !== undefined) cols.last_used_at = patch.lastUsedAt;
    else cols.updated_at = now();
    const sets = Object.keys(cols).map((c) => `${c} = @${c}`);
    this.db.prepare(`UPDATE keys SET ${sets.join(", ")} WHERE id = @id`).run({ ...cols, id: keyId });
  }

  /**
   * Take `cost` credits if at least that many remain, in one statement, so concurrent
   * verifications cannot overspend. Returns the remaining credits, or undefined if too few.
   */
  spend(keyId: string, cost: number): number | undefined {
    const row = this.db
      .prepare("UPDATE keys SET credits_remaining = credits_remaining - ? WHERE id = ? AND credits_remaining >= ? RETURNING credits_remaining")
      .get(cost, keyId, cost) as { credits_remaining: number } | undefined;
    return row?.credits_remaining;
  }

  /** Soft delete keeps the row (and its hash, so the key never verifies again); permanent removes it. */
  delete(keyId: string, permanent: boolean): void {
    if (permanent) this.db.prepare("DELETE FROM keys WHERE id = ?").run(keyId);
    else this.db.prepare("UPDATE keys SET deleted_at = ? WHERE id = ?").run(now(), keyId);
  }

  list(apiId: string, options: { limit: number; cursor?: string; identityId?: string }): Page<KeyRecord> {
    const params: unknown[] = [apiId, decodeCursor(options.cursor)];
    let where = `api_id = ? AND id > ? AND ${LIVE}`;
    if (options.identityId !== undefined) {
      where += " AND identity_id = ?";
      params.push(options.identityId);
    }
    const rows = this.db.prepare(`SELECT * FROM keys WHERE ${where} ORDER BY id LIMIT ?`).all(...params, options.limit + 1) as KeyRow[];
    const more = rows.length > options.limit;
    const items = rows.slice(0, options.limit).map(toKey);
    return more ? { items, cursor: encodeCursor(items[items.length - 1]!.id) } : { items };
  }

  count(apiId: string, identityId?: string): number {
    const row = (
      identityId === undefined
        ? this.db.prepare(`SELECT COUNT(*) AS n FROM keys WHERE api_id = ? AND ${LIVE}`).get(apiId)
        : this.db.prepare(`SELECT COUNT(*) AS n FROM keys WHERE api_id = ? AND identity_id = ? AND ${LIVE}`).get(apiId, identityId)
    ) as { n: number };
    return row.n;
  }
}
