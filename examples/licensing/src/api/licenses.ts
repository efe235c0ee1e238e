import { randomBytes } from "node:crypto";
import { Router, type Request } from "express";
import { newId, type License } from "../db";
import { accountOf, send } from "./auth";
import type { ApiContext } from "./context";
import { badParameter, notFound, unprocessable } from "./errors";
import { identifier, resourceInput, type Relationships } from "./input";
import { user } from "./present";

/** `C1B6DE-39A6E3-DE1529-8559A0-4AF593-V3`-like keys, as Keygen's default generator makes them. */
const newKey = (): string => (randomBytes(15).toString("hex").toUpperCase().match(/.{6}/g) as string[]).join("-") + "-V3";

/** Licenses, their owner (the 1.6 name of a license's user) and attached users. Validation is in validation.ts. */
export function licenseRoutes(ctx: ApiContext): Router {
  const { db, present, webhooks, now } = ctx;
  const router = Router({ mergeParams: true });

  const find = (req: Request): License => {
    const found = db.licenses.get(accountOf(req).id, String(req.params.id));
    if (!found) throw notFound("license", String(req.params.id));
    return found;
  };
  /** The owner a request names: an unknown user is OWNER_NOT_FOUND at the pointer the client used. */
  const ownerFrom = (accountId: string, relationships: Relationships): string | null | undefined => {
    const owner = relationships.id("owner", "users");
    if (owner && !db.users.get(accountId, owner)) throw unprocessable("/data/relationships/owner", "must exist", "OWNER_NOT_FOUND");
    return owner;
  };
  const publish = (license: License, event: string) => {
    const document = { data: present.license(license) };
    webhooks.publish(license.accountId, event, document);
    return document;
  };

  router.get("/licenses", (req, res) => {
    const where = typeof req.query.policy === "string" ? { policy_id: req.query.policy } : {};
    send(res, 200, { data: db.licenses.list(accountOf(req).id, where).map((l) => present.license(l)) });
  });
  router.get("/licenses/:id", (req, res) => send(res, 200, { data: present.license(find(req)) }));

  router.post("/licenses", (req, res) => {
    const accountId = accountOf(req).id;
    const { attributes, relationships } = resourceInput(req.body, "licenses");
    const name = attributes.string("name") ?? null;
    const key = attributes.string("key", { max: 255 }) ?? newKey();
    const expiry = attributes.date("expiry");
    const metadata = attributes.metadata() ?? {};
    attributes.done();
    const policyId = relationships.id("policy", "policies", { required: true });
    const policy = policyId ? db.policies.get(accountId, policyId) : undefined;
    if (!policy) throw unprocessable("/data/relationships/policy", "must exist", "POLICY_NOT_FOUND");
    const ownerId = ownerFrom(accountId, relationships) ?? null;
    relationships.done(["policy", "owner"]);
    if (db.licenses.byKey(accountId, key)) throw unprocessable("/data/attributes/key", "has already been taken", "KEY_TAKEN");
    const at = now();
    const row: License = {
      id: newId(),
      accountId,
      policyId: policy.id,
      ownerId,
      name,
      key,
      // Without an expiry given, the policy's duration decides (no duration: never expires).
      expiry: expiry !== undefined ? expiry : policy.duration ? new Date(at.getTime() + policy.duration * 1000) : null,
      suspended: false,
      metadata,
      lastValidatedAt: null,
      createdAt: at,
      updatedAt: at,
    };
    send(res, 201, publish(db.licenses.insert(row), "license.created"));
  });

  router.patch("/licenses/:id", (req, res) => {
    const current = find(req);
    const { attributes, relationships } = resourceInput(req.body, "licenses", { id: current.id });
    const patch: Partial<License> = {};
    const name = attributes.string("name");
    if (name !== undefined) patch.name = name;
    const expiry = attributes.date("expiry");
    if (expiry !== undefined) patch.expiry = expiry;
    const metadata = attributes.metadata();
    if (metadata !== undefined) patch.metadata = metadata;
    attributes.done();
    const ownerId = ownerFrom(current.accountId, relationships);
    if (ownerId !== undefined) patch.ownerId = ownerId;
    relationships.done(["owner"]);
    send(res, 200, publish(db.licenses.update(current, patch, now()), "license.updated"));
  });

  router.delete("/licenses/:id", (req, res) => {
    const current = find(req);
    const document = { data: present.license(current) };
    db.licenses.delete(current.accountId, current.id);
    webhooks.publish(current.accountId, "license.deleted", document);
    res.status(204).end();
  });

  for (const [action, suspended] of [
    ["suspend", true],
    ["reinstate", false],
  ] as const) {
    router.post(`/licenses/:id/actions/${action}`, (req, res) => {
      const current = find(req);
      if (current.suspended === suspended)
        throw unprocessable("/data", `is ${suspended ? "already" : "not"} suspended`, suspended ? "LICENSE_SUSPENDED" : "LICENSE_NOT_SUSPENDED");
      send(res, 200, publish(db.licenses.update(current, { suspended }, now()), `license.${action === "suspend" ? "suspended" : "reinstated"}`));
    });
  }

  // The owner: `/user` before 1.6 (the changes move those requests here).
  router.get("/licenses/:id/owner", (req, res) => {
    const license = find(req);
    const owner = license.ownerId ? db.users.get(license.accountId, license.ownerId) : undefined;
    send(res, 200, { data: owner ? user(owner) : null });
  });
  router.put("/licenses/:id/owner", (req, res) => {
    const license = find(req);
    const data = (req.body as { data?: unknown } | undefined)?.data;
    if (data === undefined)
      throw badParameter("/data", 'Send { "data": { "type": "users", "id": ... } }, or { "data": null } to remove the owner.', "PARAMETER_MISSING");
    const ownerId = data === null ? null : identifier(data, "users", "/data");
    if (ownerId && !db.users.get(license.accountId, ownerId)) throw unprocessable("/data", "must exist", "OWNER_NOT_FOUND");
    send(res, 200, publish(db.licenses.update(license, { ownerId }, now()), "license.owner.updated"));
  });

  // Attached users (multi-user licenses, 1.6): an addition, so every version has these.
  router.get("/licenses/:id/users", (req, res) => {
    const license = find(req);
    const users = db.licenses.userIds(license.id).flatMap((id) => db.users.get(license.accountId, id) ?? []);
    send(res, 200, { data: users.map(user) });
  });
  router.post("/licenses/:id/users", (req, res) => {
    const license = find(req);
    const data = (req.body as { data?: unknown } | undefined)?.data;
    if (!Array.isArray(data) || data.length === 0 || data.length > 100)
      throw badParameter("/data", "Send a list of 1 to 100 user identifiers.", "PARAMETER_INVALID");
    const ids = data.map((d, i) => identifier(d, "users", `/data/${i}`));
    ids.forEach((id, i) => {
      if (!db.users.get(license.accountId, id)) throw unprocessable(`/data/${i}`, "must exist", "USER_NOT_FOUND");
    });
    db.transaction(() => ids.forEach((id) => db.licenses.attachUser(license.id, id)));
    const document = { data: ids.map((id) => user(db.users.get(license.accountId, id)!)) };
    webhooks.publish(license.accountId, "license.users.attached", document);
    send(res, 200, document);
  });

  return router;
}
