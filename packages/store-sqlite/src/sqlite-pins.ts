import Database from "better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import createDebug from "debug";
import {
  FIRST_REQUEST_ACTOR,
  type Pin,
  type PinChange,
  type PinChangeInput,
  type PinIfAbsentResult,
  type VersionUsage,
  PinListeners,
  type SubscribablePinStore,
} from "@strata/core";
import { migrate, tableNames } from "./schema";
import { sqliteUsage, type SqliteUsage } from "./usage";
import { resolveSqliteOptions, type SqlitePinsOptions } from "./options";

const log = createDebug("strata:store-sqlite");

interface PinRow {
  account: string;
  version: string;
  pinned_at: number;
  updated_at: number;
}

interface HistoryRow {
  id: number;
  account: string;
  from_version: string | null;
  to_version: string;
  actor: string;
  reason: string | null;
  at: number;
}

const toPin = (row: PinRow): Pin => ({
  account: row.account,
  version: row.version,
  pinnedAt: new Date(row.pinned_at),
  updatedAt: new Date(row.updated_at),
});

const toChange = (row: HistoryRow): PinChange => {
  const change: PinChange = {
    account: row.account,
    from: row.from_version,
    to: row.to_version,
    actor: row.actor,
    at: new Date(row.at),
  };
  if (row.reason !== null) change.reason = row.reason;
  return change;
};

const checkLimit = (limit: number | undefined): void => {
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`sqlitePins: history limit must be a non-negative integer, got ${limit}`);
  }
};

/**
 * The store `sqlitePins` returns: a {@link PinStore} whose `subscribe` and `close` always
 * exist, with usage records (`recordUsage`, `readUsage`) and `pruneUsage`.
 *
 * @example
 * const pins: SqlitePinStore = sqlitePins("strata.db");
 * const stop = await pins.subscribe((account) => cache.delete(account));
 * await pins.pruneUsage("2026-01-01"); // usage rows of days before 2026 are deleted
 */
export type SqlitePinStore = SubscribablePinStore & SqliteUsage;

/**
 * A durable pin store in a SQLite file: the embedded default, good for a single server or a
 * few processes on one machine sharing the file.
 *
 * better-sqlite3 is synchronous; every method still returns a promise (and rejects rather
 * than throws) so it is interchangeable with the networked stores. Opening a file turns on
 * WAL so readers in other processes never wait for a writer, and sets a busy timeout so
 * writers queue for the lock instead of failing with SQLITE_BUSY.
 *
 * `subscribe` hears changes made through this store at once, and changes made by other
 * processes sharing the file within about `pollIntervalMs` (it polls the history table only
 * while there are subscribers, on an unref'd timer).
 *
 * Usage records go to the `<prefix>usage` table, one row per account, version, source and
 * UTC day; a batch is one IMMEDIATE transaction of upserts, so processes sharing the file add
 * up. `pruneUsage(beforeDay)` deletes old days.
 *
 * @param options - a file name, `{ filename, tablePrefix?, busyTimeoutMs?, pollIntervalMs?,
 *   onError? }`, or `{ database, ... }` to reuse a database the app opened (the store then
 *   does not close it).
 * @throws ConfigurationError naming the option when the options are invalid; errors from opening the
 *   file or migrating the schema are thrown too, since they happen here, at startup.
 *
 * @example
 * import { sqlitePins } from "@strata/store-sqlite";
 *
 * const pins = sqlitePins("strata.db");
 * const { pin, created } = await pins.pinIfAbsent("acct_1", "2024-06-01");
 * await pins.set("acct_1", "2025-01-15", { actor: "admin_7", reason: "upgrade" });
 * await pins.close();
 */
