import { Router, type Request } from "express";
import { newId, type Machine } from "../db";
import { fingerprintInUse } from "../db/fingerprints";
import { machineAllowance } from "../licensing/validate";
import { heartbeatStartsOnActivation } from "../versions";
import { accountOf, send } from "./auth";
import type { ApiContext } from "./context";
import { notFound, unprocessable } from "./errors";
import { resourceInput } from "./input";

/** Machines: activation (create), deactivation (delete) and heartbeat pings. */
export function machineRoutes({ db, present, webhooks, now }: ApiContext): Router {
  const router = Router({ mergeParams: true });

  const find = (req: Request): Machine => {
    const found = db.machines.get(accountOf(req).id, String(req.params.id));
    if (!found) throw notFound("machine", String(req.params.id));
    return found;
  };
  const publish = (machine: Machine, event: string) => {
    const document = { data: present.machine(machine) };
    webhooks.publish(machine.accountId, event, document);
    return document;
  };

  router.get("/machines", (req, res) => {
    const where = typeof req.query.license === "string" ? { license_id: req.query.license } : {};
    send(res, 200, { data: db.machines.list(accountOf(req).id, where).map((m) => present.machine(m)) });
  });
  router.get("/machines/:id", (req, res) => send(res, 200, { data: present.machine(find(req)) }));

  router.post("/machines", (req, res) => {
    const accountId = accountOf(req).id;
    const { attributes, relationships } = resourceInput(req.body, "machines");
    const fingerprint = attributes.string("fingerprint", { required: true });
    const fields = {
      name: attributes.string("name") ?? null,
      platform: attributes.string("platform") ?? null,
      hostname: attributes.string("hostname") ?? null,
      cores: attributes.integer("cores", { min: 1, max: 4096 }) ?? null,
      metadata: attributes.metadata() ?? {},
    };
    attributes.done();
    const licenseId = relationships.id("license", "licenses", { required: true });
    const license = licenseId ? db.licenses.get(accountId, licenseId) : undefined;
    if (!license) throw unprocessable("/data/relationships/license", "must exist", "LICENSE_NOT_FOUND");
    const ownerId = relationships.id("owner", "users") ?? null;
    if (ownerId && !db.users.get(accountId, ownerId)) throw unprocessable("/data/relationships/owner", "must exist", "OWNER_NOT_FOUND");
    relationships.done(["license", "owner"]);
    const policy = present.policyOf(license);
    if (fingerprintInUse(db.sql, fingerprint, license, policy))
      throw unprocessable("/data/attributes/fingerprint", "has already been taken", "FINGERPRINT_TAKEN");
    const count = db.licenses.machineCount(license.id);
    const limit = policy.floating ? policy.maxMachines : 1;
    if (limit !== null && count >= machineAllowance(limit, policy.overageStrategy)) {
      throw unprocessable("/data", `machine count has exceeded maximum allowed for license (${limit})`, "MACHINE_LIMIT_EXCEEDED");
    }
    const at = now();
    const row: Machine = {
      id: newId(),
      accountId,
      licenseId: license.id,
      ownerId,
      fingerprint,
      ...fields,
      // 1.3's behaviour change: activation is the first heartbeat. A 1.2 client's machine
      // waits for its first ping, in the database too, so every later read agrees.
      lastHeartbeatAt: policy.requireHeartbeat && req.apiVersion.has(heartbeatStartsOnActivation) ? at : null,
      createdAt: at,
      updatedAt: at,
    };
    send(res, 201, publish(db.machines.insert(row), "machine.created"));
  });

  router.delete("/machines/:id", (req, res) => {
    const machine = find(req);
    const document = { data: present.machine(machine) };
    db.machines.delete(machine.accountId, machine.id);
    webhooks.publish(machine.accountId, "machine.deleted", document);
    res.status(204).end();
  });

  router.post("/machines/:id/actions/ping", (req, res) => {
    const machine = find(req);
    send(res, 200, publish(db.machines.update(machine, { lastHeartbeatAt: now() }, now()), "machine.heartbeat.ping"));
  });

  return router;
}
