import type BetterSqlite3 from "better-sqlite3";
import { compareUsage, type UsageQuery, type UsageRow, type UsageSource, type UsageStore, checkUsageDay, checkUsageRows } from "@strata/core";
import type { SqliteTables } from "./schema";

/**
 * Usage records in the `<prefix>usage` table, with pruning.
 *
 * @example
 * const usage: SqliteUsage = sqliteUsage(db, tableNames("strata_"));
 * await usage.pruneUsage("2026-01-01"); // drops every day before 2026
 */
export interface SqliteUsage extends UsageStore {
  /** Delete the rows of every day before `beforeDay` (`YYYY-MM-DD`); resolves to how many were deleted. */
  pruneUsage(beforeDay: string): Promise<number>;
}

interface StoredRow {
  day: string;
  account: string;
  version: string;
  source: string;
  requests: number;
  deprecated: number;
  first_seen: number;
  last_seen: number;
}

const checkRows = (rows: readonly UsageRow[]): void => checkUsageRows(rows, "sqlitePins");
const checkDay = (name: string, day: unknown): void => checkUsageDay(day, name, "sqlitePins");

const toRow = (r: StoredRow): UsageRow => ({
  account: r.account,
  version: r.version,
  source: r.source as UsageSource,
  day: r.day,
  requests: r.requests,
  deprecated: r.deprecated,
  firstSeen: new Date(r.first_seen),
  lastSeen: new Date(r.last_seen),
});

/**
 * `recordUsage`, `readUsage` and `pruneUsage` over one database. A batch is one IMMEDIATE
 * transaction of upserts, so it waits for another process's write lock (busy_timeout) and
 * then adds to whatever that process wrote: nothing is counted twice or lost.
 *
 * @example
 * Object.assign(store, sqliteUsage(db, t));
 */
export function sqliteUsage(db: BetterSqlite3.Database, t: SqliteTables): SqliteUsage {
  const add = db.prepare(
    `INSERT INTO ${t.usage} (day, account, version, source, requests, deprecated, first_seen, last_seen)
     VALUES (@day, @account, @version, @source, @requests, @deprecated, @firstSeen, @lastSeen)
     ON CONFLICT (day, account, version, source) DO UPDATE SET
       requests   = requests + excluded.requests,
       deprecated = deprecated + excluded.deprecated,
       first_seen = MIN(first_seen, excluded.first_seen),
       last_seen  = MAX(last_seen, excluded.last_seen)`,
  );
  const addAll = db.transaction((rows: readonly UsageRow[]) => {
    for (const r of rows) {
      add.run({ ...r, firstSeen: r.firstSeen.getTime(), lastSeen: r.lastSeen.getTime() });
    }
  });
  const prune = db.prepare<[string]>(`DELETE FROM ${t.usage} WHERE day < ?`);

  // One prepared statement per combination of filters, so each can use its index.
  const reads = new Map<string, BetterSqlite3.Statement<unknown[], StoredRow>>();
  const readStatement = (query: UsageQuery): { statement: BetterSqlite3.Statement<unknown[], StoredRow>; values: unknown[] } => {
    const filters = (["account", "version", "since"] as const).filter((k) => query[k] !== undefined);
    const shape = filters.join(",");
    let statement = reads.get(shape);
    if (!statement) {
      const where = filters.map((k) => (k === "since" ? "day >= ?" : `${k} = ?`));
      statement = db.prepare<unknown[], StoredRow>(`SELECT * FROM ${t.usage}${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""}`);
      reads.set(shape, statement);
    }
    return { statement, values: filters.map((k) => query[k]) };
  };

  return {
    async recordUsage(rows) {
      checkRows(rows);
      if (rows.length > 0) addAll.immediate(rows);
    },
    async readUsage(query = {}) {
      if (query.since !== undefined) checkDay("since", query.since);
      const { statement, values } = readStatement(query);
      // Sorted here, not by ORDER BY: core's compareUsage is the order every store answers in.
      return statement
        .all(...values)
        .map(toRow)
        .sort(compareUsage);
    },
    async pruneUsage(beforeDay) {
      checkDay("beforeDay", beforeDay);
      return prune.run(beforeDay).changes;
    },
  };
}
