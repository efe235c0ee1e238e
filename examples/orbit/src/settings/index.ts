import { Router, type RequestHandler } from "express";
import { memoryPins, type PinStore } from "@strata/core";
import { versioning } from "@strata/express";
import { apiKeyAuth } from "./auth";
import { KeyStore, LEGACY_TENANT } from "./keys";
import { settingsRoutes } from "./routes";
import { SETTINGS_VERSION_HEADER, settingsVersions } from "./versions";

/**
 * The Settings API: dated versions in `Orbit-Version`, each tenant pinned to the version
 * current at its first request. Auth runs first because the pin belongs to the key's tenant.
 */
export function settingsApi(options: { pins?: PinStore; keys?: KeyStore } = {}): {
  middleware: RequestHandler[];
  routes: Router;
  keys: KeyStore;
  pins: PinStore;
} {
  const pins = options.pins ?? memoryPins();
  const keys = options.keys ?? new KeyStore();
  // The demo's legacy tenant called the API before 2026-08-01; pinIfAbsent keeps any pin a
  // caller-supplied store already holds. Requests wait for it once, so none races the seed.
  let seeded = false;
  const seeding = pins.pinIfAbsent(LEGACY_TENANT, settingsVersions.oldest.id).then(() => {
    seeded = true;
  });
  seeding.catch(() => undefined); // reported to the first request instead of crashing the process
  const whenSeeded: RequestHandler = (_req, _res, next) => (seeded ? next() : void seeding.then(() => next(), next));

  const mw = versioning({
    versions: settingsVersions,
    header: SETTINGS_VERSION_HEADER,
    account: (req) => req.orbitKey?.tenant,
    pins,
  });
  return { middleware: [whenSeeded, apiKeyAuth(keys), mw], routes: settingsRoutes(keys), keys, pins };
}
