import {
  addUsage,
  compareUsage,
  PinStoreTimeoutError,
  usageKey,
  type UsageQuery,
  type UsageRow,
  type UsageSource,
  type UsageStore,
  checkUsageDay,
  checkUsageRows,
} from "@strata/core";
import type { Queryable } from "./bounded-pool";
import type { PostgresTables } from "./schema";

/**
 * Usage records in the `<schema>.usage` table, with pruning.
 *
 * @example
 * const pins = postgresPins({ connectionString });
 * await pins.pruneUsage("2026-01-01"); // drops every day before 2026
 */
export interface PostgresUsage extends UsageStore {
  /** Delete the rows of every day before `beforeDay` (`YYYY-MM-DD`); resolves to how many were deleted. */
  pruneUsage(beforeDay: string): Promise<number>;
}

/** One store call: the schema, then `fn` on one pooled connection, all within `timeoutMs`. */
type Call = <T>(operation: string, fn: (db: Queryable) => Promise<T>) => Promise<T>;

interface StoredRow {
  day: string;
  account: string;
  version: string;
  source: string;
  // bigint: a string with pg's default parsers, a number or bigint with an app's own.
  requests: string | number | bigint;
  deprecated: string | number | bigint;
  first_seen: Date | string;
  last_seen: Date | string;
}

/**
 * How much earlier than the store's deadline the server cancels a batch: time for the
 * cancellation to reach the client before the deadline gives up on the connection.
 */
const STATEMENT_SLACK_MS = 100;
/** SQLSTATE of a statement cancelled by statement_timeout. */
const QUERY_CANCELED = "57014";

/**
 * Rejects (as a RangeError naming the row and field) what would be stored wrong, and merges
 * rows that share a key: one INSERT ... ON CONFLICT DO UPDATE may not touch a row twice.
 */
function checkedRows(rows: readonly UsageRow[]): UsageRow[] {
  checkUsageRows(rows, "postgresPins");
  const merged = new Map<string, UsageRow>();
  for (const row of rows) {
    const key = usageKey(row);
    const found = merged.get(key);
    if (found) addUsage(found, row);
    else merged.set(key, { ...row });
  }
  return [...merged.values()];
}

const checkDay = (name: string, day: unknown): void => checkUsageDay(day, name, "postgresPins");

const toRow = (r: StoredRow): UsageRow => ({
  account: r.account,
  version: r.version,
  source: r.source as UsageSource,
  day: r.day,
  requests: Number(r.requests),
  deprecated: Number(r.deprecated),
  firstSeen: new Date(r.first_seen),
  lastSeen: new Date(r.last_seen),
});

/**
 * `recordUsage`, `readUsage` and `pruneUsage` through the store's bounded calls.
 *
 * A batch is one statement, so it is all or nothing. Concurrent batches from other instances
 * wait for each other row by row (ON CONFLICT takes the row lock) and add to what committed
 * first; rows are upserted in key order, so two batches never lock the same rows in opposite
 * orders (no deadlock).
 *
 * @example
 * const usage = postgresUsage(call, tableNames("strata"), 1000);
 * await usage.recordUsage(rows);
 */
export function postgresUsage(call: Call, t: PostgresTables, timeoutMs: number): PostgresUsage {
  const upsert = `INSERT INTO ${t.usage} AS u (day, account, version, source, requests, deprecated, first_seen, last_seen)
    SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::timestamptz[], $8::timestamptz[])
      AS r (day, account, version, source, requests, deprecated, first_seen, last_seen)
    ORDER BY day, account, version, source
    ON CONFLICT (day, account, version, source) DO UPDATE SET
      requests   = u.requests + excluded.requests,
      deprecated = u.deprecated + excluded.deprecated,
      first_seen = LEAST(u.first_seen, excluded.first_seen),
      last_seen  = GREATEST(u.last_seen, excluded.last_seen)`;
  const columns = `to_char(day, 'YYYY-MM-DD') AS day, account, version, source, requests, deprecated, first_seen, last_seen`;

  return {
    async recordUsage(rows) {
      const batch = checkedRows(rows);
      if (batch.length === 0) return;
      const values = [
        batch.map((r) => r.day),
        batch.map((r) => r.account),
        batch.map((r) => r.version),
        batch.map((r) => r.source),
        batch.map((r) => r.requests),
        batch.map((r) => r.deprecated),
        batch.map((r) => r.firstSeen.toISOString()),
        batch.map((r) => r.lastSeen.toISOString()),
      ];
      const started = Date.now();
      await call("recordUsage", async (db) => {
        // Why a statement_timeout inside the deadline: the store's deadline only stops waiting.
        // A batch stuck behind a lock would still commit once the lock is released, and the
        // recorder, told it failed, would write it again: counted twice. Cancelled by the
        // server first, it rolls back, and the retry counts it once.
        const left = Math.max(1, timeoutMs - (Date.now() - started) - STATEMENT_SLACK_MS);
        await db.query("BEGIN");
        try {
          await db.query("SELECT set_config('statement_timeout', $1, true)", [`${left}ms`]);
          await db.query(upsert, values);
          await db.query("COMMIT");
        } catch (error) {
          await db.query("ROLLBACK").catch(() => undefined);
          if ((error as { code?: unknown }).code === QUERY_CANCELED) throw new PinStoreTimeoutError("postgresPins: recordUsage", timeoutMs);
          throw error;
        }
      });
    },

    async readUsage(query: UsageQuery = {}) {
      if (query.since !== undefined) checkDay("since", query.since);
      const where: string[] = [];
      const values: unknown[] = [];
      const filter = (sql: string, value: unknown): void => {
        values.push(value);
        where.push(`${sql} $${values.length}`);
      };
      if (query.account !== undefined) filter("account =", query.account);
      if (query.version !== undefined) filter("version =", query.version);
      if (query.since !== undefined) filter("day >=", query.since);
      const text = `SELECT ${columns} FROM ${t.usage}${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""}`;
      const { rows } = await call("readUsage", (db) => db.query<StoredRow>(text, values));
      // Sorted here, not by ORDER BY: the database's collation would decide the order of
      // accounts; core's compareUsage is the order every store answers in.
      return rows.map(toRow).sort(compareUsage);
    },

    async pruneUsage(beforeDay) {
      checkDay("beforeDay", beforeDay);
      const result = await call("pruneUsage", (db) => db.query(`DELETE FROM ${t.usage} WHERE day < $1::date`, [beforeDay]));
      return result.rowCount ?? 0;
    },
  };
}
