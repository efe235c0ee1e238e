import semver from "semver";

/**
 * How version identifiers are parsed and ordered. The scheme is consulted at startup and when
 * resolving a client's header; per-request comparisons use precomputed ordinals.
 */
export interface VersionScheme {
  readonly name: string;
  /** The canonical form of `id`, or `undefined` if `id` is malformed under this scheme. */
  normalize(id: string): string | undefined;
  /** Negative if `a` is older than `b`; both already normalized. */
  compare(a: string, b: string): number;
  /** The release date implied by the id itself (date scheme), if any. */
  impliedDate?(id: string): Date | undefined;
}

/** A custom scheme: your own parsing and ordering. */
export interface CustomSchemeOptions {
  name?: string;
  /** Return the canonical id, or `undefined` if malformed. Defaults to accepting any non-empty string. */
  normalize?: (id: string) => string | undefined;
  compare: (a: string, b: string) => number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:\.([a-z][a-z0-9_-]{0,31}))?$/;

function parseDate(id: string): { date: string; name?: string } | undefined {
  const m = DATE.exec(id);
  if (!m) return undefined;
  const [, y, mo, d, name] = m;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  // Rejects 2024-02-30 and friends, which Date.UTC silently rolls over.
  if (new Date(t).toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) return undefined;
  return name === undefined ? { date: `${y}-${mo}-${d}` } : { date: `${y}-${mo}-${d}`, name };
}

/**
 * ISO dates, Stripe style: `2024-06-20`, optionally with a release name `2024-09-30.acacia`.
 * Ordered by date; two versions may not share a date.
 */
export const dateScheme: VersionScheme = {
  name: "date",
  normalize: (id) => (parseDate(id.trim()) ? id.trim() : undefined),
  compare(a, b) {
    const da = parseDate(a)!.date;
    const db = parseDate(b)!.date;
    return da < db ? -1 : da > db ? 1 : 0;
  },
  impliedDate: (id) => {
    const p = parseDate(id);
    return p && new Date(`${p.date}T00:00:00Z`);
  },
};

/**
 * Keygen-style `major.minor` (`1.0`, `1.6`) or full semver (`1.2.3`). `1.0` and `1.0.0` are
 * the same version; the form used in the configuration is canonical.
 */
export const semverScheme: VersionScheme = {
  name: "semver",
  normalize(id) {
    const trimmed = id.trim();
    if (!/^\d+\.\d+(\.\d+)?$/.test(trimmed)) return undefined;
    return semver.valid(toSemver(trimmed)) ? trimmed : undefined;
  },
  compare: (a, b) => semver.compare(toSemver(a), toSemver(b)),
};

function toSemver(id: string): string {
  return id.split(".").length === 2 ? `${id}.0` : id;
}

/** Build a scheme from your own ordering. */
export function customScheme(options: CustomSchemeOptions): VersionScheme {
  const normalize = options.normalize ?? ((id: string) => (id.trim() ? id.trim() : undefined));
  return { name: options.name ?? "custom", normalize, compare: options.compare };
}

/** The scheme option of `defineVersions`: a built-in name or a scheme object. */
export type SchemeOption = "date" | "semver" | VersionScheme;

export function schemeFrom(option: SchemeOption | undefined): VersionScheme {
  if (option === undefined || option === "date") return dateScheme;
  if (option === "semver") return semverScheme;
  return option;
}

/**
 * Keys under which a client may name a version: the canonical id and, when unambiguous,
 * equivalent spellings (`2024-09-30` for `2024-09-30.acacia`, `1.1.0` for `1.1`).
 */
export function aliasesOf(scheme: VersionScheme, id: string): string[] {
  if (scheme === dateScheme) {
    const p = parseDate(id)!;
    return p.name ? [id, p.date] : [id];
  }
  if (scheme === semverScheme) {
    const parts = id.split(".");
    return parts.length === 2 ? [id, `${id}.0`] : parts[2] === "0" ? [id, `${parts[0]}.${parts[1]}`] : [id];
  }
  return [id];
}
