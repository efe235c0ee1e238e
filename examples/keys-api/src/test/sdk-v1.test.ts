/**
 * The published v1 client, @unkey/api@0.38.0, unchanged, over real HTTP against /v1 — which
 * has no handlers: every call is served by the v2 handlers through the version changes.
 */
import { Unkey } from "unkey-v1";
import { ROOT_KEY, testServer } from "./harness";

let server: Awaited<ReturnType<typeof testServer>>;
let unkey: Unkey;

beforeAll(async () => {
  server = await testServer();
  unkey = new Unkey({ rootKey: ROOT_KEY, baseUrl: server.base, retry: { attempts: 0 }, disableTelemetry: true });
});
afterAll(() => server.close());

async function newApi(name = "v1-api"): Promise<string> {
  const { result, error } = await unkey.apis.create({ name });
  expect(error).toBeUndefined();
  return result!.apiId;
}

describe("v1 SDK > apis", () => {
  test("create, get, delete", async () => {
    const apiId = await newApi("my-v1-api");
    expect(await unkey.apis.get({ apiId })).toEqual({ result: { id: apiId, name: "my-v1-api", workspaceId: "ws_test" } });
    expect(await unkey.apis.delete({ apiId })).toEqual({ result: {} });
    const { error } = await unkey.apis.get({ apiId });
    expect(error).toMatchObject({ code: "NOT_FOUND" });
  });

  test("a delete-protected API answers 429 DELETE_PROTECTED", async () => {
    const api = server.db.workspaces.createApi("ws_test", "protected", { deleteProtection: true });
    const { error } = await unkey.apis.delete({ apiId: api.id });
    expect(error).toEqual({
      code: "DELETE_PROTECTED",
      docs: expect.stringContaining("DELETE_PROTECTED"),
      message: expect.stringContaining("delete protected"),
      requestId: expect.stringMatching(/^req_/),
    });
  });
});

