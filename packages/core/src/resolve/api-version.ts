import type { Change } from "../define/change";
/** What an ApiVersion asks of its version set (`VersionSet` has all of it). */
export interface VersionLookup {
  readonly latest: Version;
  readonly supported: readonly string[];
  get(id: string): Version | undefined;
  versionOf(change: Change): Version;
}
import type { Version } from "../define/change";

/** Where a request's version came from. */
export type VersionSource = "request" | "header" | "pin" | "first-request" | "default" | "payload";

/**
 * The version a request speaks, for handlers. Side-effect changes are asked about by object,
 * never by comparing version strings in handlers.
 *
 * @example
 * if (!req.apiVersion.has(scopesRequired)) body.scopes ??= [];
 */
export class ApiVersion {
  constructor(
    private readonly set: VersionLookup,
    readonly version: Version,
    readonly source: VersionSource = "default",
  ) {}

  get id(): string {
    return this.version.id;
  }

  get isLatest(): boolean {
    return this.version === this.set.latest;
  }

  /** Whether this version includes `change` (was introduced at or before it). */
  has(change: Change): boolean {
    return this.version.ordinal >= this.set.versionOf(change).ordinal;
  }

  /** Strictly older than `other`. Throws for an id this API does not have: a typo, not a client error. */
  isBefore(other: string | Version): boolean {
    return this.version.ordinal < this.ordinalOf(other);
  }

  /** The same as or newer than `other`. */
  isAtLeast(other: string | Version): boolean {
    return this.version.ordinal >= this.ordinalOf(other);
  }

  toString(): string {
    return this.version.id;
  }

  toJSON(): string {
    return this.version.id;
  }

  private ordinalOf(other: string | Version): number {
    if (typeof other !== "string") return other.ordinal;
    const v = this.set.get(other);
    if (!v) throw new RangeError(`Unknown version "${other}"; this API has ${this.set.supported.join(", ")}.`);
    return v.ordinal;
  }
}
