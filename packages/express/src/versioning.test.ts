import request from "supertest";
import express5 from "express";
import express4 from "express4";
import { change, defineVersions, memoryPins, moveQueryToBody, renameField, addEndpoint, type PinStore } from "@strata/core";
import { assertRoutes, routesOf, strataErrorHandler, versioning, type VersioningOptions } from "@strata/express";

type ExpressFactory = typeof express5;
const flavours: [string, ExpressFactory][] = [
  ["express 5", express5],
  ["express 4", express4 as unknown as ExpressFactory],
];

const scopesRequired = change({ description: "`scopes` is required.", sideEffect: true });
const ownerId = renameField("key", "ownerId", "externalId");
const v1Errors = change({
  description: "Errors use the v2 format.",
  error: (res) => {
    const body = res.body as { detail?: string; code?: string };
    res.body = { error: { code: String(body.code ?? "UNKNOWN").toUpperCase(), message: body.detail } };
  },
});
const getKeyMoved = moveQueryToBody("GET /v1/keys.getKey", "POST /v2/keys.getKey", { types: { decrypt: "boolean" } });
const whoamiAdded = addEndpoint("POST /v1/keys.whoami");

const versions = defineVersions({
  versions: [
    { id: "2025-09-01", changes: [ownerId, scopesRequired] },
    { id: "2025-01-15", changes: [getKeyMoved, v1Errors, whoamiAdded] },
    { id: "2024-06-01" },
  ],
});

function build(express: ExpressFactory, extra: Partial<VersioningOptions> = {}) {
  const app = express();
  const calls = { getKey: 0 };
  const mw = versioning({ versions, ...extra });
  app.use(mw);
  app.use(express.json());
  app.post("/v2/keys.getKey", (req, res) => {
    calls.getKey++;
    const body = req.body as { keyId?: string; decrypt?: boolean };
    if (body.keyId === "missing") {
      res.status(404).json({ code: "not_found", detail: "no such key" });
      return;
    }
    res.json({
      object: "key",
      id: body.keyId,
      decrypt: body.decrypt,
      externalId: "user_1",
      version: req.apiVersion.id,
      scopes: req.apiVersion.has(scopesRequired),
    });
  });
  app.post("/v1/keys.whoami", (_req, res) => void res.json({ ok: true }));
  app.get("/file", (_req, res) => void res.type("text/plain").send("plain text"));
  app.get("/boom", () => {
    throw new Error("secret internals");
  });
  app.use(strataErrorHandler());
  return { app, calls, mw };
}

