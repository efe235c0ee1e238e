import express, { type Express, type RequestHandler } from "express";
import type { PinStore, VersionSet } from "@strata/core";
import { assertRoutes, serveOpenApi, versioning, versioningAdmin } from "@strata/express";
import type { Contracts } from "@strata/openapi";
import { sqlitePins } from "@strata/store-sqlite";
import { accountApi } from "./api";
import { loadAccount } from "./api/auth";
import { ApiError, jsonApiErrors, problemsAsJsonApi } from "./api/errors";
import { Presenter } from "./api/present";
import { createContracts } from "./contracts";
import type { Db } from "./db";
import "./types";
import { createVersions, VERSION_HEADER } from "./versions";
import { Webhooks, type DeliveryOptions } from "./webhooks";

export interface LicensingOptions {
  db: Db;
  /** Where account pins live. Default: the same database, in Strata's own `strata_` tables. */
  pins?: PinStore;
  /** Webhook retries and timeouts (tests use milliseconds). */
  webhooks?: DeliveryOptions;
  /** Server-side failures, never a client's mistake. Default: `console.error`. */
  onError?: (err: unknown) => void;
  now?: () => Date;
}

export interface LicensingApi {
  app: Express;
  versions: VersionSet;
  contracts: Contracts;
  pins: PinStore;
  webhooks: Webhooks;
  /** Stop deliveries and the pin change feed; the database stays open (it is the caller's). */
  close(): Promise<void>;
}

/** A browser without the account's token is asked to sign in (HTTP Basic: any user, the admin token as the password). */
const signInForThePage: RequestHandler = (req, res, next) => {
  if (req.isAdmin || !req.accepts("html") || req.accepts(["application/json", "text/html"]) !== "text/html") return next();
  res.setHeader("WWW-Authenticate", 'Basic realm="licensing settings", charset="UTF-8"');
  res.status(401).type("text").send("Sign in with the account's admin token as the password.\n");
};

/** Account settings: the pin, what changed since, upgrade and rollback (Strata's admin router and its page). */
export const SETTINGS_PATH = "/v1/accounts/:account/settings/api-version";

/**
 * The licensing API. Order matters: the version header is checked, the account loaded (its
 * pin decides the version), the settings router answers in its own format, then
 * `versioning()` migrates requests to 1.6 before the body parser and the 1.6 routes see them.
 */
export function createApp(options: LicensingOptions): LicensingApi {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const onError = options.onError ?? ((err: unknown) => console.error("licensing:", err));
  const versions = createVersions({ licenseOwner: (id) => db.licenses.ownerOf(id) });
  const contracts = createContracts(versions);
  const pins = options.pins ?? sqlitePins({ database: db.sql });
  const webhooks = new Webhooks(db, versions, options.webhooks, now, onError);
  // The URL names the account; its pin is the version unless Keygen-Version says otherwise.
  // `/v1` serves every 1.x minor; a header naming another major is a 400 that says so.
  const api = versioning({
    versions,
    header: VERSION_HEADER,
    pins,
    account: (req) => req.account?.id,
    now,
    majors: [{ prefix: "/v1", from: versions.oldest.id, to: versions.latest.id }],
    // Requests per account and version: the settings page shows them, `strata usage` lists them.
    usage: true,
  });

  const app = express();
  app.disable("x-powered-by");
  app.use(problemsAsJsonApi(VERSION_HEADER));
  app.use("/v1/accounts/:account", loadAccount(db));
  app.use(
    SETTINGS_PATH,
    signInForThePage,
    versioningAdmin({
      versions,
      pins,
      account: (req) => req.account?.id,
      // Only the account's own admin token reads or moves its pin.
      authorize: (req, _action, account) => req.isAdmin === true && req.account?.id === account,
      actor: () => "admin",
      middleware: api,
      now,
      page: { title: "API version", contracts },
    }),
  );
  // Scoped by hand: app.use("/v1", api) would strip /v1 from the paths the changes name.
  app.use(function v1Only(req, res, next) {
    return req.path.startsWith("/v1/") ? api(req, res, next) : next();
  } as RequestHandler);
  // GET /v1/openapi.json (at the request's version) and /v1/openapi/<version>.json.
  app.use(serveOpenApi({ contracts, path: "/v1/openapi" }));
  app.use(express.json({ type: ["application/json", "application/vnd.api+json"], limit: "1mb" }));
  app.use("/v1/accounts/:account", accountApi({ db, present: new Presenter(db, now), versions, pins, webhooks, now }));
  app.use((req, _res, next) => {
    const hint = req.path.startsWith("/v1/") ? "" : " This API has one major version, in the URL: /v1/accounts/<account>/...";
    next(new ApiError(404, [{ title: "Not found", detail: `No route ${req.method} ${req.path.slice(0, 200)}.${hint}`, code: "NOT_FOUND" }]));
  });
  app.use(jsonApiErrors(onError));
  // Every route change must reach a 1.6 handler: a typo in a change fails here, at startup.
  assertRoutes(app, versions);
  webhooks.start();

  return {
    app,
    versions,
    contracts,
    pins,
    webhooks,
    close: async () => {
      await webhooks.close();
      await api.close();
      if (!options.pins) await pins.close?.();
    },
  };
}
