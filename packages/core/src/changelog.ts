import type { Version } from "./define/change";

/** One version's entry in the changelog. */
export interface ChangelogEntry {
  version: string;
  /** `YYYY-MM-DD`, when known. */
  releasedAt?: string;
  description?: string;
  deprecatedAt?: string;
  sunsetAt?: string;
  /** A preview version: reachable only by naming it in the header. */
  preview?: boolean;
  /** The upgrade guide for clients of this version. */
  upgradeGuide?: string;
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
      if (v.preview) entry.preview = true;
      if (v.upgradeGuide) entry.upgradeGuide = v.upgradeGuide;
      return entry;
    });
}

/** The changelog as Markdown, one section per version. */
export function renderChangelog(entries: readonly ChangelogEntry[]): string {
  return entries
    .map((e) => {
      const head = `## ${e.version}${e.preview ? " (preview)" : ""}${e.releasedAt && e.releasedAt !== e.version.slice(0, 10) ? ` (${e.releasedAt})` : ""}`;
      const lines = e.changes.length ? e.changes.map((c) => `- ${c.description}`) : ["- Initial version."];
      const lifecycle = [
        e.preview ? "Preview: served only to requests that name it in the version header; never chosen by a pin or a default." : undefined,
        e.deprecatedAt ? `Deprecated from ${e.deprecatedAt}.` : undefined,
        e.sunsetAt ? `Sunset on ${e.sunsetAt}: from then on requests at this version are refused (410).` : undefined,
        e.upgradeGuide ? `Upgrade guide: ${e.upgradeGuide}` : undefined,
      ].filter((l): l is string => l !== undefined);
      return [head, ...(e.description ? [e.description, ""] : []), ...(lifecycle.length ? [`_${lifecycle.join(" ")}_`, ""] : []), ...lines].join("\n");
    })
    .join("\n\n");
}
