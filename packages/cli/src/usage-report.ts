import type { UsageRow } from "@strata/core";
import { table } from "./format";

/** One line of `strata usage`: a version (or, with `--version`, an account at it) over the window. */
export interface UsageLine {
  version: string;
  /** With `--version`: the account (`(none)` for requests without one). */
  account?: string;
  accounts?: number;
  requests: number;
  deprecated: number;
  /** Requests by source: `header=12 pin=3`. */
  sources: Record<string, number>;
  lastSeen: string;
}

/**
 * Sum usage rows per version, or per account when one version is asked about ("who still
 * calls 1.0?"), busiest first.
 */
export function usageLines(rows: readonly UsageRow[], byAccount: boolean): UsageLine[] {
  const lines = new Map<string, UsageLine & { seen: Set<string> }>();
  for (const r of rows) {
    const key = byAccount ? `${r.version}\u0000${r.account}` : r.version;
    let line = lines.get(key);
    if (!line) {
      line = { version: r.version, requests: 0, deprecated: 0, sources: {}, lastSeen: r.lastSeen.toISOString(), seen: new Set() };
      if (byAccount) line.account = r.account === "" ? "(none)" : r.account;
      lines.set(key, line);
    }
    line.requests += r.requests;
    line.deprecated += r.deprecated;
    line.sources[r.source] = (line.sources[r.source] ?? 0) + r.requests;
    if (r.lastSeen.toISOString() > line.lastSeen) line.lastSeen = r.lastSeen.toISOString();
    line.seen.add(r.account);
  }
  return [...lines.values()]
    .map(({ seen, ...line }) => (byAccount ? line : { ...line, accounts: seen.size }))
    .sort((a, b) => b.requests - a.requests || a.version.localeCompare(b.version) || (a.account ?? "").localeCompare(b.account ?? ""));
}

export function usageLinesText(lines: readonly UsageLine[], byAccount: boolean, days: number): string {
  if (lines.length === 0) return `No requests recorded in the last ${days} days.\n`;
  const sources = (l: UsageLine) =>
    Object.entries(l.sources)
      .map(([s, n]) => `${s}=${n}`)
      .join(" ");
  return byAccount
    ? table(
        ["ACCOUNT", "VERSION", "REQUESTS", "DEPRECATED", "SOURCES", "LAST SEEN"],
        lines.map((l) => [l.account!, l.version, String(l.requests), String(l.deprecated), sources(l), l.lastSeen]),
      )
    : table(
        ["VERSION", "ACCOUNTS", "REQUESTS", "DEPRECATED", "SOURCES", "LAST SEEN"],
        lines.map((l) => [l.version, String(l.accounts), String(l.requests), String(l.deprecated), sources(l), l.lastSeen]),
      );
}
