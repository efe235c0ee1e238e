/**
 * Every request shown in the two reference documents (unkey-api-v1-to-v2-guide.md and
 * unkey-key-endpoints-v1-to-v2-notes.txt), replayed against the app, asserting the shapes
 * the documents show for v1 and for v2.
 */
import request from "supertest";
import { auth, seedReferenceIds, testApp, type TestApp } from "./harness";

let t: TestApp;
const v2 = (path: string, body: unknown) =>
  request(t.app)
    .post(path)
    .set(auth)
    .send(body as object);

beforeEach(() => {
  t = testApp();
  seedReferenceIds(t.db);
});
afterEach(() => t.db.close());

describe("guide > URL structure: v1 -> v2 path mapping", () => {
  test.each([
    ["GET", "/v1/keys.getKey?keyId=key_123", "/v2/keys.getKey", { keyId: "key_123" }],
    ["POST", "/v1/keys.createKey", "/v2/keys.createKey", { apiId: "api_123" }],
    ["POST", "/v1/keys.updateKey", "/v2/keys.updateKey", { keyId: "key_123", name: "renamed" }],
    ["POST", "/v1/keys.verifyKey", "/v2/keys.verifyKey", { key: "sk_123" }],
    ["POST", "/v1/keys.whoami", "/v2/keys.whoami", { key: "sk_123" }],
    ["GET", "/v1/apis.getApi?apiId=api_123", "/v2/apis.getApi", { apiId: "api_123" }],
    ["POST", "/v1/apis.createApi", "/v2/apis.createApi", { name: "another-api" }],
    ["GET", "/v1/apis.listKeys?apiId=api_123", "/v2/apis.listKeys", { apiId: "api_123" }],
  ])("%s %s and POST %s both answer 200", async (method, v1Path, v2Path, body) => {
    const old = method === "GET" ? await request(t.app).get(v1Path).set(auth) : await request(t.app).post(v1Path).set(auth).send(body);
    expect(old.status).toBe(200);
    expect(old.body.meta).toBeUndefined();
    const now = await v2(v2Path, body);
    expect(now.status).toBe(200);
    expect(now.body.meta.requestId).toMatch(/^req_/);
    expect(now.body).toHaveProperty("data");
  });

  test("POST /v1/keys.deleteKey and POST /v2/keys.deleteKey both answer 200 (v1: {}, v2: {meta, data: {}})", async () => {
    const other = await v2("/v2/keys.createKey", { apiId: "api_123" });
    expect((await request(t.app).post("/v1/keys.deleteKey").set(auth).send({ keyId: "key_123" })).body).toEqual({});
    expect((await v2("/v2/keys.deleteKey", { keyId: other.body.data.keyId })).body).toEqual({ meta: { requestId: expect.any(String) }, data: {} });
  });
});

describe("guide > keys.whoami", () => {
  test("v1 answers the whoami summary, v2 the full key", async () => {
    const old = await request(t.app).post("/v1/keys.whoami").set(auth).send({ key: "sk_123" });
    expect(old.body).toEqual({
      id: "key_123",
      name: "Customer X",
      identity: { id: expect.any(String), externalId: "owner_1" },
      createdAt: expect.any(Number),
      enabled: true,
    });
    const now = await v2("/v2/keys.whoami", { key: "sk_123" });
    expect(now.body.data).toMatchObject({ keyId: "key_123", start: "sk_123", permissions: ["read", "write"] });
  });
});

describe("guide > response format", () => {
  test("v1 answers the bare result, v2 wraps it in {meta: {requestId}, data}", async () => {
    const old = await request(t.app).post("/v1/keys.verifyKey").set(auth).send({ apiId: "api_123", key: "sk_123" });
    expect(old.body).toMatchObject({ keyId: "key_123", valid: true, name: "Customer X" });
    const now = await v2("/v2/keys.verifyKey", { key: "sk_123" });
    expect(now.body).toEqual({
      meta: { requestId: expect.stringMatching(/^req_/) },
      data: expect.objectContaining({ keyId: "key_123", valid: true, name: "Customer X" }),
    });
  });
});

describe("guide > 1. key operations", () => {
  test("Get Key v1: GET /v1/keys.getKey?keyId=key_123&decrypt=false", async () => {
    const res = await request(t.app).get("/v1/keys.getKey?keyId=key_123&decrypt=false").set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: "key_123", name: "Customer X", apiId: "api_123", workspaceId: "ws_test", start: "sk_123", ownerId: "owner_1" });
    expect(res.body.keyId).toBeUndefined();
  });

  test('Get Key v2: POST /v2/keys.getKey {"keyId": "key_123", "decrypt": false}', async () => {
    const res = await v2("/v2/keys.getKey", { keyId: "key_123", decrypt: false });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ keyId: "key_123", name: "Customer X", identity: { externalId: "owner_1" } });
    expect(res.body.data.ownerId).toBeUndefined();
  });

  test('Verify Key v1: {"apiId": "api_123", "key": "sk_123"}', async () => {
    const res = await request(t.app).post("/v1/keys.verifyKey").set(auth).send({ apiId: "api_123", key: "sk_123" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ keyId: "key_123", valid: true, code: "VALID", requestId: expect.stringMatching(/^req_/) });
  });

  test("Verify Key v2: with permissions {type: and} and ratelimits [{name: requests, cost: 1}]", async () => {
    const res = await v2("/v2/keys.verifyKey", {
      apiId: "api_123",
      key: "sk_123",
      permissions: { type: "and", permissions: ["read", "write"] },
      ratelimits: [{ name: "requests", cost: 1 }],
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ keyId: "key_123", valid: true, code: "VALID", name: "Customer X" });
    expect(res.body.data.ratelimits).toEqual([expect.objectContaining({ name: "requests", limit: 100, remaining: 99, exceeded: false })]);
  });
});

