import { Router } from "express";
import { accountOf, requireAdmin, send } from "./auth";
import { catalogRoutes } from "./catalog";
import type { ApiContext } from "./context";
import { licenseRoutes } from "./licenses";
import { machineRoutes } from "./machines";
import { policyRoutes } from "./policies";
import { account } from "./present";
import { validationRoutes } from "./validation";
import { webhookRoutes } from "./webhooks";

export type { ApiContext } from "./context";

/**
 * Everything under `/v1/accounts/:account`: the 1.6 handlers, the only ones there are.
 * Validation comes first because `validate-key` needs no token (the license key is the
 * credential); everything after `requireAdmin` needs the account's admin token.
 */
export function accountApi(ctx: ApiContext): Router {
  const router = Router({ mergeParams: true });
  router.use(validationRoutes(ctx));
  router.use(requireAdmin);
  router.get("/", (req, res) => send(res, 200, { data: account(accountOf(req)) }));
  router.use(catalogRoutes(ctx));
  router.use(policyRoutes(ctx));
  router.use(licenseRoutes(ctx));
  router.use(machineRoutes(ctx));
  router.use(webhookRoutes(ctx));
  return router;
}
