/**
 * The version chain on its own, at the core level: requests migrated forward and responses,
 * errors migrated back, with no HTTP and no database (the lookups are stubs).
 */
import { assertNoDeadRouteChanges, type RequestShape, type ResponseShape } from "@strata/core";
import { operations } from "../v2";
import { createVersions } from "../versions";
import type { Lookups } from "../changes/lookups";

const lookups: Lookups = {
  keyOwner: (keyId) => (keyId === "key_1" ? { workspaceId: "ws_1", apiId: "api_1" } : undefined),
  apiWorkspace: () => "ws_1",
  keyRatelimits: () => [{ name: "burst", limit: 1, duration: 1000, autoApply: false }],
  countKeys: (apiId, externalId) => (externalId ? 1 : 42),
  countIdentities: () => 7,
  countOverrides: () => 3,
};
const versions = createVersions(lookups);

const req = (method: string, path: string, body?: unknown, query: RequestShape["query"] = {}): RequestShape => ({
  method,
  path,
  query,
  headers: { authorization: "Bearer unkey_root" },
  body,
});
const ok = (body: unknown): ResponseShape => ({ status: 200, headers: {}, body });

const v2Key = {
  keyId: "key_1",
  start: "sk_ab",
  enabled: true,
  name: "n",
  createdAt: 1,
  lastUsedAt: 5,
  permissions: [],
  roles: [],
  credits: { remaining: 9, refill: { interval: "monthly", amount: 10, refillDay: 1, lastRefillAt: 3 } },
  identity: { id: "id_1", externalId: "user_1", ratelimits: [] },
  ratelimits: [
    { id: "rl_1", name: "burst", limit: 1, duration: 1000, autoApply: false },
    { id: "rl_2", name: "default", limit: 10, duration: 60000, autoApply: true },
  ],
};

describe("versions > the list", () => {
  test("newest first: two v2 dates and v1", () => {
    expect(versions.supported).toEqual(["2025-10-01", "2025-07-01", "2024-01-01"]);
  });

  test("every change is a described changelog line", () => {
    const log = versions.changelog();
    expect(log.map((e) => e.version)).toEqual(["2025-10-01", "2025-07-01", "2024-01-01"]);
    expect(log[1]!.changes.length).toBeGreaterThan(30);
    for (const entry of log) for (const c of entry.changes) expect(c.description.length).toBeGreaterThan(10);
  });

  test("every route change leads to a v2 handler", () => {
    expect(() =>
      assertNoDeadRouteChanges(
        versions,
        Object.keys(operations()).map((op) => `POST /v2/${op}`),
      ),
    ).not.toThrow();
  });
});