export function sqlitePins(options: SqlitePinsOptions): SqlitePinStore {
  const opts = resolveSqliteOptions(options);
  const onError = opts.onError ?? ((error: unknown) => log("background error: %O", error));
  const owned = opts.database === undefined;
  // `timeout` is SQLite's busy_timeout: a writer waits for another process's lock instead of failing.
  const db: BetterSqlite3.Database = opts.database ?? new Database(opts.filename!, { timeout: opts.busyTimeoutMs });
  const t = tableNames(opts.tablePrefix);

  try {
    // WAL: readers in other processes never wait for a writer. Persistent in the file.
    if (owned) db.pragma("journal_mode = WAL");
    migrate(db, t);
  } catch (error) {
    if (owned) db.close();
    throw error;
  }

  const q = {
    get: db.prepare<[string], PinRow>(`SELECT * FROM ${t.pins} WHERE account = ?`),
    insertIfAbsent: db.prepare(`INSERT INTO ${t.pins} (account, version, pinned_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (account) DO NOTHING`),
    upsert: db.prepare(
      `INSERT INTO ${t.pins} (account, version, pinned_at, updated_at) VALUES (@account, @version, @now, @now)
       ON CONFLICT (account) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
    ),
    addHistory: db.prepare(`INSERT INTO ${t.history} (account, from_version, to_version, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?)`),
    history: db.prepare<[string, number], HistoryRow>(`SELECT * FROM ${t.history} WHERE account = ? ORDER BY id DESC LIMIT ?`),
    usage: db.prepare<[], { version: string; accounts: number }>(
      `SELECT version, COUNT(*) AS accounts FROM ${t.pins} GROUP BY version ORDER BY accounts DESC, version`,
    ),
    maxId: db.prepare<[], { id: number }>(`SELECT COALESCE(MAX(id), 0) AS id FROM ${t.history}`),
    changesSince: db.prepare<[number], { id: number; account: string }>(`SELECT id, account FROM ${t.history} WHERE id > ? ORDER BY id LIMIT 1000`),
  };

  const listeners = new PinListeners(onError);
  // Cross-process polling state, live only while someone listens.
  let timer: NodeJS.Timeout | undefined;
  let cursor = 0;
  const ownIds = new Set<number>();
  let closed = false;

  /** Local subscribers hear at once; the poller must then skip the row it will see later. */
  const changed = (account: string, historyId: number | bigint): void => {
    if (timer !== undefined) ownIds.add(Number(historyId));
    listeners.emit(account);
  };

  const poll = (): void => {
    try {
      for (const row of q.changesSince.all(cursor)) {
        cursor = row.id;
        if (!ownIds.delete(row.id)) listeners.emit(row.account);
      }
    } catch (error) {
      onError(error);
    }
  };

  const startPolling = (): void => {
    cursor = q.maxId.get()!.id;
    timer = setInterval(poll, opts.pollIntervalMs);
    timer.unref();
  };

  const stopPolling = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    ownIds.clear();
  };

  const pinIfAbsentTx = db.transaction((account: string, version: string): PinIfAbsentResult & { id?: number | bigint } => {
    const now = Date.now();
    if (q.insertIfAbsent.run(account, version, now, now).changes === 0) {
      return { pin: toPin(q.get.get(account)!), created: false };
    }
    const { lastInsertRowid } = q.addHistory.run(account, null, version, FIRST_REQUEST_ACTOR, null, now);
    return { pin: toPin({ account, version, pinned_at: now, updated_at: now }), created: true, id: lastInsertRowid };
  });

  const setTx = db.transaction((account: string, version: string, change: PinChangeInput) => {
    const now = Date.now();
    const before = q.get.get(account);
    q.upsert.run({ account, version, now });
    const reason = change.reason ?? null;
    const { lastInsertRowid } = q.addHistory.run(account, before?.version ?? null, version, change.actor, reason, now);
    const entry = toChange({
      id: 0,
      account,
      from_version: before?.version ?? null,
      to_version: version,
      actor: change.actor,
      reason,
      at: now,
    });
    return { entry, id: lastInsertRowid };
  });

  return {
    ...sqliteUsage(db, t),

    async get(account) {
      const row = q.get.get(account);
      return row && toPin(row);
    },

    async pinIfAbsent(account, version) {
      // Most calls find the pin; reading first avoids taking the write lock for them.
      const existing = q.get.get(account);
      if (existing) return { pin: toPin(existing), created: false };
      // IMMEDIATE takes the write lock up front, so a second process waits (busy_timeout)
      // and then sees the winner's row through ON CONFLICT DO NOTHING.
      const { id, ...result } = pinIfAbsentTx.immediate(account, version);
      if (id !== undefined) changed(account, id);
      return result;
    },

    async set(account, version, change) {
      const { entry, id } = setTx.immediate(account, version, change);
      changed(account, id);
      return entry;
    },

    async history(account, options) {
      checkLimit(options?.limit);
      return q.history.all(account, options?.limit ?? -1).map(toChange); // LIMIT -1: no limit
    },

    async usage(): Promise<VersionUsage[]> {
      return q.usage.all().map((row) => ({ version: row.version, accounts: row.accounts }));
    },

    async subscribe(listener) {
      if (closed) throw new Error("sqlitePins: the store is closed");
      if (timer === undefined) startPolling();
      const remove = listeners.add(listener);
      return async () => {
        remove();
        if (listeners.size === 0) stopPolling();
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      stopPolling();
      listeners.clear();
      if (owned) db.close();
    },
  };
}
