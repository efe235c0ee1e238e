/**
 * The published v2 client, @unkey/api@2, over real HTTP against /v2. It validates every
 * response with zod, so each resolved call is also a wire-format check; errors must parse into
 * its typed error classes.
 */
import { Unkey } from "unkey-v2";
import { ROOT_KEY, testServer } from "./harness";

// Resolved through the package's `exports` at run time; typed from its CommonJS build.
const errors = require("unkey-v2/models/errors") as typeof import("unkey-v2/dist/commonjs/models/errors/index");

let server: Awaited<ReturnType<typeof testServer>>;
let unkey: Unkey;

beforeAll(async () => {
  server = await testServer();
  unkey = new Unkey({ rootKey: ROOT_KEY, serverURL: server.base, retryConfig: { strategy: "none" } });
});
afterAll(() => server.close());

const newApi = async (name = "v2-api") => (await unkey.apis.createApi({ name })).data.apiId;

describe("v2 SDK > keys", () => {
  let apiId: string;
  let keyId: string;
  let key: string;

  beforeAll(async () => {
    apiId = await newApi();
    const res = await unkey.keys.createKey({
      apiId,
      prefix: "sk",
      name: "Customer Y",
      externalId: "user_v2",
      meta: { plan: "pro" },
      credits: { remaining: 3, refill: { interval: "daily", amount: 3 } },
      ratelimits: [
        { name: "requests", limit: 100, duration: 60_000, autoApply: true },
        { name: "tokens", limit: 1, duration: 60_000 },
      ],
    });
    expect(res.meta.requestId).toMatch(/^req_/);
    ({ keyId, key } = res.data);
  });

  test("getKey answers KeyResponseData", async () => {
    const { data } = await unkey.keys.getKey({ keyId });
    expect(data).toEqual({
      keyId,
      start: key.slice(0, 7),
      enabled: true,
      name: "Customer Y",
      meta: { plan: "pro" },
      createdAt: expect.any(Number),
      permissions: [],
      roles: [],
      credits: { remaining: 3, refill: { interval: "daily", amount: 3 } },
      identity: { id: expect.any(String), externalId: "user_v2", ratelimits: [] },
      ratelimits: [
        { id: expect.any(String), name: "requests", limit: 100, duration: 60_000, autoApply: true },
        { id: expect.any(String), name: "tokens", limit: 1, duration: 60_000, autoApply: false },
      ],
    });
  });

  test("verifyKey: VALID spends credits by cost and reports each applied ratelimit", async () => {
    const { data } = await unkey.keys.verifyKey({ key, credits: { cost: 2 }, ratelimits: [{ name: "tokens" }] });
    expect(data).toMatchObject({ valid: true, code: "VALID", keyId, credits: 1 });
    expect(data.ratelimits).toEqual([
      { exceeded: false, id: expect.any(String), name: "requests", limit: 100, duration: 60_000, reset: expect.any(Number), remaining: 99, autoApply: true },
      { exceeded: false, id: expect.any(String), name: "tokens", limit: 1, duration: 60_000, reset: expect.any(Number), remaining: 0, autoApply: false },
    ]);
    expect((await unkey.keys.getKey({ keyId })).data.lastUsedAt).toEqual(expect.any(Number));
  });

  test("verifyKey: RATE_LIMITED does not spend credits", async () => {
    const { data } = await unkey.keys.verifyKey({ key, ratelimits: [{ name: "tokens" }] });
    expect(data).toMatchObject({ valid: false, code: "RATE_LIMITED" });
    expect(data.ratelimits?.find((r) => r.name === "tokens")).toMatchObject({ exceeded: true, remaining: 0 });
    expect((await unkey.keys.getKey({ keyId })).data.credits?.remaining).toBe(1);
  });

  test("verifyKey: USAGE_EXCEEDED when credits run out, NOT_FOUND for an unknown key", async () => {
    expect((await unkey.keys.verifyKey({ key })).data).toMatchObject({ valid: true, credits: 0 });
    expect((await unkey.keys.verifyKey({ key })).data).toMatchObject({ valid: false, code: "USAGE_EXCEEDED", credits: 0 });
    expect((await unkey.keys.verifyKey({ key: "sk_unknown" })).data).toEqual({ valid: false, code: "NOT_FOUND" });
  });

  test("updateCredits: set, increment, decrement, unlimited", async () => {
    expect((await unkey.keys.updateCredits({ keyId, operation: "set", value: 10 })).data).toEqual({ remaining: 10, refill: { interval: "daily", amount: 3 } });
    expect((await unkey.keys.updateCredits({ keyId, operation: "increment", value: 5 })).data.remaining).toBe(15);
    expect((await unkey.keys.updateCredits({ keyId, operation: "decrement", value: 4 })).data.remaining).toBe(11);
    expect((await unkey.keys.updateCredits({ keyId, operation: "set", value: null })).data).toEqual({ remaining: null });
    expect((await unkey.keys.getKey({ keyId })).data.credits).toBeUndefined();
  });

  test("updateKey: fields, credits, ratelimits; DISABLED and EXPIRED verifications", async () => {
    expect(
      (
        await unkey.keys.updateKey({
          keyId,
          name: null,
          enabled: false,
          credits: { remaining: 5 },
          ratelimits: [{ name: "requests", limit: 2, duration: 1000 }],
        })
      ).data,
    ).toEqual({});
    const { data } = await unkey.keys.getKey({ keyId });
    expect(data.name).toBeUndefined();
    expect(data).toMatchObject({ enabled: false, credits: { remaining: 5 }, ratelimits: [{ name: "requests", limit: 2, duration: 1000, autoApply: false }] });
    expect((await unkey.keys.verifyKey({ key })).data).toMatchObject({ valid: false, code: "DISABLED" });
    await unkey.keys.updateKey({ keyId, enabled: true, expires: Date.now() - 1 });
    expect((await unkey.keys.verifyKey({ key })).data).toMatchObject({ valid: false, code: "EXPIRED" });
    await unkey.keys.updateKey({ keyId, expires: null });
    expect((await unkey.keys.verifyKey({ key })).data).toMatchObject({ valid: true });
  });

  test("whoami answers the key for its plaintext", async () => {
    expect((await unkey.keys.whoami({ key })).data).toMatchObject({ keyId, identity: { externalId: "user_v2" } });
  });

  test("listKeys pages with a cursor; next() follows it", async () => {
    await unkey.keys.createKey({ apiId });
    await unkey.keys.createKey({ apiId, externalId: "user_v2" });
    const page = await unkey.apis.listKeys({ apiId, limit: 2 });
    expect(page.result.data).toHaveLength(2);
    expect(page.result.pagination).toEqual({ cursor: expect.any(String), hasMore: true });
    const next = await page.next();
    expect(next?.result.data).toHaveLength(1);
    expect(next?.result.pagination).toEqual({ hasMore: false });
    const mine = await unkey.apis.listKeys({ apiId, externalId: "user_v2" });
    expect(mine.result.data).toHaveLength(2);
  });

  test("recoverable keys can be decrypted", async () => {
    const { data } = await unkey.keys.createKey({ apiId, recoverable: true });
    expect((await unkey.keys.getKey({ keyId: data.keyId, decrypt: true })).data.plaintext).toBe(data.key);
    expect((await unkey.keys.getKey({ keyId: data.keyId })).data.plaintext).toBeUndefined();
  });

  test("deleteKey, then NotFoundErrorResponse", async () => {
    expect((await unkey.keys.deleteKey({ keyId })).data).toEqual({});
    await expect(unkey.keys.getKey({ keyId })).rejects.toBeInstanceOf(errors.NotFoundErrorResponse);
  });
});

