import type { Change } from "./change";
import type { VersionSet } from "../version-set";
import { VersionSunsetError } from "../errors";

/** One entry of the version list, as written in the configuration. */
export interface VersionDefinition {
  /** `2024-06-20`, `2024-09-30.acacia`, `1.1`, ... under the configured scheme. */
  id: string;
  /** The changes this version introduced, in the order they apply to requests. */
  changes?: readonly Change[];
  /** A summary for the changelog. */
  description?: string;
  /** Defaults to the date in the id under the date scheme. */
  releasedAt?: string | Date;
  /** From this date responses carry `Deprecation` (RFC 9745). */
  deprecatedAt?: string | Date;
  /** From this date the version answers 410; before it responses carry `Sunset` (RFC 8594). */
  sunsetAt?: string | Date;
}

/** A validated version. `ordinal` orders versions: 0 is the oldest. */
export interface Version {
  readonly id: string;
  readonly ordinal: number;
  readonly changes: readonly Change[];
  readonly description?: string;
  readonly releasedAt?: Date;
  readonly deprecatedAt?: Date;
  readonly sunsetAt?: Date;
}

/** Whether `version` is deprecated or retired at `now`. */
export function lifecycleOf(version: Version, now: Date): "active" | "deprecated" | "sunset" {
  if (version.sunsetAt && now >= version.sunsetAt) return "sunset";
  if (version.deprecatedAt && now >= version.deprecatedAt) return "deprecated";
  return "active";
}

/**
 * The 410 for a request at a retired version: it names the oldest version still served as the
 * upgrade path and lists only versions still served.
 *
 * @example
 * if (lifecycleOf(version, now) === "sunset") throw sunsetErrorFor(versions, version, now);
 */
export function sunsetErrorFor(versions: VersionSet, version: Version, now: Date): VersionSunsetError {
  const live = versions.list.filter((v) => lifecycleOf(v, now) !== "sunset");
  const upgradeTo = [...live].reverse().find((v) => v.ordinal > version.ordinal) ?? versions.latest;
  return new VersionSunsetError(version.id, version.sunsetAt ?? now, upgradeTo.id, live.map((v) => v.id));
}
