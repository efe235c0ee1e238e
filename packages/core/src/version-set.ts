import type { Change } from "./define/change";
import { buildOps, compilePlans, type Op, type Plan } from "./compile/plans";
import { flattenSteps, type Step } from "./compile/steps";
import { assertReachableRoutes } from "./compile/route-rules";
import { ConfigurationError, InvalidVersionError, UnsupportedVersionError } from "./errors";
import { checkOptions, option } from "./define/options";
import { compileLog, migrateLog } from "./log";
import { RequestMigration, Session } from "./run/migrator";
import { aliasesOf, schemeFrom, type SchemeOption, type VersionScheme } from "./define/schemes";
import type { JsonObject, RequestShape, ResponseShape } from "./shapes";
import type { Version, VersionDefinition } from "./define/change";
import { ApiVersion, type VersionSource } from "./resolve/api-version";
import { buildChangelog, type ChangelogEntry } from "./changelog";
import { identifierFor, validateVersions } from "./define/versions";

/** Options of {@link defineVersions}. */
export interface DefineVersionsOptions {
  /** How ids parse and order: `"date"` (default), `"semver"`, or `customScheme(...)`. */
  scheme?: SchemeOption;
  /** Newest first, each with the changes it introduced. The last entry is the oldest version. */
  versions: readonly VersionDefinition[];
  /**
   * How to recognise each resource type in payloads, by name. Without it, an object's type is
   * its `object` field (Stripe's convention), and resource names are not checked.
   */
  resources?: Record<string, (value: JsonObject) => boolean>;
}

/** The validated, precompiled version configuration: the changelog and the migrator in one. */
export interface VersionSet {
  readonly scheme: VersionScheme;
  /** Newest first. */
  readonly list: readonly Version[];
  /** The newest version: the one the handlers implement (a preview, when there is one). */
  readonly latest: Version;
  /** The newest stable version: what pins, defaults and upgrades choose. `latest` unless previews exist. */
  readonly current: Version;
  readonly oldest: Version;
  /** Ids, newest first, as listed in errors. */
  readonly supported: readonly string[];
  /** The version for an id or accepted alias (`2024-09-30` for `2024-09-30.acacia`). */
  get(id: string): Version | undefined;
  /**
   * The version an account pinned to `id` is served at. A configured id is its own version. An
   * id this instance does not have (a pin written by a newer release during a rolling deploy,
   * or a version since removed) is served at the newest configured version not newer than it,
   * the shape closest to what the account was promised: the latest, for a newer pin; the
   * oldest when every configured version is newer or the id does not parse. Never a preview:
   * a pin is served at a stable version.
   */
  nearest(id: string): Version;
  /** Like `get`, but throws InvalidVersionError / UnsupportedVersionError (400s) for clients. */
  resolve(id: string, header?: string): Version;
  /** The version that introduced `change`; throws if the change is not in this set. */
  versionOf(change: Change): Version;
  /** The handler-facing view of a version: `has(change)`, `isBefore(id)`, `isAtLeast(id)`. */
  apiVersion(version: Version | string, source?: VersionSource): ApiVersion;
  /** Versions after `from` up to `to` (default: all), newest first, with their changes. */
  changelog(options?: { from?: string; to?: string }): ChangelogEntry[];
  /** Old -> new: migrate a request from the client's version to the latest, in place. */
  migrateRequest(request: RequestShape, from: Version | string): RequestMigration;
  /**
   * New -> old for an error raised before a request could be migrated (for example a change
   * refusing the client's input): runs the global error transforms, so each version's clients
   * get errors in their own format.
   */
  migrateError(response: ResponseShape, to: Version | string): ResponseShape;
  /**
   * Migrate a bare payload (webhook event, resource) between versions. From newer to older it
   * runs resource `response` and global `event` transforms; from older to newer, resource
   * `request` transforms. `from` defaults to the latest version.
   */
  migratePayload<T = unknown>(payload: unknown, options: { to: Version | string; from?: Version | string }): T;
}

/**
 * Declare the API's versions, newest first, each with the changes it introduced. Everything
 * is validated here, once, with errors that name the offending version or change.
 *
 * @example
 * const versions = defineVersions({
 *   versions: [
 *     { id: "2025-09-01", changes: [ownerIdToExternalId] },
 *     { id: "2024-06-01" },
 *   ],
 * });
 */