describe("v2 SDK > errors parse into typed classes", () => {
  test("404 NotFoundErrorResponse with meta and error", async () => {
    const err = await unkey.keys.getKey({ keyId: "key_nope" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.NotFoundErrorResponse);
    expect((err as InstanceType<typeof errors.NotFoundErrorResponse>).error).toMatchObject({
      status: 404,
      title: "Not Found",
      detail: 'Key "key_nope" does not exist.',
    });
    expect((err as InstanceType<typeof errors.NotFoundErrorResponse>).meta.requestId).toMatch(/^req_/);
  });

  test("401 UnauthorizedErrorResponse", async () => {
    const wrong = new Unkey({ rootKey: "unkey_wrong", serverURL: server.base, retryConfig: { strategy: "none" } });
    await expect(wrong.keys.getKey({ keyId: "key_x" })).rejects.toBeInstanceOf(errors.UnauthorizedErrorResponse);
  });

  test("400 BadRequestErrorResponse with field errors", async () => {
    const err = await unkey.keys.verifyKey({ key: "x", permissions: "a AND (" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.BadRequestErrorResponse);
    expect((err as InstanceType<typeof errors.BadRequestErrorResponse>).error.errors).toEqual([expect.objectContaining({ location: "body.permissions" })]);
  });

  test("409 ConflictErrorResponse, 412 PreconditionFailedErrorResponse", async () => {
    await unkey.identities.createIdentity({ externalId: "dup_identity" });
    await expect(unkey.identities.createIdentity({ externalId: "dup_identity" })).rejects.toBeInstanceOf(errors.ConflictErrorResponse);
    const api = server.db.workspaces.createApi("ws_test", "protected", { deleteProtection: true });
    await expect(unkey.apis.deleteApi({ apiId: api.id })).rejects.toBeInstanceOf(errors.PreconditionFailedErrorResponse);
  });

  test("deleteIdentity errors are problem+json, as the SDK requires", async () => {
    await expect(unkey.identities.deleteIdentity({ identity: "nobody" })).rejects.toBeInstanceOf(errors.NotFoundErrorResponse);
  });
});

describe("v2 SDK > apis, identities, permissions, roles, overrides", () => {
  test("apis: create, get, delete", async () => {
    const apiId = await newApi("short-lived");
    expect((await unkey.apis.getApi({ apiId })).data).toEqual({ id: apiId, name: "short-lived" });
    expect((await unkey.apis.deleteApi({ apiId })).data).toEqual({});
    await expect(unkey.apis.getApi({ apiId })).rejects.toBeInstanceOf(errors.NotFoundErrorResponse);
  });

  test("identities: create, get, list, update, delete", async () => {
    const { data } = await unkey.identities.createIdentity({
      externalId: "org_1",
      meta: { tier: 1 },
      ratelimits: [{ name: "calls", limit: 5, duration: 1000 }],
    });
    expect((await unkey.identities.getIdentity({ identity: "org_1" })).data).toEqual({
      id: data.identityId,
      externalId: "org_1",
      meta: { tier: 1 },
      ratelimits: [{ id: expect.any(String), name: "calls", limit: 5, duration: 1000, autoApply: false }],
    });
    const list = await unkey.identities.listIdentities({ limit: 100 });
    expect(list.result.data.map((i) => i.externalId)).toContain("org_1");
    expect((await unkey.identities.updateIdentity({ identity: data.identityId, meta: { tier: 2 } })).data.meta).toEqual({ tier: 2 });
    expect(await unkey.identities.deleteIdentity({ identity: "org_1" })).toEqual({ meta: { requestId: expect.any(String) } });
  });

  test("permissions and roles, and on keys", async () => {
    const { data: p } = await unkey.permissions.createPermission({ name: "Read documents", slug: "documents.read" });
    await unkey.permissions.createPermission({ name: "Write documents", slug: "documents.write" });
    expect((await unkey.permissions.getPermission({ permission: "documents.read" })).data).toEqual({
      id: p.permissionId,
      name: "Read documents",
      slug: "documents.read",
    });
    expect((await unkey.permissions.listPermissions({})).result.data).toHaveLength(2);
    const { data: r } = await unkey.permissions.createRole({ name: "reader", permissions: ["documents.read"] });
    expect((await unkey.permissions.getRole({ role: "reader" })).data).toEqual({
      id: r.roleId,
      name: "reader",
      permissions: [expect.objectContaining({ slug: "documents.read" })],
    });
    expect((await unkey.permissions.listRoles({})).result.data).toHaveLength(1);

    const apiId = await newApi();
    const { data: k } = await unkey.keys.createKey({ apiId });
    expect((await unkey.keys.addPermissions({ keyId: k.keyId, permissions: ["documents.write"] })).data).toEqual([
      expect.objectContaining({ slug: "documents.write" }),
    ]);
    expect((await unkey.keys.setRoles({ keyId: k.keyId, roles: ["reader"] })).data).toEqual([expect.objectContaining({ name: "reader" })]);
    expect((await unkey.keys.verifyKey({ key: k.key, permissions: "documents.read AND documents.write" })).data).toMatchObject({
      valid: true,
      permissions: ["documents.read", "documents.write"],
      roles: ["reader"],
    });
    expect((await unkey.keys.removeRoles({ keyId: k.keyId, roles: ["reader"] })).data).toEqual([]);
    expect((await unkey.keys.setPermissions({ keyId: k.keyId, permissions: [] })).data).toEqual([]);
    expect((await unkey.keys.removePermissions({ keyId: k.keyId, permissions: ["documents.write"] })).data).toEqual([]);
    expect((await unkey.keys.addRoles({ keyId: k.keyId, roles: [r.roleId] })).data).toHaveLength(1);
    expect((await unkey.keys.verifyKey({ key: k.key, permissions: "documents.write" })).data.code).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await unkey.permissions.deleteRole({ role: "reader" })).data).toEqual({});
    expect((await unkey.permissions.deletePermission({ permission: p.permissionId })).data).toEqual({});
  });

  test("ratelimit overrides: set, get, list, delete", async () => {
    const { data } = await unkey.ratelimit.setOverride({ namespace: "sms", identifier: "u_1", limit: 3, duration: 60_000 });
    expect((await unkey.ratelimit.getOverride({ namespace: "sms", identifier: "u_1" })).data).toEqual({
      overrideId: data.overrideId,
      identifier: "u_1",
      limit: 3,
      duration: 60_000,
    });
    expect((await unkey.ratelimit.listOverrides({ namespace: "sms" })).result.data).toHaveLength(1);
    expect((await unkey.ratelimit.deleteOverride({ namespace: "sms", identifier: "u_1" })).data).toEqual({});
    await expect(unkey.ratelimit.getOverride({ namespace: "sms", identifier: "u_1" })).rejects.toBeInstanceOf(errors.NotFoundErrorResponse);
  });
});
