import { change, defineVersions, moveEndpoint, type ChangeContext, type RequestShape, type ResponseShape } from "@strata/core";

const request = (method: string, path: string, body?: unknown): RequestShape => ({ method, path, query: {}, headers: {}, body });
const response = (status: number, body: unknown): ResponseShape => ({ status, headers: {}, body });

/**
 * Three versions after the oldest, two changes each, of every kind, all recording into `trace`:
 * 2024-03-01: global g1, resource r1
 * 2024-06-01: route t2 (POST /things), global g2
 * 2024-09-01: resource r3, route t3 (POST /things)
 */
function tracedVersions() {
  const trace: string[] = [];
  const record = (name: string) => () => void trace.push(name);
  const global = (name: string) =>
    change({ description: name, request: record(`${name} request`), response: record(`${name} response`), error: record(`${name} error`) });
  const route = (name: string) =>
    change({
      description: name,
      routes: "POST /things",
      request: record(`${name} request`),
      response: record(`${name} response`),
      error: record(`${name} error`),
    });
  const resource = (name: string) => change({ description: name, resource: "thing", request: record(`${name} request`), response: record(`${name} response`) });
  const versions = defineVersions({
    versions: [
      { id: "2024-09-01", changes: [resource("r3"), route("t3")] },
      { id: "2024-06-01", changes: [route("t2"), global("g2")] },
      { id: "2024-03-01", changes: [global("g1"), resource("r1")] },
      { id: "2024-01-01" },
    ],
  });
  return { versions, trace };
}

describe("migration order", () => {
  it("runs request changes oldest version first, declaration order within a version", () => {
    const { versions, trace } = tracedVersions();
    versions.migrateRequest(request("POST", "/things", { object: "thing" }), "2024-01-01");
    expect(trace).toEqual(["g1 request", "r1 request", "t2 request", "g2 request", "r3 request", "t3 request"]);
  });

  it("runs response changes in the exact reverse order", () => {
    const { versions, trace } = tracedVersions();
    const migration = versions.migrateRequest(request("POST", "/things", { object: "thing" }), "2024-01-01");
    trace.length = 0;
    migration.migrateResponse(response(200, { object: "thing" }));
    expect(trace).toEqual(["t3 response", "r3 response", "g2 response", "t2 response", "r1 response", "g1 response"]);
  });

  it("runs error transforms, not response transforms, for a status of 400 or more", () => {
    for (const status of [400, 404, 422, 500, 503]) {
      const { versions, trace } = tracedVersions();
      const migration = versions.migrateRequest(request("POST", "/things", { object: "thing" }), "2024-01-01");
      trace.length = 0;
      migration.migrateResponse(response(status, { object: "thing", error: "nope" }));
      expect(trace).toEqual(["t3 error", "g2 error", "t2 error", "g1 error"]);
    }
  });

  it("runs response transforms, not error transforms, below 400", () => {
    const { versions, trace } = tracedVersions();
    const migration = versions.migrateRequest(request("POST", "/things"), "2024-06-01");
    trace.length = 0;
    migration.migrateResponse(response(399, { object: "thing" }));
    expect(trace).toEqual(["t3 response", "r3 response"]);
  });

  it("runs only the changes of versions newer than the client's", () => {
    const { versions, trace } = tracedVersions();
    const migration = versions.migrateRequest(request("POST", "/things", { object: "thing" }), "2024-03-01");
    migration.migrateResponse(response(200, { object: "thing" }));
    expect(trace).toEqual(["t2 request", "g2 request", "r3 request", "t3 request", "t3 response", "r3 response", "g2 response", "t2 response"]);
  });

  it("runs nothing for a request at the latest version", () => {
    const { versions, trace } = tracedVersions();
    const body = { object: "thing", nested: { object: "thing" } };
    const req = request("POST", "/things", body);
    const migration = versions.migrateRequest(req, "2024-09-01");
    const res = response(200, { object: "thing" });
    expect(migration.migrateResponse(res)).toBe(res);
    expect(migration.migrateResponse(response(500, {}))).toEqual(response(500, {}));
    expect(trace).toEqual([]);
    expect(migration.isBehind).toBe(false);
    expect(migration.request).toBe(req);
    expect(req.body).toBe(body);
    expect(body).toEqual({ object: "thing", nested: { object: "thing" } });
    expect(migration.version.id).toBe("2024-09-01");
  });

  it("reports a request behind the latest as behind", () => {
    const { versions } = tracedVersions();
    expect(versions.migrateRequest(request("GET", "/"), "2024-06-01").isBehind).toBe(true);
  });

  it("accepts the client version as an alias or a Version object", () => {
    const { versions, trace } = tracedVersions();
    versions.migrateRequest(request("GET", "/other", { object: "thing" }), versions.list[1]!);
    versions.migrateRequest(request("GET", "/other", { object: "thing" }), "2024-06-01");
    expect(trace).toEqual(["r3 request", "r3 request"]);
  });
});

describe("migrateError", () => {
  it("renders an error raised before any migration at the client's version: global error transforms, newest first", () => {
    const { versions, trace } = tracedVersions();
    const res = response(400, { error: "bad version" });
    expect(versions.migrateError(res, "2024-01-01")).toBe(res);
    // Route changes never matched a request, and resource transforms do not run on errors.
    expect(trace).toEqual(["g2 error", "g1 error"]);
  });

  it("runs nothing at the latest version", () => {
    const { versions, trace } = tracedVersions();
    versions.migrateError(response(500, {}), "2024-09-01");
    expect(trace).toEqual([]);
  });
});

