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
