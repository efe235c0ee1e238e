import type { Request, RequestHandler, Response } from "express";
import type { PinChange } from "@strata/core";
import createDebug from "debug";
import { problemFor, sendProblem } from "../problem";
import { jsonBodyReader, type JsonBodyReader } from "../read-json";
import { knownRequestId } from "../request-id";
import { settingsFor } from "../app-settings";
import { AdminMethodNotAllowedError, AdminStoreUnavailableError, InvalidAdminRequestError } from "./errors";
import { normalizeAdminOptions, type NormalizedAdminOptions, type VersioningAdminOptions } from "./options";
import type { AdminState } from "./state";
import { authorized, reasonOf, rollBackAccount, stateOf, store, upgradeAccount } from "./actions";
import { daysOf, sinceDay, summarizeUsage, type AdminUsage } from "./usage";
import { pageRoutes } from "./page/routes";

const log = createDebug("strata:admin");

/** The admin router: mount it with `app.use(path, router)` on Express 4 or 5. */
export type VersioningAdminRouter = RequestHandler;

type Handler = (req: Request, o: NormalizedAdminOptions & { readBody: JsonBodyReader }, res: Response) => Promise<unknown>;
type Context = NormalizedAdminOptions & { readBody: JsonBodyReader };

const HISTORY_DEFAULT = 50;
const HISTORY_MAX = 1000;

/**
 * A JSON router that lets account admins see their API version, upgrade it and roll a recent
 * upgrade back. Mount it on its own path, before `versioning()`, so its own responses are
 * never translated for an old version:
 *
 * - `GET /` the pin, the versions, the changelog since the pin, whether a rollback is possible
 * - `POST /upgrade` `{ version, reason? }` move the pin to a newer version
 * - `POST /rollback` `{ reason? }` undo the last upgrade within `rollbackWindowHours`
 * - `GET /history?limit=` the pin's history, newest first
 * - `GET /usage?days=` the account's requests per version and source (`versioning({ usage })`)
 *
 * Every refusal is problem+json with a stable `code`: `no_account` (401), `not_allowed` (403),
 * `invalid_request`, `invalid_version`, `unsupported_version` (400), `not_an_upgrade`,
 * `version_not_released`, `version_is_preview`, `rollback_window_closed`, `nothing_to_roll_back` (409),
 * `payload_too_large` (413), `pin_store_unavailable` (503).
 *
 * @throws ConfigurationError naming the option, when an option is missing or wrong.
 *
 * @example
 * const mw = versioning({ versions, pins, account: (req) => req.user?.accountId });
 * app.use("/admin/api-version", versioningAdmin({
 *   versions, pins, middleware: mw,
 *   account: (req) => req.user?.accountId,
 *   authorize: (req, action, account) => account === req.user?.accountId && (action === "read" || req.user?.role === "owner"),
 *   actor: (req) => req.user!.id,
 * }));
 * app.use(mw);
 */
export function versioningAdmin(options: VersioningAdminOptions): VersioningAdminRouter {
  const normalized = normalizeAdminOptions(options);
  const o: Context = { ...normalized, readBody: jsonBodyReader(normalized.jsonLimit) };
  const routes: Record<string, Partial<Record<"GET" | "POST", Handler>>> = {
    "/": { GET: readState },
    "/upgrade": { POST: upgrade },
    "/rollback": { POST: rollback },
    "/history": { GET: history },
    "/usage": { GET: usage },
  };
  const page = normalized.page ? pageRoutes(normalized, normalized.page) : undefined;
  return function strataAdmin(req: Request, res: Response, next) {
    const path = routePath(req);
    res.setHeader("Cache-Control", "no-store");
    if (page?.(req, res, path)) return;
    const route = routes[path];
    if (!route) return next();
    const method = req.method === "HEAD" ? "GET" : req.method;
    const handler = route[method as "GET" | "POST"];
    if (!handler) {
      const allow = Object.keys(route);
      res.setHeader("Allow", allow.join(", "));
      return fail(req, res, new AdminMethodNotAllowedError(req.method, allow), o);
    }
    handler(req, o, res).then(
      (body) => void res.status(200).json(body),
      (err: unknown) => fail(req, res, err, o),
    );
  };
}

async function readState(req: Request, o: Context): Promise<AdminState> {
  return stateOf(await authorized(req, o, "read"), o);
}

async function upgrade(req: Request, o: Context, res: Response): Promise<AdminState> {
  const account = await authorized(req, o, "upgrade");
  const body = await bodyOf(req, res, o);
  if (typeof body.version !== "string" || body.version.trim() === "") {
    throw new InvalidAdminRequestError("`version` is required: the version to upgrade to, as a string.", "version");
  }
  await upgradeAccount(req, o, account, body.version, reasonOf(body));
  return stateOf(account, o);
}

async function rollback(req: Request, o: Context, res: Response): Promise<AdminState> {
  const account = await authorized(req, o, "rollback");
  await rollBackAccount(req, o, account, reasonOf(await bodyOf(req, res, o)));
  return stateOf(account, o);
}

async function history(req: Request, o: Context): Promise<{ account: string; history: PinChange[] }> {
  const account = await authorized(req, o, "read");
  const raw = req.query?.limit;
  let limit = HISTORY_DEFAULT;
  if (raw !== undefined && raw !== "") {
    if (typeof raw !== "string" || !/^\d{1,7}$/.test(raw) || Number(raw) < 1 || Number(raw) > HISTORY_MAX) {
      throw new InvalidAdminRequestError(`\`limit\` must be a whole number from 1 to ${HISTORY_MAX}.`, "limit");
    }
    limit = Number(raw);
  }
  return { account, history: await store(o, () => o.pins.history(account, { limit })) };
}

async function usage(req: Request, o: Context): Promise<AdminUsage> {
  const account = await authorized(req, o, "read");
  const days = daysOf(req.query?.days);
  const now = o.now();
  const read = o.pins.readUsage?.bind(o.pins);
  const rows = read ? await store(o, () => read({ account, since: sinceDay(now, days) })) : undefined;
  return summarizeUsage(o.versions, account, rows, days, now);
}

async function bodyOf(req: Request, res: Response, o: Context): Promise<Record<string, unknown>> {
  const body = await o.readBody(req, res);
  if (body === undefined || body === null || body === "") return {};
  if (typeof body !== "object" || Array.isArray(body)) throw new InvalidAdminRequestError("The request body must be a JSON object.", "body");
  return body as Record<string, unknown>;
}

/** The path below the mount point, without a trailing slash. */
function routePath(req: Request): string {
  const path = req.path ?? new URL(req.url, "http://localhost").pathname;
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

function fail(req: Request, res: Response, err: unknown, o: NormalizedAdminOptions): void {
  const settings = settingsFor(req, o);
  const id = knownRequestId(req);
  const problem = problemFor(err, id, settings.problemTypeBase);
  if (err instanceof AdminStoreUnavailableError) log("pin store failed: %O", err.cause);
  else if (problem.status >= 500) log("%s %s failed: %O", req.method, req.originalUrl, err);
  if (res.headersSent) return;
  const headers: Record<string, string> = err instanceof AdminStoreUnavailableError ? { "Retry-After": String(o.retryAfter) } : {};
  if (settings.requestIdHeader && id) headers[settings.requestIdHeader] = id;
  sendProblem(res, problem, headers);
}
