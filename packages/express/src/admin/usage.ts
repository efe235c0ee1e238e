import { lifecycleOf, type UsageRow, type VersionSet, type VersionSource } from "@strata/core";
import { InvalidAdminRequestError } from "./errors";

const DAYS_DEFAULT = 30;
const DAYS_MAX = 400;

/** One version's requests for the account over the window. */
export interface AdminVersionUsage {
  version: string;
  /** The version's status now (as in the state document), or `not configured`. */
  status: string;
  requests: number;
  /** Requests made while the version was deprecated. */
  deprecated: number;
  /** Requests by where the version came from: `header` means some code still sends it. */
  sources: Partial<Record<VersionSource, number>>;
  firstSeen: string;
  lastSeen: string;
}

/** `GET /usage`: what the account's integrations actually use. */
export interface AdminUsage {
  account: string;
  /** Whether the store records usage (`versioning({ usage })`); `false` means nothing to show, not no traffic. */
  recorded: boolean;
  days: number;
  /** The first day counted, `YYYY-MM-DD`. */
  since: string;
  versions: AdminVersionUsage[];
  /** Per day, version and source, newest day first. */
  daily: { day: string; version: string; source: VersionSource; requests: number }[];
}

/** The `days` query parameter: a whole number from 1 to 400 (default 30). */
export function daysOf(raw: unknown): number {
  if (raw === undefined || raw === "") return DAYS_DEFAULT;
  if (typeof raw !== "string" || !/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > DAYS_MAX) {
    throw new InvalidAdminRequestError(`\`days\` must be a whole number from 1 to ${DAYS_MAX}.`, "days");
  }
  return Number(raw);
}

/** The first day of a window of `days` days ending today (UTC). */
export function sinceDay(now: Date, days: number): string {
  return new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
}

/** Rows of one account, summed per version, newest version first. */
export function summarizeUsage(versions: VersionSet, account: string, rows: UsageRow[] | undefined, days: number, now: Date): AdminUsage {
  const since = sinceDay(now, days);
  if (!rows) return { account, recorded: false, days, since, versions: [], daily: [] };
  const byVersion = new Map<string, AdminVersionUsage>();
  for (const r of rows) {
    let v = byVersion.get(r.version);
    if (!v) {
      const configured = versions.get(r.version);
      const status = !configured ? "not configured" : configured.preview ? "preview" : lifecycleOf(configured, now);
      byVersion.set(
        r.version,
        (v = { version: r.version, status, requests: 0, deprecated: 0, sources: {}, firstSeen: r.firstSeen.toISOString(), lastSeen: r.lastSeen.toISOString() }),
      );
    }
    v.requests += r.requests;
    v.deprecated += r.deprecated;
    v.sources[r.source] = (v.sources[r.source] ?? 0) + r.requests;
    if (r.firstSeen.toISOString() < v.firstSeen) v.firstSeen = r.firstSeen.toISOString();
    if (r.lastSeen.toISOString() > v.lastSeen) v.lastSeen = r.lastSeen.toISOString();
  }
  const order = (id: string) => versions.get(id)?.ordinal ?? -1;
  return {
    account,
    recorded: true,
    days,
    since,
    versions: [...byVersion.values()].sort((a, b) => order(b.version) - order(a.version) || a.version.localeCompare(b.version)),
    daily: rows.map((r) => ({ day: r.day, version: r.version, source: r.source, requests: r.requests })),
  };
}
