import { Router, type RequestHandler } from "express";
import { versioning } from "@strata/express";
import { accountRoutes } from "./account";
import { customerAuth } from "./auth";
import { authFlowRoutes } from "./auth-flows";
import { licenseRoutes } from "./licenses";
import { CustomerStore } from "./store";
import { CUSTOMER_MAJORS, customerVersions } from "./versions";

/** Response header echoing the resolved major; clients never send it (the URL decides). */
export const CUSTOMER_VERSION_HEADER = "Orbit-Customer-Api-Version";

/**
 * The Customer API: its versioning middleware (mounted app-wide but only acting under
 * `/customer/`) and the v2 handlers, the only ones there are.
 */
export function customerApi(store = new CustomerStore()): { versioning: RequestHandler; v2: Router; store: CustomerStore } {
  const mw = versioning({
    versions: customerVersions,
    header: CUSTOMER_VERSION_HEADER,
    // The URL fixes the major; a version header naming the other major is a 400.
    majors: CUSTOMER_MAJORS,
  });
  // Scoped by hand rather than with app.use("/customer", mw): a mount path is stripped from
  // req.url, and the changes are written against full paths, as Orbit's guide lists them.
  const scoped: RequestHandler = (req, res, next) => (req.path.startsWith("/customer/") ? mw(req, res, next) : next());

  const v2 = Router();
  v2.use("/auth", authFlowRoutes(store));
  v2.use(customerAuth(store));
  v2.use("/licenses", licenseRoutes(store));
  v2.use(accountRoutes(store));
  return { versioning: scoped, v2, store };
}
