import type { Pin, PinChange, VersionUsage } from "@strata/core";

/** Where the command writes: the process's streams, or buffers in tests. */
export interface Output {
  write(text: string): unknown;
}

/** Render rows as a left-aligned table with a header line. */
export function table(headers: string[], rows: string[][]): string {
  const cells = [headers, ...rows].map((row) => row.map(clean));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  return (
    cells
      .map((row) =>
        row
          .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
          .join("  ")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}

/** Strip control characters, so stored text cannot drive the user's terminal. */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}

/** A pin as JSON output shows it. */
export function pinJson(pin: Pin | undefined): { version: string; pinnedAt: string; updatedAt: string } | null {
  return pin ? { version: pin.version, pinnedAt: pin.pinnedAt.toISOString(), updatedAt: pin.updatedAt.toISOString() } : null;
}

/** A history entry as JSON output shows it. */
export function changeJson(c: PinChange): Record<string, unknown> {
  return { account: c.account, from: c.from, to: c.to, actor: c.actor, ...(c.reason !== undefined ? { reason: c.reason } : {}), at: c.at.toISOString() };
}

/** `strata pins get` for people. */
export function pinText(account: string, pin: Pin | undefined, latest?: { id: string; behind: number }): string {
  if (!pin) return `${clean(account)} is not pinned: it will be pinned to the latest version on its first request.\n`;
  const rows = [
    ["account", account],
    ["version", pin.version],
    ["pinned at", pin.pinnedAt.toISOString()],
    ["updated at", pin.updatedAt.toISOString()],
  ];
  if (latest)
    rows.push(["latest", latest.behind > 0 ? `${latest.id} (${latest.behind} version${latest.behind === 1 ? "" : "s"} behind)` : `${latest.id} (up to date)`]);
  const width = Math.max(...rows.map(([k]) => k!.length));
  return rows.map(([k, v]) => `${k!.padEnd(width)}  ${clean(v!)}`).join("\n") + "\n";
}

/** `strata pins set` for people. */
export function changeText(c: PinChange): string {
  const reason = c.reason !== undefined ? `, reason: ${c.reason}` : "";
  return clean(`${c.account}: ${c.from ?? "(unpinned)"} -> ${c.to} (by ${c.actor}${reason})`) + "\n";
}

/** `strata pins history` for people. */
export function historyText(account: string, entries: PinChange[]): string {
  if (entries.length === 0) return `No pin history for ${clean(account)}.\n`;
  return table(
    ["AT", "FROM", "TO", "ACTOR", "REASON"],
    entries.map((e) => [e.at.toISOString(), e.from ?? "-", e.to, e.actor, e.reason ?? ""]),
  );
}

/** One row of `strata pins usage`; `status` only when a version list was given. */
export interface UsageRow extends VersionUsage {
  status?: string;
}

/** `strata pins usage` for people. */
export function usageText(rows: UsageRow[]): string {
  if (rows.length === 0) return "No accounts are pinned.\n";
  const withStatus = rows.some((r) => r.status !== undefined);
  const headers = withStatus ? ["VERSION", "ACCOUNTS", "STATUS"] : ["VERSION", "ACCOUNTS"];
  return table(
    headers,
    rows.map((r) => (withStatus ? [r.version, String(r.accounts), r.status ?? ""] : [r.version, String(r.accounts)])),
  );
}
