import type { Request, RequestHandler, Response } from "express";
import "../types";
import type { Db } from "../db";
import { ApiError, JSONAPI, notFound } from "./errors";

/** `Authorization: Bearer <token>`, if the request has one. */
export function bearerOf(req: Request): string | undefined {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match) return match[1];
  // Browsers sign in to the settings page with HTTP Basic: the token is the password.
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
}

/**
 * Mounted at `/v1/accounts/:account`, before versioning: the account the URL names (by id or
 * slug) is the account whose pin the request is served at, as Keygen resolves it. An unknown
 * account is a 404 here, before anything is pinned. The token is checked here too, so the
 * settings router and the handlers share one answer to "is this the account's admin?".
 */
export function loadAccount(db: Db): RequestHandler {
  return function loadAccount(req, _res, next) {
    const account = db.accounts.find(String(req.params.account));
    if (!account) return next(notFound("account", String(req.params.account)));
    req.account = account;
    const token = bearerOf(req);
    req.isAdmin = token !== undefined && db.accounts.accountOfToken(token) === account.id;
    next();
  };
}

/** Admin-only routes: 401 without a token (or with one that is not this account's). */
export const requireAdmin: RequestHandler = function requireAdmin(req, _res, next) {
  if (req.isAdmin) return next();
  const missing = bearerOf(req) === undefined;
  next(
    new ApiError(
      401,
      [
        missing
          ? { title: "Unauthorized", detail: "An admin token is required: Authorization: Bearer <token>.", code: "TOKEN_MISSING" }
          : { title: "Unauthorized", detail: "The token is invalid for this account.", code: "TOKEN_INVALID" },
      ],
      { "WWW-Authenticate": 'Bearer realm="keygen"' },
    ),
  );
};

/** The account of a request that went through `loadAccount`. */
export function accountOf(req: Request): NonNullable<Request["account"]> {
  if (!req.account) throw new Error("loadAccount() must run before this route");
  return req.account;
}

/** Answer a JSON:API document: one media type for every answer of the API. */
export function send(res: Response, status: number, document: object): void {
  res.status(status).type(JSONAPI).json(document);
}
