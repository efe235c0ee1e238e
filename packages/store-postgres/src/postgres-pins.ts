import pg from "pg";
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
  withDeadline,
} from "@strata/core";
import { boundedPool, pgTimeouts, type Queryable } from "./bounded-pool";
import { PgNotifier } from "./notifier";
import { resolvePostgresOptions, type PostgresPinsOptions } from "./options";
import { migrate, tableNames } from "./schema";
import { postgresUsage, type PostgresUsage } from "./usage";

const log = createDebug("strata:store-postgres");

interface PinRow {
  account: string;
  version: string;
  pinned_at: Date | string;
  updated_at: Date | string;
}

interface HistoryRow {
  account: string;
  from_version: string | null;
  to_version: string;
  actor: string;
  reason: string | null;
  at: Date | string;
}

// `new Date(...)` also covers pools whose type parsers return timestamps as strings.
const toPin = (row: PinRow): Pin => ({
  account: row.account,
  version: row.version,
  pinnedAt: new Date(row.pinned_at),
  updatedAt: new Date(row.updated_at),
});

const toChange = (row: HistoryRow): PinChange => {
  const change: PinChange = { account: row.account, from: row.from_version, to: row.to_version, actor: row.actor, at: new Date(row.at) };
  if (row.reason !== null) change.reason = row.reason;
  return change;
};

/**
 * The store `postgresPins` returns: a {@link PinStore} whose `subscribe` and `close` always
 * exist, with usage records (`recordUsage`, `readUsage`) and `pruneUsage`.
 *
 * @example
 * const pins: PostgresPinStore = postgresPins({ connectionString: process.env.DATABASE_URL });
 * const stop = await pins.subscribe((account) => cache.delete(account));
 * await pins.pruneUsage("2026-01-01"); // usage rows of days before 2026 are deleted
 */
export type PostgresPinStore = SubscribablePinStore & PostgresUsage;

/**
 * A durable pin store in PostgreSQL, for apps running on several hosts.
 *
 * Tables live in their own schema (default `strata`), created on first use under an advisory
 * lock so instances starting together do not race. `pinIfAbsent` relies on
 * `INSERT ... ON CONFLICT DO NOTHING`: of concurrent first requests, in any process, exactly
 * one inserts and writes the history row; the others wait for it and read its pin.
 * Every change calls `pg_notify` in its own transaction, so `subscribe` hears it (through a
 * dedicated LISTEN connection that reconnects by itself) only once it is committed.
 * Usage records go to `<schema>.usage`, one row per account, version, source and UTC day; a
 * batch is one `INSERT ... ON CONFLICT DO UPDATE`, so instances writing at once add up.
 *
 * Operations reject with pg's error when the database is unreachable, and with
 * `PinStoreTimeoutError` when a call as a whole (connect, schema, queries) takes longer than
 * `timeoutMs` (default 1000), which is what a network that drops packets looks like.
 * Nothing is retried behind the caller's back, so the middleware can answer 503 at once.
 *
 * @param options - `{ connectionString }` or `{ pool }`, plus `schema`, `timeoutMs` and `onError`.
 * @throws ConfigurationError naming the option when the options are invalid.
 *
 * @example
 * import { postgresPins } from "@strata/store-postgres";
 *
 * const pins = postgresPins({ connectionString: process.env.DATABASE_URL, schema: "strata" });
 * const { pin } = await pins.pinIfAbsent("acct_1", "2024-06-01");
 * const stop = await pins.subscribe((account) => cache.delete(account));
 * await pins.close();
 */
