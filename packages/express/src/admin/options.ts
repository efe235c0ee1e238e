import type { Request } from "express";
import { checkOptions, option, type OptionRule, type PinStore, type VersionSet } from "@strata/core";
import { rules } from "../option-rules";
import type { VersioningMiddleware } from "../versioning";
import type { AdminAction } from "./errors";
import type { AdminPageOptions } from "./page/routes";

/**
 * Options of {@link versioningAdmin}.
 *
 * @example
 * const options: VersioningAdminOptions = {
 *   versions,
 *   pins,
 *   account: (req) => req.session?.accountId,
 *   authorize: (req, action, account) => account === req.session?.accountId && (action === "read" || req.session?.role === "owner"),
 *   actor: (req) => req.session!.userId,
 *   rollbackWindowHours: 24,
 * };
 */
export interface VersioningAdminOptions {
  /** The version list from `defineVersions`: the same one `versioning()` serves. */
  versions: VersionSet;
  /** Where pins live: the same store `versioning()` reads. */
  pins: PinStore;
  /** The account the admin acts on. Return `undefined` when the request is not signed in (401). */
  account: (req: Request) => string | undefined | Promise<string | undefined>;
  /**
   * Whether this request may perform `action` on `account` (what the `account` option
   * answered for it). Required: the router never guesses who is an admin. Check the account
   * too when it comes from the URL, or one account's admin could move another's pin. Return
   * `false` for a 403 `not_allowed`.
   */
  authorize: (req: Request, action: AdminAction, account: string) => boolean | Promise<boolean>;
  /** Who is recorded in the pin history for upgrades and rollbacks. Default `"admin"`. */
  actor?: (req: Request) => string | Promise<string>;
  /** How long after an upgrade it may be rolled back, in hours. Default 72; `0` disables rollback. */
  rollbackWindowHours?: number;
  /** The `versioning()` middleware of this instance: its cached pin is dropped after each change. */
  middleware?: Pick<VersioningMiddleware, "forget">;
  /** Largest JSON body accepted, in bytes. Default 16 KiB. */
  jsonLimit?: number;
  /** Seconds in `Retry-After` when the pin store fails. Default 5. */
  retryAfter?: number;
  /** Clock for the rollback window (tests). */
  now?: () => Date;
  /** Prefix of problem `type` URIs. Default: the app setting `"strata problem type base"`, else `about:blank`. */
  problemTypeBase?: string;
  /** Response header carrying the request id of a problem. Default: the app setting `"strata request id header"`, else `Request-Id`. */
  requestIdHeader?: string | false;
  /**
   * Serve the account admins' HTML page on `GET /` to browsers (the same routes keep answering
   * JSON to API clients): `true`, or `{ title, contracts }`. Off unless asked for.
   */
  page?: boolean | AdminPageOptions;
}

/** Options after defaults and validation. */
export type NormalizedAdminOptions = Pick<
  VersioningAdminOptions,
  "versions" | "pins" | "account" | "authorize" | "middleware" | "problemTypeBase" | "requestIdHeader"
> &
  Required<Pick<VersioningAdminOptions, "actor" | "jsonLimit" | "retryAfter" | "now">> & { rollbackWindowMs: number; page?: AdminPageOptions };

const PIN_METHODS = ["get", "set", "history"] as const;
const RULES = {
  versions: rules.versionSet(["resolve", "changelog"]),
  pins: option.required(rules.pinStore(PIN_METHODS, "the PinStore that versioning() uses")),
  account: option.required(option.function("a function (req) => the account id the admin acts on")),
  authorize: option.required(option.function("a function (req, action, account) => boolean deciding who may read, upgrade and roll back pins")),
  actor: option.function("a function (req) => who is recorded in the pin history"),
  rollbackWindowHours: option.number(0, "a non-negative number of hours", true),
  middleware: option.custom((v) => typeof (v as { forget?: unknown } | null)?.forget === "function", "the middleware returned by versioning()"),
  jsonLimit: option.number(0, "a positive number of bytes"),
  retryAfter: option.integer(0, 86_400, "a whole number of seconds"),
  now: option.function("a function returning the current Date"),
  problemTypeBase: option.nonEmptyString("a non-empty string (a URI prefix)"),
  requestIdHeader: rules.headerNameOrFalse(),
  page: option.custom(
    (v) =>
      typeof v === "boolean" ||
      (typeof v === "object" &&
        v !== null &&
        ((v as { contracts?: unknown }).contracts === undefined || typeof (v as { contracts: { diff?: unknown } }).contracts.diff === "function")),
    "true, false, or { title?, contracts? }",
  ),
} satisfies Record<keyof VersioningAdminOptions, OptionRule>;

/** Validate and complete the options; throws a ConfigurationError naming the bad option. */
export function normalizeAdminOptions(options: VersioningAdminOptions): NormalizedAdminOptions {
  const o = checkOptions("versioningAdmin()", options, RULES) as unknown as VersioningAdminOptions;
  const result: NormalizedAdminOptions = {
    versions: o.versions,
    pins: o.pins,
    account: o.account,
    authorize: o.authorize,
    actor: o.actor ?? (() => "admin"),
    rollbackWindowMs: (o.rollbackWindowHours ?? 72) * 3_600_000,
    jsonLimit: o.jsonLimit ?? 16 * 1024,
    retryAfter: o.retryAfter ?? 5,
    now: o.now ?? (() => new Date()),
  };
  if (o.middleware) result.middleware = o.middleware;
  if (o.problemTypeBase) result.problemTypeBase = o.problemTypeBase;
  if (o.requestIdHeader !== undefined) result.requestIdHeader = o.requestIdHeader;
  if (o.page) result.page = o.page === true ? {} : { ...o.page };
  return result;
}