describe("route-scoped changes", () => {
  function movedThenChanged() {
    const trace: string[] = [];
    const versions = defineVersions({
      versions: [
        {
          id: "2025-01-01",
          changes: [
            change({
              description: "`name` is required on POST /v2/x.",
              routes: "POST /v2/x",
              request: (req) => {
                trace.push(`B request ${req.method} ${req.path}`);
                (req.body as Record<string, unknown>).name ??= "unnamed";
              },
              response: (res) => {
                trace.push("B response");
                delete (res.body as Record<string, unknown>).name;
              },
            }),
          ],
        },
        { id: "2024-06-01", changes: [moveEndpoint("POST /v1/x", "POST /v2/x")] },
        { id: "2024-01-01" },
      ],
    });
    return { versions, trace };
  }

  it("matches each change against the request as that change's own version shaped it", () => {
    const { versions, trace } = movedThenChanged();
    const req = request("POST", "/v1/x", {});
    const migration = versions.migrateRequest(req, "2024-01-01");
    expect(req).toEqual({ method: "POST", path: "/v2/x", query: {}, headers: {}, body: { name: "unnamed" } });
    const res = migration.migrateResponse(response(201, { id: "x_1", name: "unnamed" }));
    expect(res.body).toEqual({ id: "x_1" });
    expect(trace).toEqual(["B request POST /v2/x", "B response"]);
  });

  it("runs the later change alone for a client already on the moved path", () => {
    const { versions, trace } = movedThenChanged();
    const req = request("POST", "/v2/x", { name: "mine" });
    versions.migrateRequest(req, "2024-06-01").migrateResponse(response(201, { name: "mine" }));
    expect(req.path).toBe("/v2/x");
    expect(trace).toEqual(["B request POST /v2/x", "B response"]);
  });

  it("runs neither the request nor the response transform of a change whose route does not match", () => {
    const trace: string[] = [];
    const versions = defineVersions({
      versions: [
        {
          id: "2025-01-01",
          changes: [
            change({
              description: "keys",
              routes: ["GET /v1/keys", "GET /v1/keys/:id"],
              request: () => void trace.push("request"),
              response: () => void trace.push("response"),
              error: () => void trace.push("error"),
            }),
          ],
        },
        { id: "2024-01-01" },
      ],
    });
    for (const [method, path] of [
      ["POST", "/v1/keys"],
      ["GET", "/v1/apis"],
      ["GET", "/v1/keys/a/b"],
    ] as const) {
      const migration = versions.migrateRequest(request(method, path), "2024-01-01");
      migration.migrateResponse(response(200, {}));
      migration.migrateResponse(response(404, {}));
    }
    expect(trace).toEqual([]);
    versions.migrateRequest(request("GET", "/v1/keys/k_1"), "2024-01-01").migrateResponse(response(200, {}));
    expect(trace).toEqual(["request", "response"]);
  });

  it("runs the response transform of a matched route change that has no request transform", () => {
    const versions = defineVersions({
      versions: [
        {
          id: "2025-01-01",
          changes: [change({ description: "count", routes: "GET /v1/keys", response: (res) => void ((res.body as Record<string, unknown>).count = 1) })],
        },
        { id: "2024-01-01" },
      ],
    });
    expect(versions.migrateRequest(request("GET", "/v1/keys"), "2024-01-01").migrateResponse(response(200, {})).body).toEqual({ count: 1 });
    expect(versions.migrateRequest(request("GET", "/v1/apis"), "2024-01-01").migrateResponse(response(200, {})).body).toEqual({});
  });

  it("passes the route params to ctx.params and the versions to ctx", () => {
    const seen: ChangeContext[] = [];
    const versions = defineVersions({
      versions: [
        {
          id: "2025-01-01",
          changes: [
            change({
              description: "p",
              routes: "GET /v1/apis/:apiId/keys/:keyId",
              request: (_req, ctx) => void seen.push(ctx),
              response: (_res, ctx) => void seen.push(ctx),
            }),
          ],
        },
        { id: "2024-06-01" },
        { id: "2024-01-01" },
      ],
    });
    versions.migrateRequest(request("GET", "/v1/apis/api_1/keys/key%2F2"), "2024-01-01").migrateResponse(response(200, {}));
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]!.params).toEqual({ apiId: "api_1", keyId: "key/2" });
    expect(seen[0]!.version.id).toBe("2025-01-01");
    expect(seen[0]!.clientVersion.id).toBe("2024-01-01");
  });

  it("shares ctx.state between one change's request and response transforms, per request", () => {
    const versions = defineVersions({
      versions: [
        {
          id: "2025-01-01",
          changes: [
            change({
              description: "remember the old query",
              routes: "GET /v1/keys",
              request: (req, ctx) => {
                expect(ctx.state).toEqual({});
                ctx.state.limit = req.query.limit;
                delete req.query.limit;
              },
              response: (res, ctx) => {
                (res.body as Record<string, unknown>).limit = ctx.state.limit;
              },
            }),
          ],
        },
        { id: "2024-01-01" },
      ],
    });
    const first = versions.migrateRequest({ ...request("GET", "/v1/keys"), query: { limit: "5" } }, "2024-01-01");
    const second = versions.migrateRequest({ ...request("GET", "/v1/keys"), query: { limit: "9" } }, "2024-01-01");
    expect(second.migrateResponse(response(200, {})).body).toEqual({ limit: "9" });
    expect(first.migrateResponse(response(200, {})).body).toEqual({ limit: "5" });
  });
});
