import type { RequestHandler } from "express";
import "../types";
import { OrbitError } from "../problems";
import { isAllowed } from "./ip-allowlist";
import type { KeyStore } from "./keys";

/**
 * `X-API-Key` auth, with the key's `allowed_ips` enforced here, once, for every settings
 * endpoint. The source is the socket's peer address: `X-Forwarded-For` is whatever the client
 * wrote, so it cannot be trusted to enforce an allowlist (behind a proxy, derive the address
 * from the proxy's own header with Express's `trust proxy` set to exactly that proxy).
 */
export function apiKeyAuth(keys: KeyStore, now: () => Date = () => new Date()): RequestHandler {
  return (req, _res, next) => {
    const secret = req.get("x-api-key");
    if (!secret) throw new OrbitError(401, "missing_api_key", "Send your API key in the X-API-Key header.");
    const key = keys.authenticate(secret);
    if (!key) throw new OrbitError(401, "invalid_api_key", "The X-API-Key header does not name a valid API key.");
    if (key.expiresAt && key.expiresAt <= now()) throw new OrbitError(401, "api_key_expired", `This API key expired on ${key.expiresAt.toISOString()}.`);
    const source = req.socket.remoteAddress;
    if (key.allowlist && !isAllowed(key.allowlist, source)) {
      throw new OrbitError(
        403,
        "ip_not_allowed",
        `This API key only accepts requests from its allowed_ips; this request came from ${source ?? "an unknown address"}.`,
        {
          source_ip: source ?? null,
        },
      );
    }
    req.orbitKey = key;
    next();
  };
}
