import { join } from "node:path";
import { defineContracts } from "@strata/openapi";
import { CUSTOMER_VERSION_HEADER } from "./index";
import { customerVersionOf, customerVersions } from "./versions";

/**
 * The Customer API's contract per major: the v2 document is written by hand
 * (`openapi/head.json`); the v1 one is derived from it by the chain's schema deltas. The URL
 * fixes the major, so each document holds only its own `/customer/vN` paths.
 */
export const customerContracts = defineContracts({
  versions: customerVersions,
  document: join(__dirname, "../../openapi/head.json"),
  header: CUSTOMER_VERSION_HEADER,
  pathVersion: customerVersionOf,
});

/** For `strata openapi|diff|check --contracts dist/customer/contracts.js`. */
export const contracts = customerContracts;
