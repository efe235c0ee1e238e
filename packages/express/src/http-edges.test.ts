import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import request from "supertest";
import express5 from "express";
import express4 from "express4";
import { change, defineVersions, memoryPins, moveEndpoint, renameField, type JsonObject } from "@strata/core";
import { strataErrorHandler, versioning, versioningAdmin, type VersioningOptions } from "@strata/express";

// Issue 11's HTTP edges: each test failed on the code before the fix it covers.
type ExpressFactory = typeof express5;
const flavours: [string, ExpressFactory][] = [
  ["express 5", express5],
  ["express 4", express4 as unknown as ExpressFactory],
];

const renamed = renameField("thing", "label", "name");
const moved = moveEndpoint("GET /v1/things/:id", "GET /v2/things/:id");
const v1Errors = change({
  description: "Errors are `{ error: { message } }`.",
  error: (res) => {
    res.body = { error: { message: (res.body as { detail?: string }).detail } };
  },
});
const broken = change({
  description: "Broken on purpose.",
  resource: "widget",
  response: () => {
    throw new Error("boom");
  },
});
const versions = defineVersions({
  versions: [{ id: "2025-09-01", changes: [renamed, broken] }, { id: "2025-01-15", changes: [moved, v1Errors] }, { id: "2024-06-01" }],
});
const OLD = "2024-06-01";
const deepFreeze = <T>(value: T): T => {
  if (typeof value === "object" && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
};

function build(express: ExpressFactory, extra: Partial<VersioningOptions> = {}) {
  const app = express();
  const cached = { object: "thing", id: "cached", name: "shared" };
  app.use(versioning({ versions, jsonLimit: 1024, ...extra }));
  app.use(express.json());
  app.get("/v2/things/:id", (req, res) => void res.json({ object: "thing", id: req.params.id, name: "n" }));
  app.get("/v2/cached", (_req, res) => void res.json(cached));
  app.get("/v2/frozen", (_req, res) => void res.json(deepFreeze({ data: [{ object: "thing", id: "f", name: "ice" }] })));
  app.get("/v2/jsonp", (_req, res) => void res.jsonp({ object: "thing", id: "p", name: "pad" }));
  app.get("/v2/deep", (_req, res) => {
    let body: JsonObject = { object: "thing", name: "bottom" };
    for (let i = 0; i < 5000; i++) body = { child: body };
    res.json(body);
  });
  app.get("/v2/widget", (_req, res) => void res.json({ object: "widget" }));
  app.get("/v2/public", (_req, res) => void res.set("Cache-Control", "public, max-age=60, s-maxage=600").json({ ok: true }));
  app.post("/v2/echo", (req, res) => void res.json(req.body));
  app.use(strataErrorHandler());
  return { app, cached };
}

async function listen(app: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Post raw bytes (supertest would serialise a Buffer as JSON under a JSON content type). */
async function postRaw(app: unknown, path: string, headers: Record<string, string>, body: Buffer) {
  const server = await listen(app as http.RequestListener);
  const agent = new http.Agent();
  try {
    const res = await send(agent, server.url + path, { method: "POST", headers, body });
    return { status: res.status, body: JSON.parse(res.body) as unknown };
  } finally {
    agent.destroy();
    await server.close();
  }
}

/** One request on `agent`, answered within `ms` (or rejected): a wedged socket fails the test. */
function send(agent: http.Agent, url: string, options: { method: string; headers?: Record<string, string>; body?: Buffer }, ms = 3000) {
  return new Promise<{ status: number; body: string; reused: boolean }>((resolve, reject) => {
    const req = http.request(url, { method: options.method, headers: options.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), reused: req.reusedSocket }));
    });
    req.setTimeout(ms, () => req.destroy(new Error(`no answer within ${ms} ms`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

describe.each(flavours)("HTTP edges on %s", (_name, express) => {
  describe("the handler's objects", () => {
    it("a cached body answers old and new clients alike, in their own shapes", async () => {
      const { app, cached } = build(express);
      const old = await request(app).get("/v2/cached").set("Api-Version", OLD);
      expect(old.body).toEqual({ object: "thing", id: "cached", label: "shared" });
      const latest = await request(app).get("/v2/cached");
      expect(latest.body).toEqual({ object: "thing", id: "cached", name: "shared" });
      expect(cached).toEqual({ object: "thing", id: "cached", name: "shared" });
    });

    it("a frozen body is migrated", async () => {
      for (const migrateInPlace of [false, true]) {
        const res = await request(build(express, { migrateInPlace }).app).get("/v2/frozen").set("Api-Version", OLD);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ data: [{ object: "thing", id: "f", label: "ice" }] });
      }
    });

    it("res.jsonp() is migrated like res.json()", async () => {
      const res = await request(build(express).app).get("/v2/jsonp").set("Api-Version", OLD);
      expect(res.body).toEqual({ object: "thing", id: "p", label: "pad" });
    });

    it("a body nested past the walk's limit is a migration_failed problem in the client's format, never a 200", async () => {
      const res = await request(build(express).app).get("/v2/deep").set("Api-Version", OLD);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { message: "The API could not translate this request for your API version." } });
    });

    it("a failing response transform answers in the client's error format, as a failing request transform does", async () => {
      const res = await request(build(express).app).get("/v2/widget").set("Api-Version", OLD);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { message: "The API could not translate this request for your API version." } });
    });
  });

  describe("bodies", () => {
    const json = Buffer.from(JSON.stringify({ object: "thing", label: "zipped" }));
    it.each([
      ["gzip", zlib.gzipSync(json)],
      ["deflate", zlib.deflateSync(json)],
      ["br", zlib.brotliCompressSync(json)],
    ])("a %s-encoded JSON body is read and migrated at an old version", async (encoding, body) => {
      const res = await postRaw(build(express).app, "/v2/echo", { "api-version": OLD, "content-type": "application/json", "content-encoding": encoding }, body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ object: "thing", label: "zipped" });
    });

    it("a UTF-16 body is decoded by its charset", async () => {
      const body = Buffer.from(JSON.stringify({ object: "thing", label: "wide" }), "utf16le");
      const res = await postRaw(build(express).app, "/v2/echo", { "api-version": OLD, "content-type": "application/json; charset=utf-16le" }, body);
      expect(res.body).toEqual({ object: "thing", label: "wide" });
    });

    it("an unknown encoding or charset is a 415 problem", async () => {
      const app = build(express).app;
      const enc = await request(app)
        .post("/v2/echo")
        .set("Api-Version", OLD)
        .set("Content-Type", "application/json")
        .set("Content-Encoding", "compress")
        .send("{}");
      expect(enc.status).toBe(415);
      expect(enc.body).toMatchObject({ error: { message: expect.any(String) } });
      const charset = await request(app).post("/v2/echo").set("Api-Version", OLD).set("Content-Type", "application/json; charset=klingon").send("{}");
      expect(charset.status).toBe(415);
    });

    it("an oversized body is a 413 that leaves the keep-alive connection usable", async () => {
      const admin = versioningAdmin({ versions, pins: memoryPins(), account: () => "acct", authorize: () => true, jsonLimit: 1024 });
      const app = express();
      app.use("/admin", admin);
      app.use(build(express).app);
      const server = await listen(app as unknown as http.RequestListener);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const big = Buffer.from(JSON.stringify({ pad: "x".repeat(512 * 1024) }));
        for (const path of ["/v2/echo", "/admin/upgrade"]) {
          const refused = await send(agent, server.url + path, {
            method: "POST",
            headers: { "content-type": "application/json", "api-version": OLD },
            body: big,
          });
          expect(refused.status).toBe(413);
          const next = await send(agent, `${server.url}/v2/things/7`, { method: "GET", headers: { "api-version": "2025-09-01" } });
          expect(next).toMatchObject({ status: 200, reused: true });
        }
      } finally {
        agent.destroy();
        await server.close();
      }
    });
  });

  describe("routes", () => {
    it("HEAD follows a moved GET endpoint, as Express serves HEAD with GET", async () => {
      const app = build(express).app;
      const get = await request(app).get("/v1/things/7").set("Api-Version", OLD);
      expect(get.status).toBe(200);
      const head = await request(app).head("/v1/things/7").set("Api-Version", OLD);
      expect(head.status).toBe(200);
      expect(head.headers["content-length"]).toBe(get.headers["content-length"]);
    });
  });

  describe("version headers", () => {
    const fixed = (express: ExpressFactory) => build(express, { fromRequest: (req) => (req.path.startsWith("/v1/") ? OLD : undefined) }).app;

    it("a malformed or unknown header is a 400 even where the URL fixes the version", async () => {
      const bogus = await request(fixed(express)).get("/v1/things/7").set("Api-Version", "bogus");
      expect(bogus.status).toBe(400);
      expect(bogus.body).toMatchObject({ code: "invalid_version" });
      const unknown = await request(fixed(express)).get("/v1/things/7").set("Api-Version", "2023-01-01");
      expect(unknown.body).toMatchObject({ code: "unsupported_version" });
      const none = await request(fixed(express)).get("/v1/things/7");
      expect(none.status).toBe(200);
    });

    it("the 400 for a bad header varies on that header", async () => {
      const res = await request(build(express).app).get("/v2/things/1").set("Api-Version", "bogus");
      expect(res.status).toBe(400);
      expect(res.headers["vary"]).toMatch(/Api-Version/i);
    });
  });

  describe("caches", () => {
    const pinned = (express: ExpressFactory) => {
      const pins = memoryPins();
      return { pins, app: build(express, { pins, account: (req) => req.get("x-account") }).app };
    };

    it("a response whose version came from the account's pin is private", async () => {
      const { app, pins } = pinned(express);
      await pins.pinIfAbsent("acct_old", OLD);
      const res = await request(app).get("/v1/things/7").set("x-account", "acct_old");
      expect(res.body).toEqual({ object: "thing", id: "7", label: "n" });
      expect(res.headers["cache-control"]).toBe("private");
      const first = await request(app).get("/v2/things/7").set("x-account", "acct_new");
      expect(first.headers["cache-control"]).toBe("private");
      const anonymous = await request(app).get("/v2/things/7");
      expect(anonymous.headers["cache-control"]).toBe("private");
    });

    it("a handler's own Cache-Control is kept, but made private", async () => {
      const { app } = pinned(express);
      const res = await request(app).get("/v2/public").set("x-account", "acct");
      expect(res.headers["cache-control"]).toBe("private, max-age=60");
    });

    it("a response whose version the header chose stays cacheable, varying on the header", async () => {
      const { app } = pinned(express);
      const res = await request(app).get("/v2/things/7").set("x-account", "acct").set("Api-Version", "2025-09-01");
      expect(res.headers["cache-control"]).toBeUndefined();
      expect(res.headers["vary"]).toMatch(/Api-Version/i);
    });
  });
});
