import type { Change } from "./change";

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
