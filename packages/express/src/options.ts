import type { Request } from "express";
import {
  ConfigurationError,
  checkOptions,
  compileMajors,
  option,
  type Major,
  type MajorSpec,
  type OptionRule,
  type PinStore,
  type Version,
  type VersionSet,
  type WalkGuide,
} from "@strata/core";
import { rules } from "./option-rules";
import type { ResponseContracts } from "./response-contracts";
import type { ResolvedEvent, UsageOption } from "./usage";

/** Options of {@link versioning}. */
export interface VersioningOptions {
  /** The version list from `defineVersions`. */
  versions: VersionSet;
  /**
   * A version the request itself fixes, before header and pin: for APIs whose major version
   * lives in the URL (`/customer/v1/...` is always `1.0`). Return `undefined` to fall through.
   */
  fromRequest?: (req: Request) => string | undefined;
  /**
   * Which URL prefix serves which versions, for APIs with the major in the URL and the minor
   * (or date) in the header: `[{ prefix: "/v1", from: "1.0", to: "1.6" }]`. A header outside
   * the prefix's range is a 400 `version_not_in_major`; a prefix serving one version fixes it
   * (no pin, no Vary); a pin or default outside the range is served at its nearest end.
   */
  majors?: readonly MajorSpec[];
  /** Request header naming the version; echoed on responses. Default `Api-Version`. */
  header?: string;
  /** The account a request belongs to, for pinning. Return `undefined` for anonymous requests. */
  account?: (req: Request) => string | undefined | Promise<string | undefined>;
  /** Where pins live. Without it (or without `account`) requests never pin. */
  pins?: PinStore;
  /** Version for a request with neither header nor pin: `"latest"` (default: the newest stable), `"oldest"` or an id. */
  default?: string;
  /** Pin an unpinned account to the latest version on its first request. Default `true`. */
  pinOnFirstRequest?: boolean;
  /**
   * When the pin store fails: `"fail-closed"` (default) answers 503 with `Retry-After`;
   * `"serve-default"` serves the default version and adds a `Strata-Warning` header.
   */
  onStoreError?: "fail-closed" | "serve-default";
  /** Seconds in `Retry-After` when failing closed. Default 5. */
  retryAfter?: number;
  /** Pin cache: `false` to disable, or its size and TTL. Default 10,000 accounts for 60 s. */
  cache?: false | { max?: number; ttlMs?: number };
  /** Largest JSON body the middleware parses for changes, in bytes. Default 1 MiB. */
  jsonLimit?: number;
  /**
   * Let the chain migrate response bodies in place instead of copying what it changes. Only
   * for handlers that build a fresh body for every response: a body shared between requests
   * (a cache, a constant) would be rewritten for every later client. Frozen objects are still
   * copied. Default `false`: the handler's objects are never changed.
   */
  migrateInPlace?: boolean;
  /** The request id added to problems and logs. Default: `x-request-id`, else generated. */
  requestId?: (req: Request) => string | undefined;
  /** Clock for deprecation and sunset decisions (tests). */
  now?: () => Date;
  /**
   * Prefix of problem `type` URIs. Default: the app setting `"strata problem type base"`
   * (`app.set(...)`, read by every Strata factory), else `about:blank`.
   */
  problemTypeBase?: string;
  /**
   * Response header that carries the request id a problem reports. Default: the app setting
   * `"strata request id header"`, else `Request-Id`; `false` sends none.
   */
  requestIdHeader?: string | false;
  /**
   * For staging: check each migrated response against its version's contract (`contracts`).
   * `"log"` reports a mismatch on stderr and sends the response; `"error"` answers a 500
   * problem instead. Default `"off"`: nothing is checked, nothing costs. Responses at the
   * latest version are not migrated, so not checked.
   */
  validateResponses?: "off" | "log" | "error";
  /** The contracts `validateResponses` checks against: `defineContracts()` from `@strata/openapi`. */
  contracts?: ResponseContracts;
  /** Where `validateResponses` reports (tests, your logger). Default: `console.warn`. */
  onContractViolation?: (line: string) => void;
  /**
   * Where resources can be in each response, from the head document (`contracts.walkGuides`
   * of `@strata/openapi`): the chain's walk enters only there instead of every object. As
   * exact as the document: a resource where the schema says none can be is not migrated.
   */
  walkGuides?: { find(method: string, path: string, status: number): WalkGuide | undefined };
  /**
   * Record requests per account and version (and the version's source: header, pin, default,
   * URL), counted in memory and written in batches, one write per interval: `true` writes to
   * `pins` (every Strata pin store can), or give `{ store, flushIntervalMs }`. Read back by the
   * admin router's `GET /usage` and `strata usage`.
   */
  usage?: UsageOption;
  /** Called for every resolved request (metrics): see `usageMetrics()`. Must not throw; if it does, it is ignored. */
  onResolved?: (event: ResolvedEvent) => void;
}

