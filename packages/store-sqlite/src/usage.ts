import type BetterSqlite3 from "better-sqlite3";
import { compareUsage, type UsageQuery, type UsageRow, type UsageSource, type UsageStore } from "@strata/core";
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

/** Whether `day` is a real calendar day written `YYYY-MM-DD`. */
const isDay = (day: unknown): day is string =>
  typeof day === "string" &&
  /^\d{4}-\d{2}-\d{2}$/.test(day) &&
  !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
  new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
const isName = (s: unknown): boolean => typeof s === "string" && s !== "";
const isCount = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 0;
const isTime = (d: unknown): boolean => d instanceof Date && !Number.isNaN(d.getTime());

/** The first field of `row` that a store cannot keep as it is, or `undefined`. */
function invalidField(row: UsageRow): keyof UsageRow | undefined {
  if (typeof row.account !== "string") return "account";
  if (!isName(row.version)) return "version";
  if (!isName(row.source)) return "source";
  if (!isDay(row.day)) return "day";
  if (!isCount(row.requests)) return "requests";
  if (!isCount(row.deprecated)) return "deprecated";
  if (!isTime(row.firstSeen)) return "firstSeen";
  if (!isTime(row.lastSeen)) return "lastSeen";
  return undefined;
}

/**
 * Rejects (as a RangeError naming the row and field) what would be stored wrong: a day that
 * is not `YYYY-MM-DD`, a count that is not a non-negative integer, an invalid Date.
 */
function checkRows(rows: readonly UsageRow[]): void {
  rows.forEach((row, i) => {
    const field = invalidField(row);
    if (field !== undefined) throw new RangeError(`sqlitePins: usage row ${i} has an invalid ${field}: ${String(row[field])}`);
  });
}

function checkDay(name: string, day: unknown): void {
  if (!isDay(day)) throw new RangeError(`sqlitePins: ${name} must be a day written YYYY-MM-DD, got ${String(day)}`);
}

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
