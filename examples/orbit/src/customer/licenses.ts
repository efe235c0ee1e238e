import { Router, type Request } from "express";
import { isIP } from "node:net";
import "../types";
import { OrbitError, invalidField, notFound, objectBody } from "../problems";
import { LOCATIONS, type CustomerStore, type License } from "./store";

/** Licenses, their IP allowlists and locations: the part of the API v1 also had. */
export function licenseRoutes(store: CustomerStore): Router {
  const router = Router();

  const licenseOf = (req: Request): License => {
    const license = store.licenses.get(String(req.params.id));
    // Another customer's license is reported as missing, not forbidden: ids do not leak.
    if (!license || license.customer !== req.orbitCustomer!.id) throw notFound(`License ${String(req.params.id)}`);
    return license;
  };

  router.get("/", (req, res) => {
    const data = [...store.licenses.values()].filter((l) => l.customer === req.orbitCustomer!.id).map(view);
    res.json({ object: "list", data });
  });

  // Before `/:id`, or "locations" would be taken for a license id.
  router.get("/locations", (_req, res) => {
    res.json({ object: "list", data: LOCATIONS.map((l) => ({ ...l })) });
  });

  router.get("/:id", (req, res) => {
    res.json(view(licenseOf(req)));
  });

  // Reset frees the license's machine activations; the key itself stays the same.
  router.post("/:id/reset-key", (req, res) => {
    const license = licenseOf(req);
    license.activations = 0;
    res.json(view(license));
  });

  // Regenerate replaces the key: the old one stops working everywhere.
  router.post("/:id/regenerate-key", (req, res) => {
    const license = licenseOf(req);
    license.key = store.newLicenseKey();
    license.activations = 0;
    res.json(view(license));
  });

  router.get("/:id/ips", (req, res) => {
    const license = licenseOf(req);
    res.json({ object: "list", data: (store.ips.get(license.id) ?? []).map((e) => ({ ...e })) });
  });

  router.post("/:id/ips", (req, res) => {
    const license = licenseOf(req);
    const { ip } = objectBody(req.body, ["ip"]);
    if (typeof ip !== "string" || isIP(ip) === 0) throw invalidField("ip", "`ip` must be an IPv4 or IPv6 address.");
    const list = store.ips.get(license.id) ?? [];
    if (list.some((e) => e.ip === ip)) throw new OrbitError(409, "ip_already_whitelisted", `${ip} is already whitelisted for ${license.id}.`);
    if (list.length >= license.max_ips) {
      throw new OrbitError(409, "ip_limit_reached", `License ${license.id} allows ${license.max_ips} IP address(es); remove one first.`);
    }
    const entry = { object: "license_ip" as const, ip, added_at: new Date().toISOString() };
    store.ips.set(license.id, [...list, entry]);
    res.status(201).json({ ...entry });
  });

  router.delete("/:id/ips/:ip", (req, res) => {
    const license = licenseOf(req);
    const list = store.ips.get(license.id) ?? [];
    const ip = String(req.params.ip);
    if (!list.some((e) => e.ip === ip)) throw notFound(`IP ${ip} on license ${license.id}`);
    store.ips.set(
      license.id,
      list.filter((e) => e.ip !== ip),
    );
    res.status(204).end();
  });

  return router;
}

/** The wire shape: internal ownership stays internal. */
function view(license: License): Omit<License, "customer"> {
  const { customer: _customer, ...rest } = license;
  return rest;
}
