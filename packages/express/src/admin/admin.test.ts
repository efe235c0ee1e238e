import request from "supertest";
import express5 from "express";
import express4 from "express4";
import { ConfigurationError, defineVersions, memoryPins, renameField, type PinStore } from "@strata/core";
import { versioning, versioningAdmin, type VersioningAdminOptions } from "@strata/express";

type ExpressFactory = typeof express5;
const flavours: [string, ExpressFactory][] = [
  ["express 5", express5],
  ["express 4", express4 as unknown as ExpressFactory],
];

const versions = defineVersions({
  versions: [
    { id: "2025-09-01", changes: [renameField("key", "ownerId", "externalId")], description: "External ids." },
    { id: "2025-01-15", changes: [renameField("key", "name", "title")] },
    { id: "2024-06-01", deprecatedAt: "2025-01-15", sunsetAt: "2099-01-01" },
  ],
});

const HOUR = 3_600_000;

function build(express: ExpressFactory, extra: Partial<VersioningAdminOptions> = {}) {
  const pins = extra.pins ?? memoryPins();
  const forgotten: string[] = [];
  const actions: string[] = [];
  const app = express();
  app.use(
    "/admin/api-version",
    versioningAdmin({
      versions,
      pins,
      account: (req) => req.get("x-account"),
      // Readers may read; only owners may change the pin.
      authorize: async (req, action) => {
        actions.push(action);
        return action === "read" ? req.get("x-role") !== undefined : req.get("x-role") === "owner";
      },
      actor: (req) => `user:${req.get("x-user") ?? "anon"}`,
      middleware: { forget: (account) => void forgotten.push(account) },
      ...extra,
    }),
  );
  return { app, pins, forgotten, actions };
}

const as = (req: request.Test, account = "acct_1", role = "owner") => req.set("x-account", account).set("x-role", role).set("x-user", "ada");

describe("versioningAdmin() options", () => {
  const base = { versions, pins: memoryPins(), account: () => "a", authorize: () => true };

  it("refuses to build without authorize, naming the option", () => {
    const { authorize: _omit, ...rest } = base;
    expect(() => versioningAdmin(rest as unknown as VersioningAdminOptions)).toThrow(ConfigurationError);
    expect(() => versioningAdmin(rest as unknown as VersioningAdminOptions)).toThrow(/`authorize` is required/);
    try {
      versioningAdmin(rest as unknown as VersioningAdminOptions);
    } catch (err) {
      expect((err as ConfigurationError).offender).toBe("authorize");
    }
  });

  it.each([
    ["account", { account: "acct" }],
    ["pins", { pins: { get: async () => undefined } }],
    ["versions", { versions: {} }],
    ["rollbackWindowHours", { rollbackWindowHours: -1 }],
    ["middleware", { middleware: {} }],
    ["colour", { colour: "blue" }],
  ])("names a bad `%s`", (option, patch) => {
    expect(() => versioningAdmin({ ...base, ...patch } as unknown as VersioningAdminOptions)).toThrow(
      expect.objectContaining({ name: "ConfigurationError", offender: option }),
    );
  });
});

