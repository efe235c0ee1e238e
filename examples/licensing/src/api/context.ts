import type { PinStore, VersionSet } from "@strata/core";
import type { Db } from "../db";
import type { Webhooks } from "../webhooks";
import type { Presenter } from "./present";

/** What every route module is given. */
export interface ApiContext {
  db: Db;
  present: Presenter;
  versions: VersionSet;
  pins: PinStore;
  webhooks: Webhooks;
  now: () => Date;
}
