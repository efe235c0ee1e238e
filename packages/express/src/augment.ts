import type { Request } from "express";
import type { ApiVersion } from "@strata/core";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The version this request is served at; set by `versioning()`. */
      apiVersion: ApiVersion;
      /** The id Strata uses in problems and logs for this request. */
      strataRequestId?: string;
    }
  }
}

/**
 * The request's version, failing loudly if `versioning()` was not mounted before this handler.
 *
 * @example
 * if (apiVersionOf(req).has(scopesRequired)) { ... }
 */
export function apiVersionOf(req: Request): ApiVersion {
  if (!req.apiVersion) throw new Error("req.apiVersion is not set: mount versioning() before this route.");
  return req.apiVersion;
}
