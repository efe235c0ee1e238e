import type { Version } from "./define/change";

/** One version's entry in the changelog. */
export interface ChangelogEntry {
  version: string;
  /** `YYYY-MM-DD`, when known. */
  releasedAt?: string;
  description?: string;
  deprecatedAt?: string;
  sunsetAt?: string;
  changes: { description: string; kind: string; routes?: string[]; resource?: string }[];
}

/** Entries for versions in (from, to], newest first. */
export function buildChangelog(newestFirst: readonly Version[], from?: Version, to?: Version): ChangelogEntry[] {
  const lo = from?.ordinal ?? -1;
  const hi = to?.ordinal ?? Number.POSITIVE_INFINITY;
  const day = (d: Date | undefined) => d?.toISOString().slice(0, 10);
  return newestFirst
    .filter((v) => v.ordinal > lo && v.ordinal <= hi)
    .map((v) => {
      const entry: ChangelogEntry = {
        version: v.id,
        changes: v.changes.map((c) => ({
          description: c.description,
          kind: c.kind,
          ...(c.kind === "route" ? { routes: c.routes.map((r) => r.label) } : {}),
          ...(c.kind === "resource" ? { resource: c.resource } : {}),
        })),
      };
      if (v.releasedAt) entry.releasedAt = day(v.releasedAt)!;
      if (v.description) entry.description = v.description;
      if (v.deprecatedAt) entry.deprecatedAt = day(v.deprecatedAt)!;
      if (v.sunsetAt) entry.sunsetAt = day(v.sunsetAt)!;
      return entry;
    });
}

/** The changelog as Markdown, one section per version. */
export function renderChangelog(entries: readonly ChangelogEntry[]): string {
  return entries
    .map((e) => {
      const head = `## ${e.version}${e.releasedAt && e.releasedAt !== e.version.slice(0, 10) ? ` (${e.releasedAt})` : ""}`;
      const lines = e.changes.length ? e.changes.map((c) => `- ${c.description}`) : ["- Initial version."];
      return [head, ...(e.description ? [e.description, ""] : []), ...lines].join("\n");
    })
    .join("\n\n");
}
