import type { Request } from "express";
import { ConfigurationError, type PinStore, type Version, type VersionSet } from "@strata/core";

/** Options of {@link versioning}. */
export interface VersioningOptions {
  /** The version list from `defineVersions`. */
  versions: VersionSet;
  /**
   * A version the request itself fixes, before header and pin: for APIs whose major version
   * lives in the URL (`/customer/v1/...` is always `1.0`). Return `undefined` to fall through.
   */
  fromRequest?: (req: Request) => string | undefined;
  /** Request header naming the version; echoed on responses. Default `Api-Version`. */
  header?: string;
  /** The account a request belongs to, for pinning. Return `undefined` for anonymous requests. */
  account?: (req: Request) => string | undefined | Promise<string | undefined>;
  /** Where pins live. Without it (or without `account`) requests never pin. */
  pins?: PinStore;
  /** Version for a request with neither header nor pin: `"latest"` (default), `"oldest"` or an id. */
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
  /** Prefix of problem `type` URIs. Default `https://strata.dev/problems/`. */
  problemTypeBase?: string;
}

/** Options after defaults and validation, computed once at startup. */
export interface NormalizedOptions {
  versions: VersionSet;
  header: string;
  headerKey: string;
  account?: VersioningOptions["account"];
  fromRequest?: VersioningOptions["fromRequest"];
  pins?: PinStore;
  defaultVersion: Version;
  pinOnFirstRequest: boolean;
  onStoreError: "fail-closed" | "serve-default";
  retryAfter: number;
  cache: { max: number; ttlMs: number };
  jsonLimit: number;
  migrateInPlace: boolean;
  requestId?: VersioningOptions["requestId"];
  now: () => Date;
  problemTypeBase?: string;
}

const KEYS = new Set(["versions", "fromRequest", "header", "account", "pins", "default", "pinOnFirstRequest", "onStoreError", "retryAfter", "cache", "jsonLimit", "migrateInPlace", "requestId", "now", "problemTypeBase"]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const PIN_METHODS = ["get", "pinIfAbsent", "set", "history", "usage"] as const;

/** Validate and complete the options; throws a ConfigurationError naming the bad option. */
export function normalizeOptions(options: VersioningOptions): NormalizedOptions {
  const fail = (option: string, message: string): never => {
    throw new ConfigurationError(`versioning(): \`${option}\` ${message}`, option);
  };
  if (typeof options !== "object" || options === null) throw new ConfigurationError("versioning(): expected an options object.");
  const o = { ...options };
  for (const key of Object.keys(o)) if (!KEYS.has(key)) fail(key, `is not an option. Known options: ${[...KEYS].join(", ")}.`);
  const versions = o.versions;
  if (!versions || typeof versions.migrateRequest !== "function") fail("versions", "must be the result of defineVersions().");
  const header = o.header ?? "Api-Version";
  if (typeof header !== "string" || !TOKEN.test(header)) fail("header", `must be a valid HTTP header name, got ${JSON.stringify(header)}.`);
  if (o.account !== undefined && typeof o.account !== "function") fail("account", "must be a function (req) => account id.");
  if (o.fromRequest !== undefined && typeof o.fromRequest !== "function") fail("fromRequest", "must be a function (req) => version id or undefined.");
  if (o.pins !== undefined) {
    for (const m of PIN_METHODS) if (typeof (o.pins as unknown as Record<string, unknown>)?.[m] !== "function") fail("pins", `must be a PinStore (missing ${m}()).`);
  }
  let defaultVersion: Version;
  const wanted = o.default ?? "latest";
  if (wanted === "latest") defaultVersion = versions.latest;
  else if (wanted === "oldest") defaultVersion = versions.oldest;
  else defaultVersion = versions.get(wanted) ?? fail("default", `names "${wanted}", which is not one of ${versions.supported.join(", ")}.`);
  const onStoreError = o.onStoreError ?? "fail-closed";
  if (onStoreError !== "fail-closed" && onStoreError !== "serve-default") fail("onStoreError", `must be "fail-closed" or "serve-default".`);
  const retryAfter = o.retryAfter ?? 5;
  if (!Number.isInteger(retryAfter) || retryAfter < 0) fail("retryAfter", "must be a whole number of seconds.");
  const cache = o.cache === false ? { max: 0, ttlMs: 0 } : { max: o.cache?.max ?? 10_000, ttlMs: o.cache?.ttlMs ?? 60_000 };
  if (!(cache.max >= 0) || !(cache.ttlMs >= 0)) fail("cache", "needs non-negative `max` and `ttlMs`.");
  const jsonLimit = o.jsonLimit ?? 1024 * 1024;
  if (!(jsonLimit > 0)) fail("jsonLimit", "must be a positive number of bytes.");
  if (o.migrateInPlace !== undefined && typeof o.migrateInPlace !== "boolean") fail("migrateInPlace", "must be true or false.");
  if (o.requestId !== undefined && typeof o.requestId !== "function") fail("requestId", "must be a function.");
  if (o.problemTypeBase !== undefined && (typeof o.problemTypeBase !== "string" || !o.problemTypeBase)) fail("problemTypeBase", "must be a non-empty string (a URI prefix).");
  const result: NormalizedOptions = {
    versions,
    header,
    headerKey: header.toLowerCase(),
    defaultVersion,
    pinOnFirstRequest: o.pinOnFirstRequest ?? true,
    onStoreError,
    retryAfter,
    cache,
    jsonLimit,
    migrateInPlace: o.migrateInPlace ?? false,
    now: o.now ?? (() => new Date()),
  };
  if (o.account) result.account = o.account;
  if (o.fromRequest) result.fromRequest = o.fromRequest;
  if (o.pins) result.pins = o.pins;
  if (o.requestId) result.requestId = o.requestId;
  if (o.problemTypeBase) result.problemTypeBase = o.problemTypeBase;
  return result;
}