describe("versions > requests, v1 -> v2", () => {
  test("GET /v1/keys.getKey?keyId&decrypt becomes POST /v2/keys.getKey with a typed body", () => {
    const shape = req("GET", "/v1/keys.getKey", undefined, { keyId: "key_1", decrypt: "true" });
    versions.migrateRequest(shape, "2024-01-01");
    expect(shape).toMatchObject({ method: "POST", path: "/v2/keys.getKey", query: {}, body: { keyId: "key_1", decrypt: true } });
  });

  test("createKey: ownerId, remaining + refill, ratelimit", () => {
    const shape = req("POST", "/v1/keys.createKey", {
      apiId: "api_1",
      ownerId: "user_1",
      remaining: 5,
      refill: { interval: "daily", amount: 5 },
      ratelimit: { async: true, limit: 10, refillInterval: 1000 },
    });
    versions.migrateRequest(shape, "2024-01-01");
    expect(shape.path).toBe("/v2/keys.createKey");
    expect(shape.body).toEqual({
      apiId: "api_1",
      externalId: "user_1",
      credits: { remaining: 5, refill: { interval: "daily", amount: 5 } },
      ratelimits: [{ name: "default", limit: 10, duration: 1000, autoApply: true }],
    });
  });

  test("updateKey with a v1 ratelimit keeps the key's other ratelimits", () => {
    const shape = req("POST", "/v1/keys.updateKey", { keyId: "key_1", ratelimit: { limit: 3, duration: 500 }, remaining: null });
    versions.migrateRequest(shape, "2024-01-01");
    expect(shape.body).toEqual({
      keyId: "key_1",
      credits: { remaining: null },
      ratelimits: [
        { name: "burst", limit: 1, duration: 1000, autoApply: false },
        { name: "default", limit: 3, duration: 500, autoApply: true },
      ],
    });
  });

  test("verifyKey: remaining.cost, ratelimit.cost and the authorization tree", () => {
    const shape = req("POST", "/v1/keys.verifyKey", {
      apiId: "api_1",
      key: "sk_1",
      remaining: { cost: 2 },
      ratelimit: { cost: 3 },
      authorization: { permissions: { and: ["a", { or: ["b", "c"] }] } },
    });
    versions.migrateRequest(shape, "2024-01-01");
    // apiId stays: the handler checks it for versions before 2025-07-01 (a side-effect change).
    expect(shape.body).toEqual({
      apiId: "api_1",
      key: "sk_1",
      credits: { cost: 2 },
      ratelimits: [{ name: "default", cost: 3 }],
      permissions: "a AND (b OR c)",
    });
  });

  test("updateRemaining becomes updateCredits with `operation`", () => {
    const shape = req("POST", "/v1/keys.updateRemaining", { keyId: "key_1", op: "set", value: 3 });
    versions.migrateRequest(shape, "2024-01-01");
    expect(shape).toMatchObject({ path: "/v2/keys.updateCredits", body: { keyId: "key_1", operation: "set", value: 3 } });
  });

  test("ratelimits.* becomes ratelimit.* with one `namespace` field", () => {
    const shape = req("GET", "/v1/ratelimits.listOverrides", undefined, { namespaceName: "email", limit: "5" });
    versions.migrateRequest(shape, "2024-01-01");
    expect(shape).toMatchObject({ method: "POST", path: "/v2/ratelimit.listOverrides", body: { namespace: "email", limit: 5 } });
  });

  test("a v2 date runs no v1 change", () => {
    const shape = req("POST", "/v2/keys.createKey", { apiId: "api_1", ownerId: "x" });
    versions.migrateRequest(shape, "2025-07-01");
    expect(shape.body).toEqual({ apiId: "api_1", ownerId: "x" });
  });
});

describe("versions > responses, v2 -> older", () => {
  test("getKey at 2025-07-01 only loses lastUsedAt", () => {
    const m = versions.migrateRequest(req("POST", "/v2/keys.getKey", { keyId: "key_1" }), "2025-07-01");
    const res = m.migrateResponse(ok({ meta: { requestId: "req_1" }, data: structuredClone(v2Key) }));
    const { lastUsedAt, ...rest } = v2Key;
    void lastUsedAt;
    expect(res.body).toEqual({ meta: { requestId: "req_1" }, data: rest });
  });

  test("getKey at v1: the v1 Key shape, no envelope", () => {
    const m = versions.migrateRequest(req("GET", "/v1/keys.getKey", undefined, { keyId: "key_1" }), "2024-01-01");
    const res = m.migrateResponse(ok({ meta: { requestId: "req_1" }, data: structuredClone(v2Key) }));
    expect(res.body).toEqual({
      id: "key_1",
      start: "sk_ab",
      workspaceId: "ws_1",
      apiId: "api_1",
      enabled: true,
      name: "n",
      createdAt: 1,
      permissions: [],
      roles: [],
      ownerId: "user_1",
      remaining: 9,
      refill: { interval: "monthly", amount: 10, refillDay: 1, lastRefillAt: 3 },
      identity: { id: "id_1", externalId: "user_1" },
      ratelimit: { async: false, limit: 10, duration: 60000, refillRate: 10, refillInterval: 60000 },
    });
  });

  test("listKeys at v1: {keys, cursor, total}", () => {
    const m = versions.migrateRequest(req("GET", "/v1/apis.listKeys", undefined, { apiId: "api_1", ownerId: "user_1" }), "2024-01-01");
    const res = m.migrateResponse(ok({ meta: { requestId: "r" }, data: [structuredClone(v2Key)], pagination: { cursor: "c1", hasMore: true } }));
    expect(res.body).toMatchObject({ keys: [{ id: "key_1", ownerId: "user_1" }], cursor: "c1", total: 1 });
  });

  test("verifyKey at v1: remaining, ratelimit, ownerId, requestId", () => {
    const m = versions.migrateRequest(req("POST", "/v1/keys.verifyKey", { key: "sk" }), "2024-01-01");
    const data = {
      valid: true,
      code: "VALID",
      keyId: "key_1",
      credits: 4,
      identity: { id: "id_1", externalId: "user_1", ratelimits: [] },
      ratelimits: [{ exceeded: false, id: "rl_2", name: "default", limit: 10, duration: 60000, reset: 99, remaining: 9, autoApply: true }],
    };
    const res = m.migrateResponse(ok({ meta: { requestId: "req_9" }, data }));
    expect(res.body).toEqual({
      valid: true,
      code: "VALID",
      keyId: "key_1",
      remaining: 4,
      ownerId: "user_1",
      identity: { id: "id_1", externalId: "user_1", meta: {} },
      ratelimit: { limit: 10, remaining: 9, reset: 99 },
      requestId: "req_9",
    });
  });
});

