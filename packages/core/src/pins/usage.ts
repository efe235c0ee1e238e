/*
 * Usage per account and version: how many requests each account made at each version, by
 * where the version came from, per day. Recorded in memory by a `UsageRecorder` and written in
 * batches to a store that implements {@link UsageStore} (the pin stores do).
 */

import type { VersionSource } from "../resolve/api-version";

/** Where a request's version came from (as `ApiVersion.source`). */
export type UsageSource = VersionSource;

/** Requests of one account at one version, from one source, on one UTC day. */
export interface UsageRow {
  /** `""` for requests without an account. */
  account: string;
  version: string;
  source: UsageSource;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  requests: number;
  /** Of those, how many were at a version deprecated at the time. */
  deprecated: number;
  firstSeen: Date;
  lastSeen: Date;
}

/** Which rows {@link UsageStore.readUsage} returns. */
export interface UsageQuery {
  account?: string;
  version?: string;
  /** The first day included, `YYYY-MM-DD`. */
  since?: string;
}

/**
 * Durable usage: batches add up, reads aggregate nothing (rows as stored). Writes are at least
 * once: a batch whose write failed (or whose answer was lost) is written again with the next,
 * so a lost answer after a commit counts it twice. Counts are for deciding, not for billing.
 */
export interface UsageStore {
  /**
   * Add a batch: for a row whose (account, version, source, day) exists, `requests` and
   * `deprecated` add up, `firstSeen` keeps the earliest and `lastSeen` the latest. Atomic per
   * row, so instances sharing a store may write at once.
   */
  recordUsage(rows: readonly UsageRow[]): Promise<void>;
  /** The rows matching `query`, newest day first, then by account, version and source. */
  readUsage(query?: UsageQuery): Promise<UsageRow[]>;
  /** Delete the days before `beforeDay` (`YYYY-MM-DD`); resolves to how many rows went. */
  pruneUsage?(beforeDay: string): Promise<number>;
}

/** The key a row is aggregated under. */
export const usageKey = (r: Pick<UsageRow, "account" | "version" | "source" | "day">): string =>
  `${r.day}\u0000${r.account}\u0000${r.version}\u0000${r.source}`;

/** Merge `row` into `into` (same key), as a store's upsert does. */
export function addUsage(into: UsageRow, row: UsageRow): void {
  into.requests += row.requests;
  into.deprecated += row.deprecated;
  if (row.firstSeen < into.firstSeen) into.firstSeen = row.firstSeen;
  if (row.lastSeen > into.lastSeen) into.lastSeen = row.lastSeen;
}

/** Whether a row matches a query (for stores that filter in memory). */
export function matchesUsage(row: UsageRow, query: UsageQuery = {}): boolean {
  return (
    (query.account === undefined || row.account === query.account) &&
    (query.version === undefined || row.version === query.version) &&
    (query.since === undefined || row.day >= query.since)
  );
}

/** The order {@link UsageStore.readUsage} answers in. */
export function compareUsage(a: UsageRow, b: UsageRow): number {
  return b.day.localeCompare(a.day) || a.account.localeCompare(b.account) || a.version.localeCompare(b.version) || a.source.localeCompare(b.source);
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
 * For stores: reject (a RangeError naming `owner`, the row and the field) what would be stored
 * wrong: a day that is not `YYYY-MM-DD`, a count that is not a non-negative integer, an invalid
 * Date. Every store checks alike, so a batch one store refuses no other accepts.
 */
export function checkUsageRows(rows: readonly UsageRow[], owner: string): void {
  rows.forEach((row, i) => {
    const field = invalidField(row);
    if (field !== undefined) throw new RangeError(`${owner}: usage row ${i} has an invalid ${field}: ${String(row[field])}`);
  });
}

/** For stores: reject a day argument that is not `YYYY-MM-DD` (a RangeError naming `owner` and `what`). */
export function checkUsageDay(day: unknown, what: string, owner: string): void {
  if (!isDay(day)) throw new RangeError(`${owner}: ${what} must be a day written YYYY-MM-DD, got ${String(day)}`);
}