describe.each(flavours)("versioningAdmin() on %s", (_name, express) => {
  describe("GET /", () => {
    it("describes an unpinned account", async () => {
      const res = await as(request(build(express).app).get("/admin/api-version"), "acct_1", "reader");
      expect(res.status).toBe(200);
      expect(res.headers["cache-control"]).toBe("no-store");
      expect(res.body).toMatchObject({ account: "acct_1", pinned: null, latest: "2025-09-01", changelog: [], rollback: { available: false } });
      expect(res.body.versions).toEqual([
        { id: "2025-09-01", releasedAt: "2025-09-01T00:00:00.000Z", description: "External ids.", status: "active" },
        { id: "2025-01-15", releasedAt: "2025-01-15T00:00:00.000Z", status: "active" },
        {
          id: "2024-06-01",
          releasedAt: "2024-06-01T00:00:00.000Z",
          deprecatedAt: "2025-01-15T00:00:00.000Z",
          sunsetAt: "2099-01-01T00:00:00.000Z",
          status: "deprecated",
        },
      ]);
    });

    it("shows the pin and the changelog from it to the latest", async () => {
      const { app, pins } = build(express);
      await pins.pinIfAbsent("acct_1", "2024-06-01");
      const res = await as(request(app).get("/admin/api-version/"), "acct_1", "reader");
      expect(res.status).toBe(200);
      expect(res.body.pinned).toMatchObject({ version: "2024-06-01" });
      expect(typeof res.body.pinned.pinnedAt).toBe("string");
      expect(res.body.changelog.map((e: { version: string }) => e.version)).toEqual(["2025-09-01", "2025-01-15"]);
      expect(res.body.rollback).toEqual({ available: false });
    });

    it("answers 401 no_account without an account and 403 not_allowed when authorize says no", async () => {
      const { app } = build(express);
      const anonymous = await request(app).get("/admin/api-version").set("x-role", "owner");
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(anonymous.body).toMatchObject({ code: "no_account", status: 401 });
      const stranger = await request(app).get("/admin/api-version").set("x-account", "acct_1");
      expect(stranger.status).toBe(403);
      expect(stranger.body).toMatchObject({ code: "not_allowed", status: 403, action: "read" });
    });
  });

  describe("POST /upgrade", () => {
    it("moves the pin forward, records who and why, and drops the cached pin", async () => {
      const { app, pins, forgotten, actions } = build(express);
      await pins.pinIfAbsent("acct_1", "2024-06-01");
      const res = await as(request(app).post("/admin/api-version/upgrade")).send({ version: "2025-01-15", reason: "new SDK" });
      expect(res.status).toBe(200);
      expect(res.body.pinned.version).toBe("2025-01-15");
      expect(res.body.changelog.map((e: { version: string }) => e.version)).toEqual(["2025-09-01"]);
      expect(res.body.rollback).toMatchObject({ available: true, to: "2024-06-01" });
      expect(new Date(res.body.rollback.until).getTime() - Date.now()).toBeGreaterThan(71 * HOUR);
      const [entry] = await pins.history("acct_1", { limit: 1 });
      expect(entry).toMatchObject({ from: "2024-06-01", to: "2025-01-15", actor: "user:ada", reason: "new SDK" });
      expect(forgotten).toEqual(["acct_1"]);
      expect(actions).toEqual(["upgrade"]);
    });

    it("pins an unpinned account to any version", async () => {
      const { app, pins } = build(express);
      const res = await as(request(app).post("/admin/api-version/upgrade")).send({ version: "2024-06-01" });
      expect(res.status).toBe(200);
      expect((await pins.get("acct_1"))?.version).toBe("2024-06-01");
    });

    it("refuses a downgrade or the same version with 409 not_an_upgrade", async () => {
      const { app, pins, forgotten } = build(express);
      await pins.pinIfAbsent("acct_1", "2025-01-15");
      const down = await as(request(app).post("/admin/api-version/upgrade")).send({ version: "2024-06-01" });
      expect(down.status).toBe(409);
      expect(down.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(down.body).toMatchObject({ code: "not_an_upgrade", version: "2024-06-01", pinned: "2025-01-15" });
      const same = await as(request(app).post("/admin/api-version/upgrade")).send({ version: "2025-01-15" });
      expect(same.body).toMatchObject({ status: 409, code: "not_an_upgrade" });
      expect((await pins.get("acct_1"))?.version).toBe("2025-01-15");
      expect(forgotten).toEqual([]);
    });

    it("answers 400 for an unknown, malformed or missing version", async () => {
      const { app } = build(express);
      const unknown = await as(request(app).post("/admin/api-version/upgrade")).send({ version: "2030-01-01" });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ code: "unsupported_version", supported: ["2025-09-01", "2025-01-15", "2024-06-01"] });
      const malformed = await as(request(app).post("/admin/api-version/upgrade")).send({ version: "soon" });
      expect(malformed.body).toMatchObject({ status: 400, code: "invalid_version" });
      const missing = await as(request(app).post("/admin/api-version/upgrade")).send({});
      expect(missing.body).toMatchObject({ status: 400, code: "invalid_request", field: "version" });
      const notJson = await as(request(app).post("/admin/api-version/upgrade")).set("content-type", "application/json").send("{nope");
      expect(notJson.body).toMatchObject({ status: 400, code: "invalid_json" });
    });

    it("reads a body another parser already parsed", async () => {
      const pins = memoryPins();
      const app = express();
      app.use(express.json());
      app.use("/admin", versioningAdmin({ versions, pins, account: () => "acct_1", authorize: () => true }));
      const res = await request(app).post("/admin/upgrade").send({ version: "2025-09-01" });
      expect(res.status).toBe(200);
      expect(await pins.history("acct_1")).toEqual([expect.objectContaining({ to: "2025-09-01", actor: "admin" })]);
    });

    it("requires the upgrade permission", async () => {
      const res = await as(request(build(express).app).post("/admin/api-version/upgrade"), "acct_1", "reader").send({ version: "2025-09-01" });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: "not_allowed", action: "upgrade" });
    });
  });

  describe("POST /rollback", () => {
    it("undoes an upgrade within the window, once", async () => {
      const { app, pins, forgotten } = build(express);
      await pins.pinIfAbsent("acct_1", "2024-06-01");
      await as(request(app).post("/admin/api-version/upgrade")).send({ version: "2025-09-01" }).expect(200);
      const res = await as(request(app).post("/admin/api-version/rollback")).send({ reason: "broke our parser" });
      expect(res.status).toBe(200);
      expect(res.body.pinned.version).toBe("2024-06-01");
      expect(res.body.rollback).toEqual({ available: false });
      expect((await pins.history("acct_1", { limit: 1 }))[0]).toMatchObject({ from: "2025-09-01", to: "2024-06-01", reason: "broke our parser" });
      expect(forgotten).toEqual(["acct_1", "acct_1"]);
      const again = await as(request(app).post("/admin/api-version/rollback"));
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: "nothing_to_roll_back" });
    });

    it("refuses after the window closed and says when it closed", async () => {
      const later = { now: new Date(Date.now() + 73 * HOUR) };
      const { app, pins } = build(express, { now: () => later.now });
      await pins.pinIfAbsent("acct_1", "2024-06-01");
      const upgraded = await pins.set("acct_1", "2025-01-15", { actor: "ada" });
      const res = await as(request(app).post("/admin/api-version/rollback"));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: "rollback_window_closed", from: "2024-06-01", to: "2025-01-15" });
      expect(res.body.closedAt).toBe(new Date(upgraded.at.getTime() + 72 * HOUR).toISOString());
      expect(res.body.detail).toContain(res.body.closedAt);
      later.now = new Date(Date.now() + 71 * HOUR);
      const state = await as(request(app).get("/admin/api-version"));
      expect(state.body.rollback).toMatchObject({ available: true, to: "2024-06-01" });
      await as(request(app).post("/admin/api-version/rollback")).expect(200);
    });

    it("honours a custom window", async () => {
      const { app, pins } = build(express, { rollbackWindowHours: 1, now: () => new Date(Date.now() + 2 * HOUR) });
      await pins.pinIfAbsent("acct_1", "2024-06-01");
      await pins.set("acct_1", "2025-01-15", { actor: "ada" });
      const res = await as(request(app).post("/admin/api-version/rollback"));
      expect(res.body).toMatchObject({ status: 409, code: "rollback_window_closed" });
    });

    it("has nothing to roll back for a first pin or an unpinned account", async () => {
      const { app, pins } = build(express);
      const unpinned = await as(request(app).post("/admin/api-version/rollback"));
      expect(unpinned.body).toMatchObject({ status: 409, code: "nothing_to_roll_back" });
      await pins.pinIfAbsent("acct_1", "2024-06-01");
      const first = await as(request(app).post("/admin/api-version/rollback"));
      expect(first.body).toMatchObject({ status: 409, code: "nothing_to_roll_back" });
    });
  });

  describe("GET /history", () => {
    it("lists pin changes newest first, limited", async () => {
      const { app, pins } = build(express);
      await pins.pinIfAbsent("acct_1", "2024-06-01");
      await pins.set("acct_1", "2025-01-15", { actor: "ada", reason: "one" });
      await pins.set("acct_1", "2025-09-01", { actor: "bob" });
      const all = await as(request(app).get("/admin/api-version/history"), "acct_1", "reader");
      expect(all.status).toBe(200);
      expect(all.body.account).toBe("acct_1");
      expect(all.body.history.map((h: { to: string }) => h.to)).toEqual(["2025-09-01", "2025-01-15", "2024-06-01"]);
      expect(all.body.history[2]).toMatchObject({ from: null, actor: "first-request" });
      const one = await as(request(app).get("/admin/api-version/history?limit=1"), "acct_1", "reader");
      expect(one.body.history).toEqual([expect.objectContaining({ from: "2025-01-15", to: "2025-09-01", actor: "bob" })]);
      const bad = await as(request(app).get("/admin/api-version/history?limit=zero"), "acct_1", "reader");
      expect(bad.body).toMatchObject({ status: 400, code: "invalid_request", field: "limit" });
    });
  });

  describe("routing and failures", () => {
    it("answers 405 for a wrong method and leaves unknown paths to the app", async () => {
      const { app } = build(express);
      const wrong = await as(request(app).get("/admin/api-version/upgrade"));
      expect(wrong.status).toBe(405);
      expect(wrong.headers["allow"]).toBe("POST");
      expect(wrong.body).toMatchObject({ code: "method_not_allowed" });
      expect((await as(request(app).get("/admin/api-version/elsewhere"))).status).toBe(404);
    });

    it("answers 503 problem with Retry-After when the store fails, without its message", async () => {
      const broken: PinStore = {
        ...memoryPins(),
        get: async () => {
          throw new Error("ECONNREFUSED 10.0.0.7:5432");
        },
      };
      const res = await as(request(build(express, { pins: broken }).app).get("/admin/api-version"));
      expect(res.status).toBe(503);
      expect(res.headers["retry-after"]).toBe("5");
      expect(res.body).toMatchObject({ code: "pin_store_unavailable", status: 503 });
      expect(JSON.stringify(res.body)).not.toContain("ECONNREFUSED");
    });

    it("serves the new version at once after an upgrade through the middleware's cache", async () => {
      const pins = memoryPins();
      const mw = versioning({ versions, pins, account: (req) => req.get("x-account") });
      const app = express();
      app.use("/admin", versioningAdmin({ versions, pins, middleware: mw, account: (req) => req.get("x-account"), authorize: () => true }));
      app.use(mw);
      app.get("/v1/ping", (req, res) => void res.json({ version: req.apiVersion.id }));
      await pins.pinIfAbsent("acct_1", "2024-06-01");
      expect((await request(app).get("/v1/ping").set("x-account", "acct_1")).body.version).toBe("2024-06-01");
      await request(app).post("/admin/upgrade").set("x-account", "acct_1").send({ version: "2025-09-01" }).expect(200);
      expect((await request(app).get("/v1/ping").set("x-account", "acct_1")).body.version).toBe("2025-09-01");
      await mw.close();
    });
  });
});