describe("guide > 2. API operations", () => {
  test("Get API v1: GET /v1/apis.getApi?apiId=api_123", async () => {
    const res = await request(t.app).get("/v1/apis.getApi?apiId=api_123").set(auth);
    expect(res.body).toEqual({ id: "api_123", name: "reference-api", workspaceId: "ws_test" });
  });

  test('Get API v2: POST /v2/apis.getApi {"apiId": "api_123"}', async () => {
    const res = await v2("/v2/apis.getApi", { apiId: "api_123" });
    expect(res.body).toEqual({ meta: { requestId: expect.any(String) }, data: { id: "api_123", name: "reference-api" } });
  });

  test("List Keys v1: GET /v1/apis.listKeys?apiId=api_123&limit=100", async () => {
    const res = await request(t.app).get("/v1/apis.listKeys?apiId=api_123&limit=100").set(auth);
    expect(res.body).toEqual({ keys: [expect.objectContaining({ id: "key_123" })], total: 1 });
  });

  test("List Keys v2: POST /v2/apis.listKeys with limit and cursor", async () => {
    const first = await v2("/v2/apis.listKeys", { apiId: "api_123", limit: 100 });
    expect(first.body).toMatchObject({ meta: { requestId: expect.any(String) }, data: [{ keyId: "key_123" }], pagination: { hasMore: false } });
    const res = await v2("/v2/apis.listKeys", { apiId: "api_123", limit: 100, cursor: "optional_cursor_for_pagination" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ meta: { requestId: expect.any(String) }, data: expect.any(Array), pagination: { hasMore: false } });
  });
});

describe("guide > 3. new features in v2", () => {
  test("keys.addPermissions with {slug, create: true} and {id}", async () => {
    const res = await v2("/v2/keys.addPermissions", { keyId: "key_123", permissions: [{ slug: "read_users", create: true }, { id: "perm_456" }] });
    expect(res.status).toBe(200);
    expect(res.body.data.map((p: { slug: string }) => p.slug)).toEqual(["delete_users", "read", "read_users", "write"]);
  });

  test("identities.createIdentity with meta and ratelimits", async () => {
    const body = {
      externalId: "user_123",
      meta: { name: "John Doe", email: "john@example.com" },
      ratelimits: [{ name: "requests", limit: 100, duration: 60000 }],
    };
    const res = await v2("/v2/identities.createIdentity", body);
    expect(res.body.data).toEqual({ identityId: expect.stringMatching(/^id_/) });
    const got = await v2("/v2/identities.getIdentity", { identity: "user_123" });
    expect(got.body.data).toMatchObject({
      externalId: "user_123",
      meta: body.meta,
      ratelimits: [{ name: "requests", limit: 100, duration: 60000, autoApply: false }],
    });
  });

  test("ratelimit.setOverride with namespaceName", async () => {
    const res = await v2("/v2/ratelimit.setOverride", { namespaceName: "api_requests", identifier: "user_123", limit: 1000, duration: 3600000 });
    expect(res.body.data).toEqual({ overrideId: expect.any(String) });
    const got = await v2("/v2/ratelimit.getOverride", { namespace: "api_requests", identifier: "user_123" });
    expect(got.body.data).toEqual({ overrideId: res.body.data.overrideId, identifier: "user_123", limit: 1000, duration: 3600000 });
  });
});

describe("guide > credits system", () => {
  test("v1 {remaining: 100, refill: {interval: monthly, amount: 100}} reads in v2 with refillDay and lastRefillAt", async () => {
    const created = await request(t.app)
      .post("/v1/keys.createKey")
      .set(auth)
      .send({ apiId: "api_123", remaining: 100, refill: { interval: "monthly", amount: 100 } });
    const { keyId } = created.body;
    // A refill is due when the key is older than the last refill day.
    t.db.sql.prepare("UPDATE keys SET created_at = ?, credits_remaining = 3 WHERE id = ?").run(Date.UTC(2020, 0, 1), keyId);
    const res = await v2("/v2/keys.getKey", { keyId });
    expect(res.body.data.credits).toEqual({ remaining: 100, refill: { interval: "monthly", amount: 100, refillDay: 1, lastRefillAt: expect.any(Number) } });
    const old = await request(t.app).get(`/v1/keys.getKey?keyId=${keyId}`).set(auth);
    expect(old.body).toMatchObject({
      remaining: 100,
      refill: { interval: "monthly", amount: 100, refillDay: 1, lastRefillAt: res.body.data.credits.refill.lastRefillAt },
    });
  });
});

