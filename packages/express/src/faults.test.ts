import request from "supertest";
import express5 from "express";
import express4 from "express4";
import createError from "http-errors";
import { defineVersions, memoryPins, renameField, StrataError, VersionSunsetError } from "@strata/core";
import { problemFor, strataErrorHandler, versioning, versioningAdmin, type VersioningOptions } from "@strata/express";

// Issue 11's pins, resolution, admin and error items: each test failed before its fix.
type ExpressFactory = typeof express5;
const flavours: [string, ExpressFactory][] = [
  ["express 5", express5],
  ["express 4", express4 as unknown as ExpressFactory],
];

const versions = defineVersions({
  versions: [
    { id: "2025-09-01", changes: [renameField("thing", "c", "d")] },
    { id: "2025-06-01", changes: [renameField("thing", "b", "c")] },
    { id: "2025-01-15", changes: [renameField("thing", "a", "b")], deprecatedAt: "2025-06-01", sunsetAt: "2026-01-01" },
    { id: "2024-06-01", sunsetAt: "2025-06-01" },
  ],
});
const NOW = new Date("2026-06-01T00:00:00Z");

function build(express: ExpressFactory, extra: Partial<VersioningOptions> = {}) {
  const app = express();
  app.use(versioning({ versions, now: () => NOW, ...extra }));
  app.get("/thing", (_req, res) => void res.json({ object: "thing", d: "value" }));
  app.use(strataErrorHandler());
  return app;
}

describe.each(flavours)("faults on %s", (_name, express) => {
  describe("a pin this instance does not configure", () => {
    const withPin = async (pinned: string) => {
      const pins = memoryPins();
      await pins.set("acct", pinned, { actor: "test" });
      return request(build(express, { pins, account: () => "acct" })).get("/thing");
    };

    it("newer than this instance's latest (a rolling deploy) is served at the latest, with a warning", async () => {
      const res = await withPin("2026-03-01");
      expect(res.status).toBe(200);
      expect(res.headers["api-version"]).toBe("2025-09-01");
      expect(res.body).toEqual({ object: "thing", d: "value" });
      expect(res.headers["strata-warning"]).toMatch(/2026-03-01 is not served by this instance; served at 2025-09-01/);
    });

    it("between two configured versions (a removed one) is served at the newest version before it", async () => {
      const res = await withPin("2025-08-01");
      expect(res.headers["api-version"]).toBe("2025-06-01");
      expect(res.body).toEqual({ object: "thing", c: "value" });
    });
  });

  describe("an account callback that fails", () => {
    const cases: [string, () => string][] = [
      [
        "throws",
        () => {
          throw new Error("auth backend down");
        },
      ],
      ["rejects", (() => Promise.reject(new Error("auth backend down"))) as unknown as () => string],
    ];

    it.each(cases)("and %s is ignored when the header names the version (the pin waits)", async (_how, account) => {
      const res = await request(build(express, { pins: memoryPins(), account }))
        .get("/thing")
        .set("Api-Version", "2025-09-01");
      expect(res.status).toBe(200);
    });

    it.each(cases)("and %s fails a request whose version depends on the account with an opaque 500", async (_how, account) => {
      const res = await request(build(express, { pins: memoryPins(), account })).get("/thing");
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ code: "internal_error" });
      expect(JSON.stringify(res.body)).not.toContain("auth backend");
    });
  });

  describe("a retired version", () => {
    it("answers 410 listing only the versions still served", async () => {
      const res = await request(build(express)).get("/thing").set("Api-Version", "2024-06-01");
      expect(res.status).toBe(410);
      expect(res.body).toMatchObject({ code: "version_sunset", upgradeTo: "2025-06-01", supported: ["2025-09-01", "2025-06-01"] });
    });
  });

  describe("strataErrorHandler()", () => {
    const failing = (err: unknown) => {
      const app = express();
      app.get("/x", () => {
        throw err;
      });
      app.use(strataErrorHandler());
      return request(app).get("/x");
    };

    it.each([
      [401, "unauthorized"],
      [404, "not_found"],
      [405, "method_not_allowed"],
      [409, "conflict"],
      [429, "too_many_requests"],
    ])("gives an http-errors %i its own code", async (status, code) => {
      const res = await failing(createError(status));
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ status, code });
    });

    it("keeps an app error's own code, exposed message and headers", async () => {
      const res = await failing(createError(429, "Slow down.", { code: "rate_limited", headers: { "Retry-After": "30" } }));
      expect(res.body).toMatchObject({ status: 429, code: "rate_limited", detail: "Slow down.", title: "Too Many Requests" });
      expect(res.headers["retry-after"]).toBe("30");
    });

    it("keeps an unexposed 4xx message private, and a 5xx status without its details", async () => {
      const hidden = await failing(Object.assign(new Error("internal detail"), { status: 403, expose: false }));
      expect(hidden.body).toMatchObject({ status: 403, code: "forbidden", detail: "Forbidden" });
      const down = await failing(createError(503, "db at 10.0.0.7 down"));
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ code: "service_unavailable" });
      expect(JSON.stringify(down.body)).not.toContain("10.0.0.7");
    });
  });
});