export function postgresPins(options: PostgresPinsOptions): PostgresPinStore {
  const opts = resolvePostgresOptions(options);
  const onError = opts.onError ?? ((error: unknown) => log("background error: %O", error));
  const owned = opts.pool === undefined;
  // pg's own timers on the connections the store creates, so pg tears down what the
  // deadline gives up on; an app's pool keeps its settings (the deadline still bounds calls).
  const timeouts = pgTimeouts(opts.timeoutMs);
  const clientConfig: pg.ClientConfig = owned ? { connectionString: opts.connectionString, ...timeouts } : { ...opts.pool!.options };
  const pool = opts.pool ?? new pg.Pool({ ...clientConfig, max: 10 });
  // Without a listener, an idle connection dying (server restart) would crash the process.
  if (owned) pool.on("error", onError);
  const use = boundedPool(pool, opts.timeoutMs, onError);
  // Named (unless the app names its connections) so operators can tell it apart in
  // pg_stat_activity; an application_name in the connection string still wins. The LISTEN
  // connection is the store's own even with an app's pool, so it gets pg's timers unless the
  // app chose some: each reconnect attempt through a silent network then gives up in time.
  const listenerConfig: pg.ClientConfig = {
    application_name: "strata-pins-listener",
    ...clientConfig,
    connectionTimeoutMillis: clientConfig.connectionTimeoutMillis || timeouts.connectionTimeoutMillis,
    query_timeout: clientConfig.query_timeout || timeouts.query_timeout,
    keepAlive: true,
  };
  const t = tableNames(opts.schema);
  const listeners = new PinListeners(onError);
  let notifier: PgNotifier | undefined;
  let notifierStarting: Promise<PgNotifier> | undefined;
  let closed = false;

  let schemaReady: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    schemaReady ??= use("create schema", (db) => migrate(db, opts.schema, t)).catch((error: unknown) => {
      schemaReady = undefined; // the database may come back: try again on the next call
      throw error;
    });
    return schemaReady;
  };

  /** One store call: the schema, then `fn` on one connection, all within `timeoutMs`. */
  const call = <T>(operation: string, fn: (db: Queryable) => Promise<T>): Promise<T> => use(operation, fn, ready);

  async function transaction<T>(db: Queryable, fn: () => Promise<T>): Promise<T> {
    // READ COMMITTED: after ON CONFLICT waits for a concurrent winner, the next statement sees its row.
    await db.query("BEGIN ISOLATION LEVEL READ COMMITTED");
    try {
      const result = await fn();
      await db.query("COMMIT");
      return result;
    } catch (error) {
      await db.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  const rowsOf = async <R extends pg.QueryResultRow>(operation: string, text: string, values: unknown[] = []): Promise<R[]> =>
    call(operation, async (db) => (await db.query<R>(text, values)).rows);

  const selectPin = `SELECT account, version, pinned_at, updated_at FROM ${t.pins} WHERE account = $1`;
  // pg_notify in the statement that writes the history row: delivered only if it commits.
  const recordChange = `WITH h AS (
      INSERT INTO ${t.history} (account, from_version, to_version, actor, reason, at)
      VALUES ($1, $2, $3, $4, $5, now()) RETURNING *
    ) SELECT h.*, pg_notify($6, h.account) FROM h`;

  return {
    ...postgresUsage(call, t, opts.timeoutMs),

    async get(account) {
      const [row] = await rowsOf<PinRow>("get", selectPin, [account]);
      return row && toPin(row);
    },

    pinIfAbsent: (account, version): Promise<PinIfAbsentResult> =>
      call("pinIfAbsent", async (client) => {
        const [existing] = (await client.query<PinRow>(selectPin, [account])).rows;
        if (existing) return { pin: toPin(existing), created: false };
        return transaction(client, async () => {
          const inserted = await client.query<PinRow>(
            `INSERT INTO ${t.pins} (account, version, pinned_at, updated_at) VALUES ($1, $2, now(), now())
             ON CONFLICT (account) DO NOTHING RETURNING *`,
            [account, version],
          );
          if (inserted.rows[0]) {
            await client.query(recordChange, [account, null, version, FIRST_REQUEST_ACTOR, null, opts.channel]);
            return { pin: toPin(inserted.rows[0]), created: true };
          }
          const { rows } = await client.query<PinRow>(selectPin, [account]);
          if (!rows[0]) throw new Error(`postgresPins: the pin of ${JSON.stringify(account)} vanished while being written`);
          return { pin: toPin(rows[0]), created: false };
        });
      }),

    set: (account, version, change: PinChangeInput) =>
      call("set", (client) =>
        transaction(client, async () => {
          const lockPin = `SELECT version FROM ${t.pins} WHERE account = $1 FOR UPDATE`;
          let [current] = (await client.query<{ version: string }>(lockPin, [account])).rows;
          if (!current) {
            const inserted = await client.query(
              `INSERT INTO ${t.pins} (account, version, pinned_at, updated_at) VALUES ($1, $2, now(), now())
               ON CONFLICT (account) DO NOTHING`,
              [account, version],
            );
            // Lost a race with a concurrent first pin: move that pin instead, so history shows from -> to.
            if (inserted.rowCount === 0) [current] = (await client.query<{ version: string }>(lockPin, [account])).rows;
          }
          if (current) {
            await client.query(`UPDATE ${t.pins} SET version = $2, updated_at = now() WHERE account = $1`, [account, version]);
          }
          const { rows } = await client.query<HistoryRow>(recordChange, [
            account,
            current?.version ?? null,
            version,
            change.actor,
            change.reason ?? null,
            opts.channel,
          ]);
          return toChange(rows[0]!);
        }),
      ),

    async history(account, options) {
      const limit = options?.limit;
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
        throw new RangeError(`postgresPins: history limit must be a non-negative integer, got ${limit}`);
      }
      const rows = await rowsOf<HistoryRow>(
        "history",
        `SELECT account, from_version, to_version, actor, reason, at FROM ${t.history}
         WHERE account = $1 ORDER BY id DESC LIMIT $2`,
        [account, limit ?? null], // LIMIT NULL means no limit
      );
      return rows.map(toChange);
    },

    async usage(): Promise<VersionUsage[]> {
      const rows = await rowsOf<{ version: string; accounts: number }>(
        "usage",
        `SELECT version, COUNT(*)::int AS accounts FROM ${t.pins} GROUP BY version ORDER BY accounts DESC, version`,
      );
      return rows.map((row) => ({ version: row.version, accounts: row.accounts }));
    },

    async subscribe(listener) {
      if (closed) throw new Error("postgresPins: the store is closed");
      if (!notifier) {
        const start = async (): Promise<PgNotifier> => {
          await ready(); // the replay after a reconnect reads the history table
          const n = new PgNotifier({
            makeClient: () => new pg.Client({ ...listenerConfig }),
            channel: opts.channel,
            historyTable: t.history,
            onAccount: (account) => listeners.emit(account),
            onError,
          });
          await n.start();
          return n;
        };
        // A notifier that starts after the deadline has no subscriber waiting for it: stop it.
        notifierStarting ??= withDeadline(start(), opts.timeoutMs, "postgresPins: subscribe", (late) => void late.stop()).finally(
          () => (notifierStarting = undefined),
        );
        const started = await notifierStarting;
        if (closed) {
          await started.stop();
          throw new Error("postgresPins: the store was closed while subscribing");
        }
        notifier ??= started;
      }
      const remove = listeners.add(listener);
      return async () => {
        remove();
        if (listeners.size === 0 && notifier) {
          const n = notifier;
          notifier = undefined;
          await n.stop();
        }
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await notifierStarting?.then(
        (n) => n.stop(),
        () => undefined,
      );
      await notifier?.stop();
      notifier = undefined;
      if (owned) await pool.end();
    },
  };
}
