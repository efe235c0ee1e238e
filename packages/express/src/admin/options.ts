import type { Request } from "express";
import { ConfigurationError, type PinStore, type VersionSet } from "@strata/core";
import type { VersioningMiddleware } from "../versioning";
import type { AdminAction } from "./errors";

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
  /** Prefix of problem `type` URIs. Default `https://strata.dev/problems/`. */
  problemTypeBase?: string;
}

/** Options after defaults and validation. */
export interface NormalizedAdminOptions {
  versions: VersionSet;
  pins: PinStore;
  account: VersioningAdminOptions["account"];
  authorize: VersioningAdminOptions["authorize"];
  actor: (req: Request) => string | Promise<string>;
  rollbackWindowMs: number;
  middleware?: Pick<VersioningMiddleware, "forget">;
  jsonLimit: number;
  retryAfter: number;
  now: () => Date;
  problemTypeBase?: string;
}

const KEYS = ["versions", "pins", "account", "authorize", "actor", "rollbackWindowHours", "middleware", "jsonLimit", "retryAfter", "now", "problemTypeBase"];
const PIN_METHODS = ["get", "set", "history"] as const;

/** Validate and complete the options; throws a ConfigurationError naming the bad option. */
export function normalizeAdminOptions(options: VersioningAdminOptions): NormalizedAdminOptions {
  const fail = (option: string, message: string): never => {
    throw new ConfigurationError(`versioningAdmin(): \`${option}\` ${message}`, option);
  };
  if (typeof options !== "object" || options === null) throw new ConfigurationError("versioningAdmin(): expected an options object.");
  for (const key of Object.keys(options)) if (!KEYS.includes(key)) fail(key, `is not an option. Known options: ${KEYS.join(", ")}.`);
  const o = options as Partial<VersioningAdminOptions>;
  if (!o.versions || typeof o.versions.resolve !== "function" || typeof o.versions.changelog !== "function") {
    fail("versions", "must be the result of defineVersions().");
  }
  if (!o.pins || typeof o.pins !== "object") fail("pins", "is required: the PinStore that versioning() uses.");
  for (const m of PIN_METHODS) if (typeof (o.pins as unknown as Record<string, unknown>)[m] !== "function") fail("pins", `must be a PinStore (missing ${m}()).`);
  if (typeof o.account !== "function") fail("account", "is required: a function (req) => the account id the admin acts on.");
  if (typeof o.authorize !== "function") {
    fail("authorize", "is required: a function (req, action) => boolean deciding who may read, upgrade and roll back pins.");
  }
  if (o.actor !== undefined && typeof o.actor !== "function") fail("actor", "must be a function (req) => who is recorded in the pin history.");
  const hours = o.rollbackWindowHours ?? 72;
  if (typeof hours !== "number" || !Number.isFinite(hours) || hours < 0) fail("rollbackWindowHours", `must be a non-negative number of hours, got ${JSON.stringify(hours)}.`);
  if (o.middleware !== undefined && typeof o.middleware?.forget !== "function") fail("middleware", "must be the middleware returned by versioning().");
  const jsonLimit = o.jsonLimit ?? 16 * 1024;
  if (typeof jsonLimit !== "number" || !(jsonLimit > 0)) fail("jsonLimit", "must be a positive number of bytes.");
  const retryAfter = o.retryAfter ?? 5;
  if (!Number.isInteger(retryAfter) || retryAfter < 0) fail("retryAfter", "must be a whole number of seconds.");
  if (o.now !== undefined && typeof o.now !== "function") fail("now", "must be a function returning the current Date.");
  if (o.problemTypeBase !== undefined && (typeof o.problemTypeBase !== "string" || !o.problemTypeBase)) fail("problemTypeBase", "must be a non-empty string (a URI prefix).");
  const result: NormalizedAdminOptions = {
    versions: o.versions!,
    pins: o.pins!,
    account: o.account!,
    authorize: o.authorize!,
    actor: o.actor ?? (() => "admin"),
    rollbackWindowMs: hours * 3_600_000,
    jsonLimit,
    retryAfter,
    now: o.now ?? (() => new Date()),
  };
  if (o.middleware) result.middleware = o.middleware;
  if (o.problemTypeBase) result.problemTypeBase = o.problemTypeBase;
  return result;
}