describe("Strata errors from another installed copy of @strata/core", () => {
  let Foreign: typeof VersionSunsetError;
  beforeAll(() => {
    jest.isolateModules(() => {
      Foreign = (jest.requireActual("../../core/src/index.ts") as typeof import("@strata/core")).VersionSunsetError;
    });
  });

  it("are a different class, yet recognised and rendered with their own code", () => {
    const err = new Foreign("2024-06-01", new Date("2025-06-01"), "2025-06-01", ["2025-06-01"]);
    expect(Foreign).not.toBe(VersionSunsetError);
    expect(err instanceof StrataError).toBe(true);
    expect(problemFor(err)).toMatchObject({ status: 410, code: "version_sunset", upgradeTo: "2025-06-01" });
  });
});

describe.each(flavours)("versioningAdmin() on %s", (_name, express) => {
  const admin = (pins = memoryPins(), seen: string[] = []) => {
    const app = express();
    app.use(
      "/accounts/:account/api-version",
      // The app reads the account from the URL: authorize must be told which one it is.
      (req, _res, next) => {
        (req as unknown as { target: string }).target = String(req.params.account);
        next();
      },
      versioningAdmin({
        versions,
        pins,
        now: () => NOW,
        account: (req) => (req as unknown as { target: string }).target,
        authorize: (req, action, account) => {
          seen.push(`${action}:${account}`);
          return account === req.get("x-admin-of");
        },
      }),
    );
    return app;
  };

  it("passes authorize the account being changed, so A's admin cannot move B's pin", async () => {
    const seen: string[] = [];
    const pins = memoryPins();
    await pins.set("B", "2025-06-01", { actor: "test" });
    const app = admin(pins, seen);
    const res = await request(app).post("/accounts/B/api-version/upgrade").set("x-admin-of", "A").send({ version: "2025-09-01" });
    expect(res.status).toBe(403);
    expect(seen).toEqual(["upgrade:B"]);
    expect((await pins.get("B"))?.version).toBe("2025-06-01");
    const own = await request(app).post("/accounts/B/api-version/upgrade").set("x-admin-of", "B").send({ version: "2025-09-01" });
    expect(own.status).toBe(200);
  });

  it("refuses an upgrade to a version not released yet", async () => {
    const future = defineVersions({
      versions: [{ id: "2026-09-01", changes: [renameField("thing", "c", "d")] }, { id: "2025-06-01" }],
    });
    const app = express();
    const pins = memoryPins();
    await pins.set("acct", "2025-06-01", { actor: "test" });
    app.use(versioningAdmin({ versions: future, pins, now: () => NOW, account: () => "acct", authorize: () => true }));
    const res = await request(app).post("/upgrade").send({ version: "2026-09-01" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "version_not_released", version: "2026-09-01" });
    expect((await pins.get("acct"))?.version).toBe("2025-06-01");
    const state = await request(app).get("/");
    expect(state.body.versions[0]).toMatchObject({ id: "2026-09-01", status: "unreleased" });
  });

  it("moves a pin this instance does not configure, in either direction", async () => {
    const pins = memoryPins();
    await pins.set("A", "2026-03-01", { actor: "deploy of a newer release" });
    const app = admin(pins);
    const state = await request(app).get("/accounts/A/api-version").set("x-admin-of", "A");
    expect(state.body.pinned).toMatchObject({ version: "2026-03-01", servedAt: "2025-09-01" });
    const res = await request(app).post("/accounts/A/api-version/upgrade").set("x-admin-of", "A").send({ version: "2025-09-01" });
    expect(res.status).toBe(200);
    expect((await pins.get("A"))?.version).toBe("2025-09-01");
  });
});
