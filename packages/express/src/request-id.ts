import type { Request } from "express";
import { randomUUID } from "node:crypto";

/**
 * The id used for this request in problems and logs: the client's `x-request-id` (trimmed to
 * 128 characters), else generated once and remembered on the request. Created lazily: a
 * request that never fails never pays for it.
 */
export function requestIdOf(req: Request, read?: (req: Request) => string | undefined): string {
  if (req.strataRequestId) return req.strataRequestId;
  const given = read?.(req) ?? req.headers["x-request-id"];
  const id = typeof given === "string" && given ? given.slice(0, 128) : `req_${randomUUID().replace(/-/g, "")}`;
  req.strataRequestId = id;
  return id;
}