describe("v1 SDK > keys", () => {
  let apiId: string;
  let keyId: string;
  let key: string;

  beforeAll(async () => {
    apiId = await newApi();
    const { result, error } = await unkey.keys.create({
      apiId,
      prefix: "sk",
      name: "Customer X",
      ownerId: "user_1",
      meta: { plan: "pro" },
      remaining: 3,
      refill: { interval: "daily", amount: 3 },
      ratelimit: { async: true, limit: 100, duration: 60_000 },
    });
    expect(error).toBeUndefined();
    ({ keyId, key } = result!);
  });

  test("createKey answers {keyId, key}", () => {
    expect(keyId).toMatch(/^key_/);
    expect(key).toMatch(/^sk_/);
  });

  test("getKey answers the v1 Key shape", async () => {
    const { result } = await unkey.keys.get({ keyId });
    expect(result).toEqual({
      id: keyId,
      start: key.slice(0, 7),
      workspaceId: "ws_test",
      apiId,
      name: "Customer X",
      ownerId: "user_1",
      meta: { plan: "pro" },
      createdAt: expect.any(Number),
      remaining: 3,
      refill: { interval: "daily", amount: 3 },
      ratelimit: { async: false, limit: 100, duration: 60_000, refillRate: 100, refillInterval: 60_000 },
      roles: [],
      permissions: [],
      enabled: true,
      identity: { id: expect.stringMatching(/^id_/), externalId: "user_1" },
    });
  });

  test("verify: valid, spending credits, with the v1 ratelimit and requestId", async () => {
    const { result } = await unkey.keys.verify({ apiId, key });
    expect(result).toEqual({
      keyId,
      valid: true,
      code: "VALID",
      name: "Customer X",
      ownerId: "user_1",
      meta: { plan: "pro" },
      remaining: 2,
      ratelimit: { limit: 100, remaining: 99, reset: expect.any(Number) },
      enabled: true,
      permissions: [],
      roles: [],
      identity: { id: expect.any(String), externalId: "user_1", meta: {} },
      requestId: expect.stringMatching(/^req_/),
    });
  });

  test("verify: an unknown key is NOT_FOUND, a key of another API is FORBIDDEN", async () => {
    expect((await unkey.keys.verify({ key: "sk_doesnotexist" })).result).toEqual({ valid: false, code: "NOT_FOUND", requestId: expect.any(String) });
    expect((await unkey.keys.verify({ apiId: "api_other", key })).result).toMatchObject({ valid: false, code: "FORBIDDEN", keyId });
  });

  test("verify: out of credits is USAGE_EXCEEDED; remaining.cost spends several", async () => {
    expect((await unkey.keys.verify({ key, remaining: { cost: 2 } })).result).toMatchObject({ valid: true, remaining: 0 });
    expect((await unkey.keys.verify({ key })).result).toMatchObject({ valid: false, code: "USAGE_EXCEEDED", remaining: 0 });
  });

  test("updateRemaining: set, increment, decrement", async () => {
    expect(await unkey.keys.updateRemaining({ keyId, op: "set", value: 10 })).toEqual({ result: { remaining: 10 } });
    expect(await unkey.keys.updateRemaining({ keyId, op: "increment", value: 5 })).toEqual({ result: { remaining: 15 } });
    expect(await unkey.keys.updateRemaining({ keyId, op: "decrement", value: 20 })).toEqual({ result: { remaining: 0 } });
    expect((await unkey.keys.updateRemaining({ keyId, op: "set", value: null })).result).toEqual({ remaining: null });
    expect((await unkey.keys.get({ keyId })).result!.remaining).toBeUndefined();
  });

  test("update: name, ownerId, meta, enabled, ratelimit; a disabled key verifies as DISABLED", async () => {
    const { result } = await unkey.keys.update({
      keyId,
      name: "Renamed",
      ownerId: "user_2",
      meta: null,
      enabled: false,
      ratelimit: { limit: 1, duration: 1000 },
    });
    expect(result).toEqual({});
    const got = (await unkey.keys.get({ keyId })).result!;
    expect(got).toMatchObject({ name: "Renamed", ownerId: "user_2", enabled: false, ratelimit: { limit: 1, duration: 1000 } });
    expect(got.meta).toBeUndefined();
    expect((await unkey.keys.verify({ key })).result).toMatchObject({ valid: false, code: "DISABLED" });
    await unkey.keys.update({ keyId, enabled: true });
  });

  test("verify: a spent ratelimit is RATE_LIMITED", async () => {
    const { result: created } = await unkey.keys.create({ apiId, ratelimit: { async: false, limit: 1, duration: 60_000 } });
    expect((await unkey.keys.verify({ key: created!.key })).result).toMatchObject({ valid: true, ratelimit: { limit: 1, remaining: 0 } });
    expect((await unkey.keys.verify({ key: created!.key })).result).toMatchObject({
      valid: false,
      code: "RATE_LIMITED",
      ratelimit: { limit: 1, remaining: 0 },
    });
  });

  test("verify: an expired key is EXPIRED", async () => {
    const { result: created } = await unkey.keys.create({ apiId, expires: Date.now() + 1000 });
    await unkey.keys.update({ keyId: created!.keyId, expires: Date.now() - 1000 });
    expect((await unkey.keys.verify({ key: created!.key })).result).toMatchObject({ valid: false, code: "EXPIRED" });
  });

  test("listKeys pages with cursor and total, filters by ownerId", async () => {
    const first = (await unkey.apis.listKeys({ apiId, limit: 2 })).result!;
    expect(first.keys).toHaveLength(2);
    expect(first.total).toBe(3);
    expect(first.cursor).toEqual(expect.any(String));
    const second = (await unkey.apis.listKeys({ apiId, limit: 2, cursor: first.cursor })).result!;
    expect(second).toEqual({ keys: [expect.objectContaining({ apiId })], total: 3 });
    const owned = (await unkey.apis.listKeys({ apiId, ownerId: "user_2" })).result!;
    expect(owned).toEqual({ keys: [expect.objectContaining({ id: keyId, ownerId: "user_2" })], total: 1 });
  });

  test("delete, then the key is gone", async () => {
    expect(await unkey.keys.delete({ keyId })).toEqual({ result: {} });
    expect((await unkey.keys.get({ keyId })).error).toMatchObject({ code: "NOT_FOUND" });
    expect((await unkey.keys.verify({ key })).result).toMatchObject({ valid: false, code: "NOT_FOUND" });
  });
});

