import request from "supertest";
import express5, { type Application, type RequestHandler } from "express";
import express4 from "express4";
import { ConfigurationError, defineVersions, moveEndpoint, type Change } from "@strata/core";
import { assertRoutes, routesOf } from "@strata/express";
import { hasHandler } from "./routes-of";

type ExpressFactory = typeof express5;
const flavours: [string, ExpressFactory][] = [
  ["express 5", express5],
  ["express 4", express4 as unknown as ExpressFactory],
];

const ok: RequestHandler = (_req, res) => void res.json({ ok: true });

/** One version introducing `changes` over the one before it. */
function versionsWith(...changes: Change[]) {
  return defineVersions({ versions: [{ id: "2025-01-15", changes }, { id: "2024-06-01" }] });
}

/** The keys API split into routers: `/v2` -> `/accounts/:accountId` -> `/keys/:id`. */
function splitApp(express: ExpressFactory): Application {
  const app = express();
  const keys = express.Router({ mergeParams: true });
  keys.get("/keys/:id", ok);
  keys.route("/keys").post(ok);
  const v2 = express.Router();
  v2.get("/keys/:id", ok);
  v2.all("/ping", ok);
  v2.use("/accounts/:accountId", keys);
  app.use("/v2", v2);
  return app;
}

describe.each(flavours)("assertRoutes() with routers on %s", (name, express) => {
  describe("a router mounted at /v2", () => {
    it("accepts a change leading to one of its routes", () => {
      const versions = versionsWith(moveEndpoint("GET /v1/keys/:id", "GET /v2/keys/:id"));
      expect(() => assertRoutes(splitApp(express), versions)).not.toThrow();
    });

    it("rejects a change leading nowhere, naming it", () => {
      const typo = moveEndpoint("GET /v1/keys/:id", "GET /v2/kyes/:id");
      const check = () => assertRoutes(splitApp(express), versionsWith(typo));
      expect(check).toThrow(ConfigurationError);
      expect(check).toThrow(/`GET \/v1\/keys\/:id` moved to `GET \/v2\/kyes\/:id`/);
    });

    it("rejects a change whose method the route does not serve", () => {
      const versions = versionsWith(moveEndpoint("GET /v1/keys/:id", "DELETE /v2/keys/:id"));
      expect(() => assertRoutes(splitApp(express), versions)).toThrow(/DELETE \/v2\/keys\/:id/);
    });

    it("does not match a path that only starts with the mount path", () => {
      const versions = versionsWith(moveEndpoint("GET /v1/keys/:id", "GET /v2x/keys/:id"));
      expect(() => assertRoutes(splitApp(express), versions)).toThrow(ConfigurationError);
    });
  });

  describe("a nested router under a mount path with a param", () => {
    it("accepts changes leading to its routes, including app.route()", () => {
      const versions = versionsWith(
        moveEndpoint("GET /v1/accounts/:accountId/keys/:id", "GET /v2/accounts/:accountId/keys/:id"),
        moveEndpoint("POST /v1/keys", "POST /v2/accounts/acc_1/keys"),
      );
      expect(() => assertRoutes(splitApp(express), versions)).not.toThrow();
    });

    it("rejects a change that skips the param segment", () => {
      const versions = versionsWith(moveEndpoint("GET /v1/keys/:id", "GET /v2/accounts/keys/:id"));
      expect(() => assertRoutes(splitApp(express), versions)).toThrow(/GET \/v2\/accounts\/keys\/:id/);
    });
  });

  it("finds a router mounted at several paths, at each of them", () => {
    const app = express();
    const router = express.Router();
    router.get("/keys/:id", ok);
    app.use(["/v2", "/beta"], router);
    app.use("/v3", router);
    for (const target of ["/v2", "/beta", "/v3"]) {
      const versions = versionsWith(moveEndpoint("GET /v1/keys/:id", `GET ${target}/keys/:id`));
      expect(() => assertRoutes(app, versions)).not.toThrow();
    }
    expect(() => assertRoutes(app, versionsWith(moveEndpoint("GET /v1/keys/:id", "GET /v4/keys/:id")))).toThrow(/v4/);
  });

  it("serves HEAD from GET routes and every method from all() routes", () => {
    const handles = hasHandler(splitApp(express));
    expect(handles("HEAD", "/v2/keys/key_1")).toBe(true);
    expect(handles("DELETE", "/v2/ping")).toBe(true);
    expect(handles("PUT", "/v2/accounts/acc_1/keys")).toBe(false);
    expect(handles("GET", "/v2/accounts/acc_1/keys/key_1/")).toBe(true); // trailing slash, as Express
  });

  it("agrees with Express's own dispatch", async () => {
    const app = splitApp(express);
    const handles = hasHandler(app);
    const probes: [string, string][] = [
      ["GET", "/v2/keys/key_1"],
      ["HEAD", "/v2/keys/key_1"],
      ["POST", "/v2/keys/key_1"],
      ["PATCH", "/v2/ping"],
      ["GET", "/v2/accounts/acc_1/keys/key_1"],
      ["POST", "/v2/accounts/acc_1/keys"],
      ["GET", "/v2/accounts/acc_1/keys"],
      ["GET", "/v2/accounts/keys/key_1"],
      ["GET", "/v2x/keys/key_1"],
      ["GET", "/keys/key_1"],
    ];
    for (const [method, path] of probes) {
      const res = await request(app)[method.toLowerCase() as "get"](path);
      expect(`${method} ${path} ${handles(method, path)}`).toBe(`${method} ${path} ${res.status === 200}`);
    }
  });

  it("still sees routes registered directly on the app", () => {
    const app = express();
    app.get("/v2/keys/:id", ok);
    expect(() => assertRoutes(app, versionsWith(moveEndpoint("GET /v1/keys/:id", "GET /v2/keys/:id")))).not.toThrow();
  });

  it("does not see mounted sub-apps; extraRoutes covers them", () => {
    const app = express();
    const admin = express();
    admin.get("/keys/:id", ok);
    app.use("/admin", admin);
    const versions = versionsWith(moveEndpoint("GET /v1/keys/:id", "GET /admin/keys/:id"));
    expect(() => assertRoutes(app, versions)).toThrow(ConfigurationError);
    expect(() => assertRoutes(app, versions, ["GET /admin/keys/:id"])).not.toThrow();
  });

  it("names assertRoutes() when an extra route is malformed", () => {
    expect(() => assertRoutes(express(), versionsWith(), ["/no-method"])).toThrow(/assertRoutes\(\)/);
  });

  describe("routesOf()", () => {
    it("lists the app's own routes, and nothing for an empty app", () => {
      const app = express();
      app.get("/file", ok);
      app.route("/things").post(ok);
      expect(routesOf(app)).toEqual(["GET /file", "POST /things"]);
      expect(routesOf(express())).toEqual([]);
    });

    it("lists routes of a router mounted at /", () => {
      const app = express();
      const router = express.Router();
      router.get("/keys/:id", ok);
      app.use(router);
      expect(routesOf(app)).toEqual(["GET /keys/:id"]);
    });

    const listsMountPaths = name === "express 5";
    it(`${listsMountPaths ? "lists" : "cannot list"} routes under a mount path`, () => {
      const listed = routesOf(splitApp(express));
      if (listsMountPaths) {
        expect(listed).toEqual(["GET /v2/keys/:id", "* /v2/ping", "GET /v2/accounts/:accountId/keys/:id", "POST /v2/accounts/:accountId/keys"]);
      } else {
        expect(listed).toEqual([]); // Express 4 keeps only a regexp for the mount path
      }
    });
  });
});