describe.each(flavours)("versioning() on %s", (_name, express) => {
  describe("resolution", () => {
    it("serves the latest version without a header and echoes it with Vary", async () => {
      const res = await request(build(express).app).post("/v2/keys.getKey").send({ keyId: "k1" });
      expect(res.status).toBe(200);
      expect(res.headers["api-version"]).toBe("2025-09-01");
      expect(res.headers["vary"]).toMatch(/Api-Version/i);
      expect(res.body).toEqual({ object: "key", id: "k1", externalId: "user_1", version: "2025-09-01", scopes: true });
    });

    it("answers a malformed header with a 400 problem listing the versions", async () => {
      const res = await request(build(express).app).post("/v2/keys.getKey").set("Api-Version", "yesterday").send({});
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: "invalid_version", status: 400, supported: ["2025-09-01", "2025-01-15", "2024-06-01"] });
    });

    it("answers an unknown version with a 400 problem, never the latest", async () => {
      const res = await request(build(express).app).post("/v2/keys.getKey").set("Api-Version", "2023-01-01").send({});
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: "unsupported_version", version: "2023-01-01" });
    });

    it("pins an account on its first request and keeps serving the pin", async () => {
      const pins = memoryPins();
      const { app } = build(express, { pins, account: (req) => req.get("x-account") });
      await pins.pinIfAbsent("old", "2024-06-01");
      const first = await request(app).post("/v2/keys.getKey").set("x-account", "new").send({ keyId: "a" });
      expect(first.headers["api-version"]).toBe("2025-09-01");
      expect((await pins.get("new"))?.version).toBe("2025-09-01");
      const old = await request(app).get("/v1/keys.getKey?keyId=a").set("x-account", "old");
      expect(old.headers["api-version"]).toBe("2024-06-01");
      expect(old.body).toMatchObject({ id: "a", ownerId: "user_1", scopes: false });
    });

    it("fails closed with 503 and Retry-After when the pin store is down", async () => {
      const broken: PinStore = { ...memoryPins(), get: () => Promise.reject(new Error("ECONNREFUSED 10.0.0.1")) };
      const res = await request(build(express, { pins: broken, account: () => "acct" }).app)
        .post("/v2/keys.getKey")
        .send({});
      expect(res.status).toBe(503);
      expect(res.headers["retry-after"]).toBe("5");
      expect(JSON.stringify(res.body)).not.toContain("ECONNREFUSED");
    });

    it("serves the default version with a warning when configured to", async () => {
      const broken: PinStore = { ...memoryPins(), get: () => Promise.reject(new Error("down")) };
      const res = await request(build(express, { pins: broken, account: () => "acct", onStoreError: "serve-default" }).app)
        .post("/v2/keys.getKey")
        .send({ keyId: "z" });
      expect(res.status).toBe(200);
      expect(res.headers["strata-warning"]).toMatch(/pin store unavailable/);
    });
  });

  describe("migration", () => {
    it("moves an old GET with query to the new POST handler and translates the response back", async () => {
      const res = await request(build(express).app).get("/v1/keys.getKey?keyId=k9&decrypt=true").set("Api-Version", "2024-06-01");
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ object: "key", id: "k9", decrypt: true, ownerId: "user_1", version: "2024-06-01", scopes: false });
    });

    it("translates handler errors through error transforms", async () => {
      const res = await request(build(express).app).get("/v1/keys.getKey?keyId=missing").set("Api-Version", "2024-06-01");
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: "NOT_FOUND", message: "no such key" } });
    });

    it("answers a bad query value with a 400 in the client's error format", async () => {
      const res = await request(build(express).app).get("/v1/keys.getKey?keyId=k&decrypt=maybe").set("Api-Version", "2024-06-01");
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: "INVALID_QUERY_PARAMETER", message: expect.stringContaining("decrypt") } });
    });

    it("hides endpoints added later from older clients", async () => {
      const res = await request(build(express).app).post("/v1/keys.whoami").set("Api-Version", "2024-06-01").send({});
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("ENDPOINT_NOT_FOUND");
      const now = await request(build(express).app).post("/v1/keys.whoami").set("Api-Version", "2025-01-15").send({});
      expect(now.status).toBe(200);
    });

    it("answers broken JSON from an old client with a 400 problem", async () => {
      const res = await request(build(express).app)
        .post("/v2/keys.getKey")
        .set("Api-Version", "2025-01-15")
        .set("Content-Type", "application/json")
        .send('{"keyId": ');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: "invalid_json" });
    });

    it("passes non-JSON bodies through untouched", async () => {
      const res = await request(build(express).app).get("/file").set("Api-Version", "2024-06-01");
      expect(res.text).toBe("plain text");
    });

    it("renders unexpected errors as an opaque 500 problem", async () => {
      const res = await request(build(express).app).get("/boom");
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ code: "internal_error", requestId: expect.stringMatching(/^req_[0-9a-f]{32}$/) });
      expect(JSON.stringify(res.body)).not.toContain("secret internals");
    });

    it("answers a throwing change with a 500 problem carrying a request id, without re-running the handler", async () => {
      const exploding = change({
        description: "explodes",
        resource: "key",
        response: () => {
          throw new Error("kaboom");
        },
      });
      const vs = defineVersions({ versions: [{ id: "2025-02-01", changes: [exploding] }, { id: "2025-01-01" }] });
      const app = express();
      let ran = 0;
      app.use(versioning({ versions: vs }));
      app.get("/k", (_req, res) => {
        ran++;
        res.json({ object: "key" });
      });
      const res = await request(app).get("/k").set("Api-Version", "2025-01-01").set("x-request-id", "req_test_1");
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ code: "migration_failed", requestId: "req_test_1" });
      expect(JSON.stringify(res.body)).not.toContain("kaboom");
      expect(ran).toBe(1);
    });
  });
});

