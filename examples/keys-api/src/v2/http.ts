import type { Request, RequestHandler } from "express";
import type { ApiVersion, Change } from "@strata/core";
import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import { base58 } from "../db/util";
import { ApiError } from "./errors";

/** What every v2 operation gets besides its body. */
export interface OpContext {
  readonly db: Db;
  readonly workspaceId: string;
  readonly requestId: string;
  readonly req: Request;
}

/** A list page: v2 lists answer `{meta, data, pagination: {cursor?, hasMore}}`. */
export class Paged<T> {
  constructor(
    readonly items: T[],
    readonly cursor?: string,
  ) {}
}

/** Returned by operations whose v2 success body is `{meta}` alone (identities.deleteIdentity). */
export const META_ONLY = Symbol("meta only");

export type Operation = (body: unknown, ctx: OpContext) => unknown;

/**
 * Wrap a v2 operation: it returns its `data` (or a Paged, or META_ONLY) and this adds the
 * envelope. Always 200: the v2 SDK rejects any other 2xx.
 */
export function op(db: Db, operation: Operation): RequestHandler {
  return async function v2Operation(req, res) {
    const ctx: OpContext = { db, workspaceId: res.locals.workspaceId as string, requestId: res.locals.requestId as string, req };
    const result = await operation(req.body, ctx);
    const meta = { requestId: ctx.requestId };
    res.status(200);
    if (result === META_ONLY) res.json({ meta });
    else if (result instanceof Paged)
      res.json({ meta, data: result.items, pagination: result.cursor ? { cursor: result.cursor, hasMore: true } : { hasMore: false } });
    else res.json({ meta, data: result ?? {} });
  };
}

/** Every response carries its request id, in the body (`meta.requestId`) and as a header. */
export const requestId: RequestHandler = (_req, res, next) => {
  const id = `req_${base58(randomBytes(10))}`;
  res.locals.requestId = id;
  res.setHeader("Unkey-Request-Id", id);
  next();
};

/** The root key of `Authorization: Bearer <root key>`, if the header has that form. */
export function bearer(req: Pick<Request, "headers">): string | undefined {
  const header = req.headers.authorization;
  const m = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m?.[1];
}

/** Root-key authentication: the key names the workspace every operation works in. */
export function rootKeyAuth(db: Db): RequestHandler {
  return function rootKeyAuth(req, res, next) {
    const key = bearer(req);
    if (!key) {
      return next(
        new ApiError(
          401,
          req.headers.authorization === undefined
            ? "The Authorization header is missing. Send `Authorization: Bearer <root key>`."
            : "The Authorization header must be `Bearer <root key>`.",
        ),
      );
    }
    const workspaceId = db.workspaces.byRootKey(key);
    if (!workspaceId) return next(new ApiError(401, "The root key is not valid."));
    res.locals.workspaceId = workspaceId;
    next();
  };
}

/**
 * Whether the request's API version includes a side-effect change. Without the versioning
 * middleware (unit tests of handlers) every request is at the latest version.
 */
export function apiVersionHas(req: Request, change: Change): boolean {
  const version = (req as Request & { apiVersion?: ApiVersion }).apiVersion;
  return version ? version.has(change) : true;
}