describe("v1 SDK > errors come back in the v1 format", () => {
  test("unknown key: 404 NOT_FOUND", async () => {
    const res = await unkey.keys.get({ keyId: "key_nope" });
    expect(res).toEqual({
      error: {
        code: "NOT_FOUND",
        docs: "https://unkey.dev/docs/api-reference/errors/code/NOT_FOUND",
        message: 'Key "key_nope" does not exist.',
        requestId: expect.stringMatching(/^req_/),
      },
    });
  });

  test("wrong root key: 401 UNAUTHORIZED", async () => {
    const wrong = new Unkey({ rootKey: "unkey_wrong", baseUrl: server.base, retry: { attempts: 0 }, disableTelemetry: true });
    expect((await wrong.apis.create({ name: "nope" })).error).toMatchObject({ code: "UNAUTHORIZED" });
  });

  test("invalid input: 400 BAD_REQUEST naming the field", async () => {
    const res = await unkey.keys.create({} as never);
    expect(res.error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("body.apiId") });
  });

  test("a v1 request a change cannot translate: 400 BAD_REQUEST from the change", async () => {
    const res = await unkey.keys.create({ apiId: "api_x", refill: { interval: "daily", amount: 1 } });
    expect(res.error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("`refill` needs `remaining`") });
  });

  test("a query value that is not a number: 400 BAD_REQUEST from the version change itself", async () => {
    const res = await unkey.apis.listKeys({ apiId: "api_x", limit: "lots" as unknown as number });
    expect(res.error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("limit") });
  });

  test("an operation v2 does not have: 404 NOT_FOUND", async () => {
    const res = await unkey.keys.getVerifications({ keyId: "key_x" });
    expect(res.error).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("v1 SDK > permissions, roles, identities, overrides", () => {
  test("permissions and roles on keys; verify with an authorization tree", async () => {
    const apiId = await newApi();
    const { result: perm } = await unkey.permissions.createPermission({ name: "documents.read", description: "Read documents" });
    expect((await unkey.permissions.getPermission({ permissionId: perm!.permissionId })).result).toEqual({
      id: perm!.permissionId,
      name: "documents.read",
      slug: "documents.read",
      description: "Read documents",
    });
    await unkey.permissions.createPermission({ name: "documents.write" });
    expect((await unkey.permissions.listPermissions()).result!.map((p) => p.name).sort()).toEqual(["documents.read", "documents.write"]);
    const { result: role } = await unkey.permissions.createRole({ name: "editor" });
    expect((await unkey.permissions.getRole({ roleId: role!.roleId })).result).toEqual({ id: role!.roleId, name: "editor" });
    expect((await unkey.permissions.listRoles()).result).toEqual([{ id: role!.roleId, name: "editor" }]);

    const { result: k } = await unkey.keys.create({ apiId, permissions: ["documents.read"] });
    expect(
      (await unkey.keys.addPermissions({ keyId: k!.keyId, permissions: [{ name: "documents.write" }, { name: "documents.admin", create: true }] })).result,
    ).toEqual([
      { id: expect.any(String), name: "documents.admin" },
      { id: expect.any(String), name: "documents.write" },
    ]);
    expect((await unkey.keys.removePermissions({ keyId: k!.keyId, permissions: [{ name: "documents.admin" }] })).result).toEqual({});
    expect((await unkey.keys.addRoles({ keyId: k!.keyId, roles: [{ name: "editor" }] })).result).toEqual([{ id: role!.roleId, name: "editor" }]);
    expect((await unkey.keys.setRoles({ keyId: k!.keyId, roles: [{ id: role!.roleId }] })).result).toEqual([{ id: role!.roleId, name: "editor" }]);
    expect((await unkey.keys.get({ keyId: k!.keyId })).result).toMatchObject({ permissions: ["documents.read", "documents.write"], roles: ["editor"] });

    const ok = await unkey.keys.verify({
      key: k!.key,
      authorization: { permissions: { and: ["documents.read", { or: ["documents.write", "documents.admin"] }] } },
    });
    expect(ok.result).toMatchObject({ valid: true, code: "VALID" });
    const denied = await unkey.keys.verify({ key: k!.key, authorization: { permissions: "documents.admin" } });
    expect(denied.result).toMatchObject({ valid: false, code: "INSUFFICIENT_PERMISSIONS" });

    expect((await unkey.keys.removeRoles({ keyId: k!.keyId, roles: [{ name: "editor" }] })).result).toEqual({});
    expect((await unkey.permissions.deleteRole({ roleId: role!.roleId })).result).toEqual({});
    expect((await unkey.permissions.deletePermission({ permissionId: perm!.permissionId })).result).toEqual({});
  });

  test("identities: create, get by id and externalId, list, update, delete", async () => {
    const { result } = await unkey.identities.create({
      externalId: "customer_42",
      meta: { plan: "team" },
      ratelimits: [{ name: "tokens", limit: 10, duration: 1000 }],
    });
    const identityId = result!.identityId;
    const expected = { id: identityId, externalId: "customer_42", meta: { plan: "team" }, ratelimits: [{ name: "tokens", limit: 10, duration: 1000 }] };
    expect((await unkey.identities.get({ identityId })).result).toEqual(expected);
    expect((await unkey.identities.get({ externalId: "customer_42" })).result).toEqual(expected);
    const list = (await unkey.identities.list({ limit: 10 })).result!;
    expect(list.total).toBe(list.identities.length);
    expect(list.identities).toContainEqual(expect.objectContaining({ id: identityId, externalId: "customer_42", ratelimits: expected.ratelimits }));
    expect((await unkey.identities.update({ identityId, meta: { plan: "enterprise" } })).result).toMatchObject({ meta: { plan: "enterprise" } });
    expect(await unkey.identities.delete({ identityId })).toEqual({ result: {} });
    expect((await unkey.identities.get({ identityId })).error).toMatchObject({ code: "NOT_FOUND" });
  });

  test("ratelimit overrides: set, get, list, delete", async () => {
    const { result } = await unkey.ratelimits.setOverride({ namespaceName: "email", identifier: "user_7", limit: 50, duration: 60_000 });
    const overrideId = result!.overrideId;
    expect((await unkey.ratelimits.getOverride({ namespaceName: "email", identifier: "user_7" })).result).toEqual({
      id: overrideId,
      identifier: "user_7",
      limit: 50,
      duration: 60_000,
    });
    expect((await unkey.ratelimits.listOverrides({ namespaceName: "email" })).result).toEqual({
      overrides: [{ id: overrideId, identifier: "user_7", limit: 50, duration: 60_000 }],
      total: 1,
    });
    expect(await unkey.ratelimits.deleteOverride({ namespaceName: "email", identifier: "user_7" })).toEqual({ result: {} });
    expect((await unkey.ratelimits.getOverride({ namespaceName: "email", identifier: "user_7" })).error).toMatchObject({ code: "NOT_FOUND" });
  });
});
