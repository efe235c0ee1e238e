import { Router } from "express";
import { MATCHING_STRATEGIES, OVERAGE_STRATEGIES, UNIQUENESS_STRATEGIES, newId, type Policy } from "../db";
import { accountOf, send } from "./auth";
import type { ApiContext } from "./context";
import { badParameter, notFound, unprocessable } from "./errors";
import { resourceInput, type Attributes } from "./input";
import { policy } from "./present";

/** The attributes a policy is created or updated with, as 1.6 names them. */
function policyFields(a: Attributes): Partial<Policy> {
  const fields: Partial<Policy> = {
    name: a.string("name") ?? undefined,
    duration: a.integer("duration", { min: 1 }),
    strict: a.boolean("strict"),
    floating: a.boolean("floating"),
    maxMachines: a.integer("maxMachines", { min: 1 }),
    overageStrategy: a.oneOf("overageStrategy", OVERAGE_STRATEGIES),
    machineUniquenessStrategy: a.oneOf("machineUniquenessStrategy", UNIQUENESS_STRATEGIES),
    machineMatchingStrategy: a.oneOf("machineMatchingStrategy", MATCHING_STRATEGIES),
    requireHeartbeat: a.boolean("requireHeartbeat"),
    heartbeatDuration: a.integer("heartbeatDuration", { min: 60, max: 86_400 * 365 }),
    metadata: a.metadata(),
  };
  a.done();
  // Only what the client sent: a PATCH leaves the rest alone.
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<Policy>;
}

/** A node-locked policy has one machine: a larger limit would contradict it. */
function checkLimits(p: Policy): void {
  if (!p.floating && p.maxMachines !== null && p.maxMachines > 1) {
    throw unprocessable("/data/attributes/maxMachines", "must be 1 for a node-locked policy (set `floating: true` for more)", "MAX_MACHINES_INVALID");
  }
}

export function policyRoutes({ db, webhooks, now }: ApiContext): Router {
  const router = Router({ mergeParams: true });

  const find = (accountId: string, id: string): Policy => {
    const found = db.policies.get(accountId, id);
    if (!found) throw notFound("policy", id);
    return found;
  };

  router.get("/policies", (req, res) => send(res, 200, { data: db.policies.list(accountOf(req).id).map(policy) }));
  router.get("/policies/:id", (req, res) => send(res, 200, { data: policy(find(accountOf(req).id, String(req.params.id))) }));

  router.post("/policies", (req, res) => {
    const accountId = accountOf(req).id;
    const { attributes, relationships } = resourceInput(req.body, "policies");
    const fields = policyFields(attributes);
    if (fields.name === undefined) throw badParameter("/data/attributes/name", "`name` is required.", "PARAMETER_MISSING");
    const productId = relationships.id("product", "products", { required: true });
    relationships.done(["product"]);
    if (!productId || !db.products.get(accountId, productId)) throw unprocessable("/data/relationships/product", "must exist", "PRODUCT_NOT_FOUND");
    const at = now();
    const row: Policy = {
      id: newId(),
      accountId,
      productId,
      name: "",
      duration: null,
      strict: false,
      floating: false,
      maxMachines: 1,
      overageStrategy: "NO_OVERAGE",
      machineUniquenessStrategy: "UNIQUE_PER_LICENSE",
      machineMatchingStrategy: "MATCH_ANY",
      requireHeartbeat: false,
      heartbeatDuration: null,
      metadata: {},
      createdAt: at,
      updatedAt: at,
      ...fields,
    };
    // A floating policy without a limit given has none.
    if (row.floating && fields.maxMachines === undefined) row.maxMachines = null;
    checkLimits(row);
    const document = { data: policy(db.policies.insert(row)) };
    webhooks.publish(accountId, "policy.created", document);
    send(res, 201, document);
  });

  router.patch("/policies/:id", (req, res) => {
    const current = find(accountOf(req).id, String(req.params.id));
    const { attributes, relationships } = resourceInput(req.body, "policies", { id: current.id });
    const fields = policyFields(attributes);
    relationships.done([]);
    checkLimits({ ...current, ...fields });
    const document = { data: policy(db.policies.update(current, fields, now())) };
    webhooks.publish(current.accountId, "policy.updated", document);
    send(res, 200, document);
  });

  return router;
}
