import type { RequestHandler } from "express";
import "../types";
import { OrbitError } from "../problems";
import type { CustomerStore } from "./store";
import { bearerTokens } from "./versions";

/**
 * `X-ORBIT-KEY` works the same in v1 and v2; Bearer tokens only from the version that
 * introduced them. It runs in the v2 router, after versioning, because v1 requests have been
 * rewritten to v2 paths by then: one auth for both versions.
 */
export function customerAuth(store: CustomerStore): RequestHandler {
  return (req, _res, next) => {
    const key = req.get("x-orbit-key");
    if (key !== undefined) {
      const customer = store.customerForKey(key);
      if (!customer) throw new OrbitError(401, "invalid_api_key", "The X-ORBIT-KEY header does not name a valid API key.");
      req.orbitCustomer = customer;
      return next();
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "")?.[1];
    if (bearer !== undefined && req.apiVersion.has(bearerTokens)) {
      const customer = store.customerForToken(bearer);
      if (!customer) throw new OrbitError(401, "invalid_token", "The bearer token is invalid or has expired.");
      req.orbitCustomer = customer;
      return next();
    }
    throw new OrbitError(
      401,
      "missing_credentials",
      req.apiVersion.has(bearerTokens)
        ? "Authenticate with the X-ORBIT-KEY header or an `Authorization: Bearer` token."
        : "Authenticate with the X-ORBIT-KEY header.",
    );
  };
}
