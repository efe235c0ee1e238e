import { ConfigurationError, VersionNotInMajorError } from "../errors";
import type { Version } from "../define/change";
import type { VersionSet } from "../version-set";

/**
 * One URL prefix and the versions it serves: Keygen's `/v1` serves `1.0` to `1.6`, Unkey's
 * `/v1` only `2024-01-01` and its `/v2` everything from `2025-07-01` on.
 */
export interface MajorSpec {
  /** A path prefix, `/v1`: it matches `/v1` and `/v1/...`, not `/v10`. */
  prefix: string;
  /** The oldest version the prefix serves. Default: the oldest. */
  from?: string;
  /** The newest version the prefix serves. Default: the newest (previews included). */
  to?: string;
  /**
   * What a version header outside the range gets: `"reject"` (default), a 400
   * `version_not_in_major`; `"ignore"`, the URL decides, as if no header were sent.
   */
  outside?: "reject" | "ignore";
}

/** A prefix's range, compiled once: what the resolver checks and clamps to. */
export interface Major {
  readonly prefix: string;
  readonly from: Version;
  readonly to: Version;
  /** The only version, when the prefix serves one: the URL fixes it. */
  readonly only?: Version;
  readonly label: string;
  readonly outside: "reject" | "ignore";
  matches(path: string): boolean;
  has(version: Version): boolean;
  /** The version itself when in range, else the range's nearest end. */
  clamp(version: Version): Version;
}

/** Validate and compile the prefixes once, longest first (so `/v1/admin` wins over `/v1`). */
export function compileMajors(specs: readonly MajorSpec[], versions: VersionSet, owner: string): Major[] {
  if (!Array.isArray(specs) || specs.length === 0)
    throw new ConfigurationError(`${owner}: \`majors\` must list at least one { prefix, from?, to? }.`, "majors");
  const seen = new Set<string>();
  const majors = specs.map((spec, i) => {
    const where = `${owner}: majors[${i}]`;
    if (typeof spec?.prefix !== "string" || !/^\/[^?#]*[^/?#]$/.test(spec.prefix)) {
      throw new ConfigurationError(`${where}: \`prefix\` must be a path like "/v1" (starting with "/", not ending with one).`, "majors");
    }
    if (seen.has(spec.prefix)) throw new ConfigurationError(`${where}: the prefix ${spec.prefix} is listed twice.`, "majors");
    seen.add(spec.prefix);
    const end = (id: string | undefined, fallback: Version, what: string): Version => {
      if (id === undefined) return fallback;
      const v = versions.get(id);
      if (!v) throw new ConfigurationError(`${where}: \`${what}\` names "${id}", which is not one of ${versions.supported.join(", ")}.`, "majors");
      return v;
    };
    const from = end(spec.from, versions.oldest, "from");
    const to = end(spec.to, versions.latest, "to");
    if (from.ordinal > to.ordinal) throw new ConfigurationError(`${where}: \`from\` ${from.id} is newer than \`to\` ${to.id}.`, "majors");
    if (spec.outside !== undefined && spec.outside !== "reject" && spec.outside !== "ignore") {
      throw new ConfigurationError(`${where}: \`outside\` must be "reject" or "ignore".`, "majors");
    }
    const prefix = spec.prefix;
    const major: Major = {
      prefix,
      from,
      to,
      ...(from === to ? { only: from } : {}),
      label: from === to ? from.id : `${from.id} to ${to.id}`,
      outside: spec.outside ?? "reject",
      matches: (path) => path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47),
      has: (v) => v.ordinal >= from.ordinal && v.ordinal <= to.ordinal,
      clamp: (v) => (v.ordinal > to.ordinal ? to : v.ordinal < from.ordinal ? from : v),
    };
    return Object.freeze(major);
  });
  return majors.sort((a, b) => b.prefix.length - a.prefix.length);
}

/** The version header named a version the URL's prefix does not serve. */
export function notInMajor(major: Major, version: Version, header: string): VersionNotInMajorError {
  return new VersionNotInMajorError(version.id, major.prefix, major.label, header);
}
