import express, { type Application } from "express";
import { memoryPins, type PinStore, type VersionSet } from "@strata/core";
import { assertRoutes, serveOpenApi, strataErrorHandler, versioning } from "@strata/express";
import { createContracts } from "./contracts";
import type { Db } from "./db";
import { dbLookups } from "./lookups";
import { mountV2 } from "./v2";
import { notFoundRoute, v2Errors } from "./v2/errors";
import { bearer, requestId, rootKeyAuth } from "./v2/http";
import { createVersions, V1, V2_LAUNCH } from "./versions";
import { SETTINGS_PATH, settingsRoutes } from "./settings";

export interface AppOptions {
  db: Db;
  /** Where workspaces' version pins live. Default: in memory (lost on restart). */
  pins?: PinStore;
}

export interface KeysApi {
  app: Application;
  versions: VersionSet;
  /** Write the last usage batch and stop the pin feed (the database stays open). */
  close(): Promise<void>;
}

/**
 * The keys API: only v2 handlers, with every older version (v1 included) served by the
 * changes in `versions.ts`.
 */
export function createApp({ db, pins = memoryPins() }: AppOptions): KeysApi {
  const versions = createVersions(dbLookups(db));
  const app = express();
  app.disable("x-powered-by");
  app.use(requestId);
  const contracts = createContracts(versions);
  const mw = versioning({
    versions,
    header: "Unkey-Version",
    // The major is in the URL: /v1 is only ever 2024-01-01, /v2 every date from the launch on;
    // a date of the other major is a 400 naming the mismatch.
    majors: [
      { prefix: "/v1", to: V1 },
      { prefix: "/v2", from: V2_LAUNCH },
    ],
    // A workspace is pinned on its first /v2 call; /v1 calls are fixed by their URL.
    account: (req) => {
      const key = bearer(req);
      return key ? db.workspaces.byRootKey(key) : undefined;
    },
    pins,
    default: "latest",
    requestId: (req) => req.res?.locals.requestId as string | undefined,
    // Requests per workspace and version, for the settings page and `strata usage`.
    usage: true,
  });
  // For people: the workspace's API-version page (before versioning(), so its own answers are never translated).
  app.use(SETTINGS_PATH, ...settingsRoutes(db, versions, pins, mw, contracts));
  app.use(mw);
  // Public, like Unkey's: GET /openapi.json (at the request's version), /openapi/<version>.json.
  app.use(serveOpenApi({ contracts }));
  app.use(express.json({ limit: "1mb" }));
  app.use(rootKeyAuth(db));
  mountV2(app, db);
  app.use(notFoundRoute);
  app.use(v2Errors());
  // Only reached if rendering an error itself failed.
  app.use(strataErrorHandler());
  // Every route change must lead to one of the handlers above: a typo fails here, at startup.
  assertRoutes(app, versions);
  return { app, versions, close: () => mw.close() };
}