/** Options after defaults and validation, computed once at startup. */
export type NormalizedOptions = Pick<VersioningOptions, "versions" | "account" | "fromRequest" | "pins" | "requestId" | "problemTypeBase" | "requestIdHeader"> &
  Required<
    Pick<
      VersioningOptions,
      "header" | "pinOnFirstRequest" | "onStoreError" | "retryAfter" | "jsonLimit" | "migrateInPlace" | "now" | "validateResponses" | "onContractViolation"
    >
  > & {
    contracts?: ResponseContracts;
    walkGuides?: VersioningOptions["walkGuides"];
    majors?: readonly Major[];
    usage?: UsageOption;
    onResolved?: (event: ResolvedEvent) => void;
    headerKey: string;
    defaultVersion: Version;
    cache: { max: number; ttlMs: number };
  };

const PIN_METHODS = ["get", "pinIfAbsent", "set", "history", "usage"] as const;
const isCache = (v: unknown) =>
  v === false ||
  (typeof v === "object" &&
    v !== null &&
    ["max", "ttlMs"].every(
      (k) =>
        (v as Record<string, unknown>)[k] === undefined ||
        (typeof (v as Record<string, unknown>)[k] === "number" && ((v as Record<string, number>)[k] as number) >= 0),
    ));

const RULES = {
  versions: rules.versionSet(["migrateRequest"]),
  fromRequest: option.function("a function (req) => version id or undefined"),
  majors: option.custom(Array.isArray, "a list of { prefix, from?, to? }"),
  usage: option.custom((v) => v === true || (typeof v === "object" && v !== null), "true, or { store?, flushIntervalMs?, maxRows? }"),
  onResolved: option.function("a function (event) => void"),
  header: rules.headerName(),
  account: option.function("a function (req) => account id"),
  pins: rules.pinStore(PIN_METHODS, "a PinStore"),
  default: option.nonEmptyString('"latest", "oldest" or a version id'),
  pinOnFirstRequest: option.boolean(),
  onStoreError: option.oneOf("fail-closed", "serve-default"),
  retryAfter: option.integer(0, 86_400, "a whole number of seconds"),
  cache: option.custom(isCache, "false, or { max, ttlMs } with non-negative numbers"),
  jsonLimit: option.number(0, "a positive number of bytes"),
  migrateInPlace: option.boolean(),
  requestId: option.function(),
  now: option.function("a function returning the current Date"),
  problemTypeBase: option.nonEmptyString("a non-empty string (a URI prefix)"),
  requestIdHeader: rules.headerNameOrFalse(),
  validateResponses: option.oneOf("off", "log", "error"),
  contracts: option.custom(
    (v) => typeof (v as { validateResponse?: unknown } | undefined)?.validateResponse === "function",
    "contracts with validateResponse(), from defineContracts()",
  ),
  onContractViolation: option.function("a function (line) => void"),
  walkGuides: option.custom(
    (v) => typeof (v as { find?: unknown } | undefined)?.find === "function",
    "walk guides with find(method, path, status), from defineContracts()",
  ),
} satisfies Record<keyof VersioningOptions, OptionRule>;

/** Validate and complete the options; throws a ConfigurationError naming the bad option. */
export function normalizeOptions(options: VersioningOptions): NormalizedOptions {
  const o = checkOptions("versioning()", options, RULES) as unknown as VersioningOptions;
  const { versions } = o;
  const header = o.header ?? "Api-Version";
  const wanted = o.default ?? "latest";
  // "latest" is the newest stable version: a preview is served only to those who name it.
  const defaultVersion = wanted === "latest" ? versions.current : wanted === "oldest" ? versions.oldest : versions.get(wanted);
  if (!defaultVersion) {
    throw new ConfigurationError(`versioning(): \`default\` names "${wanted}", which is not one of ${versions.supported.join(", ")}.`, "default");
  }
  if (defaultVersion.preview)
    throw new ConfigurationError(
      `versioning(): \`default\` names the preview ${defaultVersion.id}; a preview is served only to requests that name it.`,
      "default",
    );
  if (o.validateResponses !== undefined && o.validateResponses !== "off" && !o.contracts) {
    throw new ConfigurationError(
      `versioning(): \`validateResponses: "${o.validateResponses}"\` needs \`contracts\` to check against (defineContracts() from @strata/openapi).`,
      "contracts",
    );
  }
  const cache = o.cache === false ? { max: 0, ttlMs: 0 } : { max: o.cache?.max ?? 10_000, ttlMs: o.cache?.ttlMs ?? 60_000 };
  const result: NormalizedOptions = {
    versions,
    header,
    headerKey: header.toLowerCase(),
    defaultVersion,
    pinOnFirstRequest: o.pinOnFirstRequest ?? true,
    onStoreError: o.onStoreError ?? "fail-closed",
    retryAfter: o.retryAfter ?? 5,
    cache,
    jsonLimit: o.jsonLimit ?? 1024 * 1024,
    migrateInPlace: o.migrateInPlace ?? false,
    now: o.now ?? (() => new Date()),
    validateResponses: o.validateResponses ?? "off",
    onContractViolation: o.onContractViolation ?? ((line) => console.warn(line)),
  };
  if (o.majors !== undefined) result.majors = compileMajors(o.majors, versions, "versioning()");
  for (const key of [
    "account",
    "fromRequest",
    "pins",
    "requestId",
    "problemTypeBase",
    "requestIdHeader",
    "contracts",
    "walkGuides",
    "usage",
    "onResolved",
  ] as const) {
    if (o[key] !== undefined) (result as Record<string, unknown>)[key] = o[key];
  }
  return result;
}