describe("guide > error handling", () => {
  test("v1 error format {error: {code, message, requestId}}", async () => {
    const res = await request(t.app).get("/v1/keys.getKey").set(auth);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: "BAD_REQUEST", docs: expect.any(String), message: expect.any(String), requestId: expect.stringMatching(/^req_/) },
    });
  });

  test("v2 error format {meta, error: {title, detail, status, type, errors: [{location, message, fix}]}}", async () => {
    const res = await v2("/v2/keys.getKey", {});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      meta: { requestId: expect.stringMatching(/^req_/) },
      error: {
        title: "Bad Request",
        detail: expect.any(String),
        status: 400,
        type: "https://unkey.dev/docs/api-reference/errors/400",
        errors: [{ location: "body.keyId", message: "Required field missing", fix: expect.any(String) }],
      },
    });
  });
});

describe("notes > key endpoints", () => {
  test("createKey v2 takes credits and ratelimits, and no ownerId", async () => {
    const res = await v2("/v2/keys.createKey", {
      apiId: "api_123",
      externalId: "user_9",
      credits: { remaining: 5, refill: { interval: "daily", amount: 5 } },
      ratelimits: [{ name: "requests", limit: 10, duration: 60000, autoApply: true }],
    });
    const key = (await v2("/v2/keys.getKey", { keyId: res.body.data.keyId })).body.data;
    expect(key).toMatchObject({ credits: { remaining: 5, refill: { interval: "daily", amount: 5 } }, identity: { externalId: "user_9" } });
    expect(key.ratelimits).toEqual([{ id: expect.any(String), name: "requests", limit: 10, duration: 60000, autoApply: true }]);
    expect(key.ownerId).toBeUndefined();
  });

  test('verifyKey v2: permissions as a string query "perm1 AND perm2", cost as credits.cost', async () => {
    const created = await v2("/v2/keys.createKey", { apiId: "api_123", permissions: ["read", "write"], credits: { remaining: 10 } });
    const res = await v2("/v2/keys.verifyKey", { key: created.body.data.key, permissions: "read AND write", credits: { cost: 3 } });
    expect(res.body.data).toMatchObject({ valid: true, code: "VALID", credits: 7 });
    const denied = await v2("/v2/keys.verifyKey", { key: created.body.data.key, permissions: "read AND admin" });
    expect(denied.body.data).toMatchObject({ valid: false, code: "INSUFFICIENT_PERMISSIONS" });
  });

  test("verifyKey v1: authorization wrapper and remaining.cost", async () => {
    const created = await v2("/v2/keys.createKey", { apiId: "api_123", permissions: ["read", "write"], credits: { remaining: 10 } });
    const res = await request(t.app)
      .post("/v1/keys.verifyKey")
      .set(auth)
      .send({ key: created.body.data.key, authorization: { permissions: { and: ["read", { or: ["write", "admin"] }] } }, remaining: { cost: 4 } });
    expect(res.body).toMatchObject({ valid: true, code: "VALID", remaining: 6 });
  });

  test("deleteKey takes `permanent`", async () => {
    const created = await v2("/v2/keys.createKey", { apiId: "api_123" });
    expect((await v2("/v2/keys.deleteKey", { keyId: created.body.data.keyId, permanent: true })).status).toBe(200);
    expect(t.db.sql.prepare("SELECT COUNT(*) AS n FROM keys WHERE id = ?").get(created.body.data.keyId)).toEqual({ n: 0 });
  });

  test("updateRemaining -> updateCredits with set, increment, decrement", async () => {
    const created = await v2("/v2/keys.createKey", { apiId: "api_123", credits: { remaining: 10 } });
    const { keyId } = created.body.data;
    expect((await request(t.app).post("/v1/keys.updateRemaining").set(auth).send({ keyId, op: "increment", value: 5 })).body).toEqual({ remaining: 15 });
    expect((await v2("/v2/keys.updateCredits", { keyId, operation: "decrement", value: 3 })).body.data).toEqual({ remaining: 12 });
    expect((await v2("/v2/keys.updateCredits", { keyId, operation: "set", value: 1 })).body.data).toEqual({ remaining: 1 });
  });

  test("a v1 ratelimit becomes the named, auto-applied ratelimit `default`", async () => {
    const created = await request(t.app)
      .post("/v1/keys.createKey")
      .set(auth)
      .send({ apiId: "api_123", ratelimit: { async: true, limit: 2, duration: 1000 } });
    const key = (await v2("/v2/keys.getKey", { keyId: created.body.keyId })).body.data;
    expect(key.ratelimits).toEqual([{ id: expect.any(String), name: "default", limit: 2, duration: 1000, autoApply: true }]);
  });
});
