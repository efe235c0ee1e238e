import request from "supertest";
import express5 from "express";
import express4 from "express4";
import { defineVersions, memoryPins } from "@strata/core";
import { STRATA_SETTINGS, strataErrorHandler, versioning, versioningAdmin } from "@strata/express";

type ExpressFactory = typeof express5;
const flavours: [string, ExpressFactory][] = [
  ["express 5", express5],
  ["express 4", express4 as unknown as ExpressFactory],
];
const versions = defineVersions({ versions: [{ id: "2025-01-01" }, { id: "2024-01-01" }] });

/** An app with a problem from each factory: the admin router, the middleware, the error handler. */
function build(express: ExpressFactory, configure: (app: ReturnType<ExpressFactory>) => void = () => undefined, own = {}) {
  const app = express();
  configure(app);
  app.use("/admin", versioningAdmin({ versions, pins: memoryPins(), account: () => undefined, authorize: () => true, ...own }));
  app.use(versioning({ versions, ...own }));
  app.get("/boom", () => {
    throw Object.assign(new Error("nope"), { status: 404 });
  });
  app.use(strataErrorHandler(own));
  const ask = () => [
    request(app).get("/admin").set("x-request-id", "req_admin"), // 401 no_account
    request(app).get("/x").set("Api-Version", "bogus").set("x-request-id", "req_mw"), // 400 invalid_version
    request(app).get("/boom").set("x-request-id", "req_handler"), // 404 not_found
  ];
  return { app, ask };
}

describe.each(flavours)("problem settings on %s", (_name, express) => {
  it("default to `about:blank` types and a Request-Id header carrying the problem's id", async () => {
    const [admin, mw, handler] = await Promise.all(build(express).ask());
    for (const [res, id] of [
      [admin, "req_admin"],
      [mw, "req_mw"],
      [handler, "req_handler"],
    ] as const) {
      expect(res.body).toMatchObject({ type: "about:blank", requestId: id });
      expect(res.headers["request-id"]).toBe(id);
    }
  });

  it("are given once for the app and read by every factory", async () => {
    const { ask } = build(express, (app) => {
      app.set(STRATA_SETTINGS.problemTypeBase, "https://api.example.com/problems/");
      app.set(STRATA_SETTINGS.requestIdHeader, "X-Trace");
    });
    const [admin, mw, handler] = await Promise.all(ask());
    expect(admin.body.type).toBe("https://api.example.com/problems/no-account");
    expect(mw.body.type).toBe("https://api.example.com/problems/invalid-version");
    expect(handler.body.type).toBe("https://api.example.com/problems/not-found");
    for (const res of [admin, mw, handler]) {
      expect(res.headers["x-trace"]).toBe(res.body.requestId);
      expect(res.headers["request-id"]).toBeUndefined();
    }
  });

  it("yield to a factory's own options; `requestIdHeader: false` sends none", async () => {
    const { ask } = build(express, (app) => app.set(STRATA_SETTINGS.problemTypeBase, "https://app.example/p/"), {
      problemTypeBase: "https://own.example/p/",
      requestIdHeader: false,
    });
    for (const res of await Promise.all(ask())) {
      expect(res.body.type).toMatch(/^https:\/\/own\.example\/p\//);
      expect(res.headers["request-id"]).toBeUndefined();
    }
  });
});