describe("versions > errors, v2 -> v1", () => {
  test("a v2 error becomes {error: {code, docs, message, requestId}} as application/json", () => {
    const m = versions.migrateRequest(req("GET", "/v1/keys.getKey", undefined, { keyId: "k" }), "2024-01-01");
    const res = m.migrateResponse({
      status: 404,
      headers: { "content-type": "application/json" },
      body: { meta: { requestId: "req_2" }, error: { title: "Not Found", detail: "Key k does not exist.", status: 404, type: "t" } },
    });
    expect(res.body).toEqual({
      error: { code: "NOT_FOUND", docs: "https://unkey.dev/docs/api-reference/errors/code/NOT_FOUND", message: "Key k does not exist.", requestId: "req_2" },
    });
  });

  test("Strata's own problem+json becomes a v1 error too", () => {
    const shape: ResponseShape = {
      status: 400,
      headers: { "content-type": "application/problem+json", "unkey-request-id": "req_3" },
      body: {
        type: "https://strata.dev/problems/x",
        title: "Bad Request",
        status: 400,
        detail: "Query parameter `limit` must be a number.",
        code: "invalid_query_parameter",
      },
    };
    versions.migrateError(shape, "2024-01-01");
    expect(shape.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(shape.body).toEqual({
      error: { code: "BAD_REQUEST", docs: expect.any(String), message: "Query parameter `limit` must be a number.", requestId: "req_3" },
    });
  });

  test("deleteApi's 412 is v1's 429 DELETE_PROTECTED", () => {
    const m = versions.migrateRequest(req("POST", "/v1/apis.deleteApi", { apiId: "a" }), "2024-01-01");
    const res = m.migrateResponse({
      status: 412,
      headers: {},
      body: { meta: { requestId: "r" }, error: { title: "Precondition Failed", detail: "protected", status: 412, type: "t" } },
    });
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ error: { code: "DELETE_PROTECTED" } });
  });

  test.each([
    [400, "BAD_REQUEST"],
    [401, "UNAUTHORIZED"],
    [403, "FORBIDDEN"],
    [404, "NOT_FOUND"],
    [409, "CONFLICT"],
    [429, "TOO_MANY_REQUESTS"],
    [500, "INTERNAL_SERVER_ERROR"],
  ])("status %d maps to %s", (status, code) => {
    const shape: ResponseShape = { status, headers: {}, body: { meta: { requestId: "r" }, error: { title: "t", detail: "d", status, type: "t" } } };
    versions.migrateError(shape, "2024-01-01");
    expect(shape.body).toMatchObject({ error: { code } });
  });
});