describe("versioning() with a version fixed by the URL", () => {
  const moved = change({
    description: "Customer API v2: paths move from /customer/v1 to /customer/v2.",
    routes: "* /customer/v1/*rest",
    request: (req) => {
      req.path = req.path.replace("/customer/v1/", "/customer/v2/");
    },
  });
  const semverVersions = defineVersions({ scheme: "semver", versions: [{ id: "2.0", changes: [moved] }, { id: "1.0" }] });

  it("takes the version from the request before the header", async () => {
    const app = express5();
    app.use(
      versioning({ versions: semverVersions, header: "Orbit-Version", fromRequest: (req) => (req.path.startsWith("/customer/v1/") ? "1.0" : undefined) }),
    );
    app.get("/customer/v2/licenses", (req, res) => void res.json({ version: req.apiVersion.id, source: req.apiVersion.source }));
    const v1 = await request(app).get("/customer/v1/licenses").set("Orbit-Version", "2.0");
    expect(v1.body).toEqual({ version: "1.0", source: "request" });
    expect(v1.headers["orbit-version"]).toBe("1.0");
    expect(v1.headers["vary"]).toBeUndefined(); // the URL decides, not the header
    const v2 = await request(app).get("/customer/v2/licenses");
    expect(v2.body).toEqual({ version: "2.0", source: "default" });
  });
});

describe.each(flavours)("assertRoutes() on %s", (_name, express) => {
  it("accepts changes that lead to a handler and lists the app's routes", () => {
    const { app } = build(express);
    expect(routesOf(app)).toEqual(expect.arrayContaining(["POST /v2/keys.getKey", "GET /file"]));
    expect(() => assertRoutes(app, versions)).not.toThrow();
  });

  it("rejects a route change whose path reaches no handler, naming it", () => {
    const typo = moveQueryToBody("GET /v1/keys.getKye", "POST /v2/keys.getKye");
    const vs = defineVersions({ versions: [{ id: "2025-01-15", changes: [typo] }, { id: "2024-06-01" }] });
    const { app } = build(express);
    expect(() => assertRoutes(app, vs)).toThrow(/keys\.getKye/);
  });
});

describe.each(flavours)("body parsing order on %s", (_name, express) => {
  const renameInBody = change({
    description: "`owner` is renamed to `ownerId` in create bodies.",
    routes: "POST /things",
    request: (req) => {
      const body = req.body as Record<string, unknown>;
      body.ownerId = body.owner;
      delete body.owner;
    },
  });
  const vs = defineVersions({ versions: [{ id: "2025-02-01", changes: [renameInBody] }, { id: "2025-01-01" }] });

  function app(parserFirst: boolean) {
    const a = express();
    if (parserFirst) a.use(express.json());
    a.use(versioning({ versions: vs }));
    if (!parserFirst) a.use(express.json());
    a.post("/things", (req, res) => void res.json({ received: req.body }));
    a.use(strataErrorHandler());
    return a;
  }

  it.each([true, false])("migrates the body whether express.json() runs before (%s) or after", async (parserFirst) => {
    const res = await request(app(parserFirst)).post("/things").set("Api-Version", "2025-01-01").send({ owner: "u1", n: 1 });
    expect(res.body).toEqual({ received: { ownerId: "u1", n: 1 } });
  });

  it.each([true, false])("answers broken JSON with a 400 problem (parser first: %s)", async (parserFirst) => {
    const res = await request(app(parserFirst)).post("/things").set("Api-Version", "2025-01-01").set("Content-Type", "application/json").send("{nope");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "invalid_json" });
  });
});

describe("problem type URIs", () => {
  it("use the app's base when configured, in the middleware and the error handler alike", async () => {
    const app = express5();
    app.use(versioning({ versions, problemTypeBase: "https://api.example.com/problems/" }));
    app.get("/boom", () => {
      throw new Error("x");
    });
    app.use(strataErrorHandler({ problemTypeBase: "https://api.example.com/problems/" }));
    const bad = await request(app).get("/boom").set("Api-Version", "nope");
    expect(bad.body.type).toBe("https://api.example.com/problems/invalid-version");
    const boom = await request(app).get("/boom");
    expect(boom.body.type).toBe("https://api.example.com/problems/internal-error");
  });

  it("rejects an empty base at startup, naming the option", () => {
    expect(() => versioning({ versions, problemTypeBase: "" })).toThrow(/problemTypeBase/);
  });
});
