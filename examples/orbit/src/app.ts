import express, { type Express } from "express";
import type { PinStore } from "@strata/core";
import { serveOpenApi, strataErrorHandler } from "@strata/express";
import { customerApi } from "./customer";
import { customerContracts } from "./customer/contracts";
import type { CustomerStore } from "./customer/store";
import { notFoundFallback } from "./problems";
import { settingsApi } from "./settings";
import type { KeyStore } from "./settings/keys";

export interface OrbitOptions {
  /** Where Settings API tenant pins live. Default: in memory (lost on restart). */
  settingsPins?: PinStore;
  customerStore?: CustomerStore;
  settingsKeys?: KeyStore;
}

/**
 * One Express app, two styles of versioning:
 * - Customer API: the major version is in the URL (`/customer/v1`, `/customer/v2`); only the
 *   v2 handlers exist and v1 is a chain of changes.
 * - Settings API: one URL (`/api/v1/settings`), dated versions in the `Orbit-Version` header
 *   or the tenant's pin.
 */
export function createApp(options: OrbitOptions = {}): Express {
  const app = express();
  app.disable("x-powered-by");
  const customer = customerApi(options.customerStore);
  const settings = settingsApi({
    ...(options.settingsPins ? { pins: options.settingsPins } : {}),
    ...(options.settingsKeys ? { keys: options.settingsKeys } : {}),
  });

  // Versioning runs before the body parser and the routes: it may rewrite the path, and it
  // parses the JSON itself for any request it migrates.
  app.use(customer.versioning);
  // Each major's contract: /customer/openapi/1.0.json, /customer/openapi/2.0.json (and .json, the latest).
  app.use(serveOpenApi({ contracts: customerContracts, path: "/customer/openapi" }));
  app.use("/api/v1/settings", ...settings.middleware);
  app.use(express.json({ limit: "100kb" }));

  app.use("/customer/v2", customer.v2);
  app.use("/api/v1/settings", settings.routes);

  app.use(notFoundFallback);
  app.use(strataErrorHandler());
  return app;
}
