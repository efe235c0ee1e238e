import { Router, type Request } from "express";
import "../types";
import { OrbitError, notFound } from "../problems";
import { keyView, type ApiKeyRecord, type KeyStore } from "./keys";
import { parseCreateKey } from "./validate";
import { scopesRequired, settingsVersions } from "./versions";

const REQUIRED_SINCE = settingsVersions.versionOf(scopesRequired).id;

/** The Settings API: mint and read tenant keys, and `whoami` to show what a key is. */
export function settingsRoutes(keys: KeyStore): Router {
  const router = Router();
  const caller = (req: Request): ApiKeyRecord => req.orbitKey!;

  router.post("/api-keys", (req, res) => {
    const me = caller(req);
    if (me.type !== "secret" || !(me.role === "admin" || me.scopes.includes("api_keys:write"))) {
      throw new OrbitError(403, "insufficient_scope", "Minting keys needs a secret key with the `api_keys:write` scope.");
    }
    const input = parseCreateKey(req.body, { scopesRequired: req.apiVersion.has(scopesRequired), requiredSince: REQUIRED_SINCE });
    // A sandbox key must not be a way to obtain a key that hits real providers and bills.
    if (me.mode === "test" && input.mode === "live") throw new OrbitError(403, "live_key_from_test_key", "A test-mode key can only mint test-mode keys.");
    const { record, secret } = keys.mint(me.tenant, input);
    res
      .status(201)
      .set("Cache-Control", "no-store")
      .json({ ...keyView(record), key: secret });
  });

  router.get("/api-keys", (req, res) => {
    res.json({ object: "list", data: keys.list(caller(req).tenant).map(keyView) });
  });

  router.get("/api-keys/:id", (req, res) => {
    const record = keys.get(caller(req).tenant, String(req.params.id));
    if (!record) throw notFound(`API key ${String(req.params.id)}`);
    res.json(keyView(record));
  });

  router.get("/whoami", (req, res) => {
    const me = caller(req);
    res.json({
      object: "whoami",
      tenant: me.tenant,
      api_key: keyView(me),
      api_version: req.apiVersion.id,
      api_version_source: req.apiVersion.source,
      source_ip: req.socket.remoteAddress ?? null,
    });
  });

  return router;
}
