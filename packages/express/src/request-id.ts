import type { Request } from "express";
import { randomUUID } from "node:crypto";

/**
 * The id used for this request in problems and logs: the client's `x-request-id` (trimmed to
 * 128 characters), else generated once and remembered on the request. Created lazily: a
 * request that never fails never pays for it.
 */
export function requestIdOf(req: Request, read?: (req: Request) => string | undefined): string {
  if (req.strataRequestId) return req.strataRequestId;
  const id = clamp(read?.(req) ?? req.headers["x-request-id"]) ?? `req_${randomUUID().replace(/-/g, "")}`;
  req.strataRequestId = id;
  return id;
}

/** The id this request already has (assigned, or the client's `x-request-id`), without making one. */
export function knownRequestId(req: Request): string | undefined {
  return req.strataRequestId ?? clamp(req.headers["x-request-id"]);
}

/** Client input echoed in every problem: a string, at most 128 characters. */
function clamp(given: unknown): string | undefined {
  return typeof given === "string" && given ? given.slice(0, 128) : undefined;
}