export function defineVersions(options: DefineVersionsOptions): VersionSet {
  checkOptions("defineVersions()", options, {
    scheme: option.custom((v) => typeof v === "string" || (typeof v === "object" && v !== null), '"date", "semver" or customScheme(...)'),
    versions: option.required(option.custom((v) => Array.isArray(v) && v.length > 0, "the list of versions, newest first (at least one)")),
    resources: option.custom((v) => typeof v === "object" && v !== null, "an object mapping resource names to predicates"),
  });
  const scheme = schemeFrom(options.scheme);
  if (!Array.isArray(options.versions) || options.versions.length === 0) {
    throw new ConfigurationError("defineVersions(): `versions` must list at least one version, newest first.", "versions");
  }
  const list = validateVersions(options.versions, scheme);
  assertReachableRoutes(list);
  const identify = identifierFor(options.resources, list);
  const steps = flattenSteps(list);
  const plans = compilePlans(list, steps, identify);
  const stepOf = new Map<Change, Step>(steps.map((s) => [s.change, s]));

  const byAlias = new Map<string, Version>();
  for (const v of list) for (const alias of aliasesOf(scheme, v.id)) if (!byAlias.has(alias)) byAlias.set(alias, v);
  const supported = Object.freeze(list.map((v) => v.id));
  const latest = list[0]!;
  const current = list.find((v) => !v.preview)!;
  const oldest = list[list.length - 1]!;
  compileLog("%d versions (%s .. %s), %d changes", list.length, oldest.id, latest.id, steps.length);

  const lookup = (v: Version | string): Version => {
    if (typeof v !== "string") {
      if (plans.has(v)) return v;
      throw new ConfigurationError(`Version object ${v.id} does not belong to this version set.`, v.id);
    }
    const found = byAlias.get(v);
    if (!found) throw new UnsupportedVersionError(v, supported);
    return found;
  };

  // Payload plans, like request plans, are compiled once: from the latest version to each
  // older one (what webhooks render) at startup, any other pair on its first use.
  const payloadPlans = new Map<string, readonly Op[]>();
  const payloadOps = (from: Version, to: Version): readonly Op[] => {
    const key = `${from.ordinal}>${to.ordinal}`;
    let ops = payloadPlans.get(key);
    if (ops === undefined) {
      const forward = to.ordinal > from.ordinal;
      const lo = Math.min(to.ordinal, from.ordinal);
      const hi = Math.max(to.ordinal, from.ordinal);
      const between = steps.filter((s) => s.version.ordinal > lo && s.version.ordinal <= hi);
      ops = buildOps(forward ? between : between.reverse(), forward ? "request" : "event", identify);
      payloadPlans.set(key, ops);
    }
    return ops;
  };
  for (const version of list) if (version !== latest) payloadOps(latest, version);

  const set: VersionSet = {
    scheme,
    list,
    latest,
    current,
    oldest,
    supported,
    get: (id) => byAlias.get(id) ?? byAlias.get(scheme.normalize(id) ?? ""),
    nearest(id) {
      const known = set.get(id);
      if (known) return known.preview ? current : known;
      const normalized = scheme.normalize(id);
      if (normalized === undefined) return oldest;
      try {
        return list.find((v) => !v.preview && scheme.compare(v.id, normalized) <= 0) ?? oldest;
      } catch {
        return oldest; // a custom comparator that refuses the id
      }
    },
    resolve(id, header) {
      const exact = byAlias.get(id);
      if (exact) return exact;
      const normalized = scheme.normalize(id);
      if (normalized === undefined) {
        // `v1.2` for `1.2`: the most common slip, named so the client knows what to send.
        const unprefixed = /^v/i.test(id) ? scheme.normalize(id.slice(1)) : undefined;
        throw new InvalidVersionError(id, supported, header, unprefixed === undefined ? undefined : `drop the "${id[0]}" and send "${unprefixed}"`);
      }
      const found = byAlias.get(normalized);
      if (!found) throw new UnsupportedVersionError(id, supported, header);
      return found;
    },
    versionOf(change) {
      const step = stepOf.get(change);
      if (!step) throw new ConfigurationError(`Change "${change?.description}" is not attached to any version of this set.`, change?.description);
      return step.version;
    },
    apiVersion: (v, source) => new ApiVersion(set, lookup(v), source),
    changelog: (opts) => buildChangelog(list, opts?.from === undefined ? undefined : lookup(opts.from), opts?.to === undefined ? undefined : lookup(opts.to)),
    migrateRequest(request, from) {
      const version = lookup(from);
      const plan = plans.get(version) as Plan;
      const session = new Session(version);
      session.runRequest(plan.request, request);
      if (session.ran && plan.size > 0) migrateLog("%s %s from %s to %s: %o", request.method, request.path, version.id, latest.id, session.ran);
      return new RequestMigration(request, version, plan, session);
    },
    migrateError(response, to) {
      const version = lookup(to);
      new Session(version).runResponse((plans.get(version) as Plan).error, response, "error");
      return response;
    },
    migratePayload<T>(payload: unknown, opts: { to: Version | string; from?: Version | string }): T {
      const to = lookup(opts.to);
      const from = opts.from === undefined ? latest : lookup(opts.from);
      if (to === from) return payload as T;
      const forward = to.ordinal > from.ordinal;
      const session = new Session(to);
      const result = session.runPayload(payloadOps(from, to), payload, forward ? "request" : "event");
      if (session.ran) migrateLog("payload %s -> %s: %o", from.id, to.id, session.ran);
      return result as T;
    },
  };
  return Object.freeze(set);
}
