/**
 * A realistic sequence of v2 calls covering every operation, its success and its common errors,
 * recorded with what the server answered. The OpenAPI test validates each answer against
 * `openapi/head.json`; a contract test for an older version can replay the same sequence with
 * an `Unkey-Version` header and validate against that version's document.
 */
import type { Db } from "../db";
import { operations } from "../v2";
import { ROOT_KEY, WORKSPACE, seedReferenceIds } from "./harness";

/** One request of the sequence and the server's answer. */
export interface RecordedCall {
  /** The v2 operation (`keys.createKey`): the document's operationId, the handler's name in `src/v2/index.ts`. */
  operation: string;
  /** What the call shows: `"unknown keyId"`, `"VALID, spending credits"`. */
  scenario: string;
  /** `body` is the JSON sent; `rawBody` replaces it for the malformed-JSON call. */
  request: { method: "POST"; path: string; headers: Record<string, string>; body?: unknown; rawBody?: string };
  /** The status this call is written to produce (the v2 behaviour); `status` is what came back. */
  expectedStatus: number;
  status: number;
  /** The media type of the answer, without parameters: `application/json`. */
  contentType: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface RecordOptions {
  /** The root key of the seeded workspace. Default: the harness's. */
  rootKey?: string;
  /** Sent with every request, e.g. `{ "Unkey-Version": "2025-07-01" }`. */
  headers?: Record<string, string>;
}

/** The ids the sequence relies on: the reference ids (api_123, key_123, sk_123, perm_456) and a delete-protected API. */
export function seedForRecording(db: Db): void {
  seedReferenceIds(db);
  db.workspaces.createApi(WORKSPACE, "protected-api", { id: "api_protected", deleteProtection: true });
}

/** Every v2 operation name, in `src/v2/index.ts` order. */
export const V2_OPERATIONS: readonly string[] = Object.keys(operations());

type Init = { auth?: string | null; headers?: Record<string, string>; rawBody?: string };

function recorder(base: string, options: RecordOptions) {
  const calls: RecordedCall[] = [];
  const rootKey = options.rootKey ?? ROOT_KEY;

  async function send(operation: string, scenario: string, expectedStatus: number, body: unknown, init: Init = {}): Promise<RecordedCall> {
    const headers: Record<string, string> = { "Content-Type": "application/json", ...options.headers, ...init.headers };
    const auth = init.auth === undefined ? `Bearer ${rootKey}` : init.auth;
    if (auth !== null) headers.Authorization = auth;
    const path = `/v2/${operation}`;
    const res = await fetch(`${base}${path}`, { method: "POST", headers, body: init.rawBody ?? JSON.stringify(body) });
    const text = await res.text();
    const call: RecordedCall = {
      operation,
      scenario,
      request: { method: "POST", path, headers, ...(init.rawBody === undefined ? { body } : { rawBody: init.rawBody }) },
      expectedStatus,
      status: res.status,
      contentType: (res.headers.get("content-type") ?? "").split(";")[0]!.trim(),
      headers: Object.fromEntries(res.headers),
      body: text === "" ? undefined : JSON.parse(text),
    };
    calls.push(call);
    return call;
  }

  return {
    calls,
    /** A call that should succeed; answers its `data` (undefined when the body has none). */
    async ok<T = unknown>(operation: string, scenario: string, body: unknown, init?: Init): Promise<T> {
      const call = await send(operation, scenario, 200, body, init);
      return (call.body as { data?: T } | undefined)?.data as T;
    },
    /** A page of a list operation: its data and its pagination. */
    async page<T = unknown>(operation: string, scenario: string, body: unknown): Promise<{ data: T[]; pagination: { cursor?: string; hasMore: boolean } }> {
      return (await send(operation, scenario, 200, body)).body as { data: T[]; pagination: { cursor?: string; hasMore: boolean } };
    },
    async fail(operation: string, scenario: string, expectedStatus: number, body: unknown, init?: Init): Promise<void> {
      await send(operation, scenario, expectedStatus, body, init);
    },
  };
}

/**
 * Run the sequence against a server seeded with `seedForRecording` and answer every call.
 * It stops at nothing: a call that goes wrong is recorded like the others, for the caller to judge.
 */
export async function recordV2Calls(base: string, options: RecordOptions = {}): Promise<RecordedCall[]> {
  const r = recorder(base, options);
  const DAY = 86_400_000;

  // Transport, authentication and validation: every operation, before anything is created.
  for (const op of V2_OPERATIONS) {
    await r.fail(op, "no Authorization header", 401, {}, { auth: null });
    await r.fail(op, "invalid body (required fields missing, or limit 0)", 400, { limit: 0 });
  }
  await r.fail("keys.getKey", "unknown root key", 401, { keyId: "key_123" }, { auth: "Bearer unkey_not_a_root_key" });
  await r.fail("keys.getKey", "Authorization that is not a bearer token", 401, { keyId: "key_123" }, { auth: "Basic dXNlcjpwYXNz" });
  await r.fail("keys.getKey", "malformed JSON", 400, undefined, { rawBody: '{"keyId": ' });
  await r.fail("keys.getKey", "wrong field type", 400, { keyId: 123, decrypt: "yes" });
  await r.fail("keys.getKey", "unknown Unkey-Version", 400, { keyId: "key_123" }, { headers: { "Unkey-Version": "2030-01-01" } });
  await r.fail("identities.deleteIdentity", "a v1 Unkey-Version on a /v2 URL", 400, { identity: "owner_1" }, { headers: { "Unkey-Version": "2024-01-01" } });

  // APIs
  const { apiId } = await r.ok<{ apiId: string }>("apis.createApi", "create an API", { name: "payments-api" });
  await r.ok("apis.getApi", "the seeded API", { apiId: "api_123" });
  await r.fail("apis.getApi", "unknown apiId", 404, { apiId: "api_unknown" });

  // Permissions and roles
  await r.ok("permissions.createPermission", "with a description", { name: "Read documents", slug: "documents.read", description: "Read any document" });
  await r.ok("permissions.createPermission", "name and slug only", { name: "Write documents", slug: "documents.write" });
  await r.fail("permissions.createPermission", "slug taken", 409, { name: "read again", slug: "read" });
  await r.ok("permissions.getPermission", "by slug", { permission: "documents.read" });
  await r.ok("permissions.getPermission", "by id", { permission: "perm_456" });
  await r.fail("permissions.getPermission", "unknown permission", 404, { permission: "documents.nope" });
  const perms = await r.page("permissions.listPermissions", "first page", { limit: 2 });
  await r.page("permissions.listPermissions", "next page", { limit: 100, cursor: perms.pagination.cursor });
  await r.page("permissions.listPermissions", "search", { search: "documents" });
  const { roleId } = await r.ok<{ roleId: string }>("permissions.createRole", "with permissions", {
    name: "reader",
    description: "Reads documents",
    permissions: ["documents.read", "read"],
  });
  await r.ok("permissions.createRole", "name and permissions", { name: "writer", permissions: ["documents.write"] });
  await r.fail("permissions.createRole", "name taken", 409, { name: "reader" });
  await r.fail("permissions.createRole", "unknown permission", 404, { name: "ghost", permissions: ["documents.nope"] });
  await r.ok("permissions.getRole", "by name", { role: "reader" });
  await r.ok("permissions.getRole", "by id", { role: roleId });
  await r.fail("permissions.getRole", "unknown role", 404, { role: "role_unknown" });
  const roles = await r.page("permissions.listRoles", "first page", { limit: 1 });
  await r.page("permissions.listRoles", "next page", { cursor: roles.pagination.cursor });
  await r.page("permissions.listRoles", "search", { search: "read" });

  // Identities
  const { identityId } = await r.ok<{ identityId: string }>("identities.createIdentity", "with meta and ratelimits", {
    externalId: "user_42",
    meta: { plan: "pro" },
    ratelimits: [{ name: "requests", limit: 1000, duration: 60_000, autoApply: true }],
  });
  await r.ok("identities.createIdentity", "externalId only", { externalId: "org_7" });
  await r.fail("identities.createIdentity", "externalId taken", 409, { externalId: "owner_1" });
  await r.ok("identities.getIdentity", "by externalId", { identity: "user_42" });
  await r.ok("identities.getIdentity", "by id", { identity: identityId });
  await r.fail("identities.getIdentity", "unknown identity", 404, { identity: "nobody" });
  const ids = await r.page("identities.listIdentities", "first page", { limit: 1 });
  await r.page("identities.listIdentities", "next page", { cursor: ids.pagination.cursor, limit: 100 });
  await r.page("identities.listIdentities", "search", { search: "user" });
  await r.ok("identities.updateIdentity", "meta and ratelimits", {
    identity: "user_42",
    meta: { plan: "enterprise" },
    ratelimits: [{ name: "requests", limit: 5000, duration: 60_000, autoApply: true }],
  });
  await r.fail("identities.updateIdentity", "unknown identity", 404, { identity: "nobody", meta: {} });

  // Keys
  const full = await r.ok<{ keyId: string; key: string }>("keys.createKey", "every field", {
    apiId: "api_123",
    prefix: "sk_live",
    name: "Acme production",
    byteLength: 24,
    externalId: "user_42",
    meta: { plan: "pro" },
    roles: ["reader"],
    permissions: ["write"],
    expires: Date.now() + 30 * DAY,
    credits: { remaining: 1000, refill: { interval: "monthly", amount: 1000, refillDay: 15 } },
    ratelimits: [{ name: "requests", limit: 100, duration: 60_000, autoApply: true }],
    enabled: true,
    recoverable: true,
  });
  const minimal = await r.ok<{ keyId: string; key: string }>("keys.createKey", "apiId only", { apiId });
  await r.fail("keys.createKey", "unknown apiId", 404, { apiId: "api_unknown" });
  await r.fail("keys.createKey", "prefix with a dash", 400, { apiId: "api_123", prefix: "sk-live" });
  await r.fail("keys.createKey", "unknown permission", 404, { apiId: "api_123", permissions: ["documents.nope"] });
  await r.ok("keys.getKey", "the seeded key", { keyId: "key_123" });
  await r.ok("keys.getKey", "decrypt a recoverable key", { keyId: full.keyId, decrypt: true });
  await r.fail("keys.getKey", "unknown keyId", 404, { keyId: "key_unknown" });
  await r.ok("keys.whoami", "the seeded key", { key: "sk_123" });
  await r.fail("keys.whoami", "unknown key", 404, { key: "sk_unknown" });

  // Verification: every outcome is a 200
  await r.ok("keys.verifyKey", "VALID", { key: "sk_123" });
  await r.ok("keys.verifyKey", "VALID, spending credits under a named ratelimit", {
    key: full.key,
    tags: ["path=/v1/documents"],
    permissions: "documents.read AND write",
    credits: { cost: 5 },
    ratelimits: [{ name: "requests", cost: 2 }],
  });
  await r.ok("keys.verifyKey", "permissions as an object", { key: "sk_123", permissions: { type: "or", permissions: ["admin", "read"] } });
  await r.ok("keys.verifyKey", "INSUFFICIENT_PERMISSIONS", { key: "sk_123", permissions: "admin" });
  await r.ok("keys.verifyKey", "NOT_FOUND", { key: "sk_unknown" });
  await r.fail("keys.verifyKey", "invalid permission query", 400, { key: "sk_123", permissions: "read AND (" });
  const burst = await r.ok<{ key: string }>("keys.createKey", "one request a day", {
    apiId: "api_123",
    ratelimits: [{ name: "burst", limit: 1, duration: DAY, autoApply: true }],
  });
  await r.ok("keys.verifyKey", "VALID under an auto-applied ratelimit", { key: burst.key });
  await r.ok("keys.verifyKey", "RATE_LIMITED", { key: burst.key });
  const once = await r.ok<{ key: string }>("keys.createKey", "one credit", { apiId: "api_123", credits: { remaining: 1 } });
  await r.ok("keys.verifyKey", "VALID, last credit", { key: once.key });
  await r.ok("keys.verifyKey", "USAGE_EXCEEDED", { key: once.key });
  const disabled = await r.ok<{ key: string }>("keys.createKey", "disabled", { apiId: "api_123", enabled: false });
  await r.ok("keys.verifyKey", "DISABLED", { key: disabled.key });
  const expired = await r.ok<{ key: string }>("keys.createKey", "already expired", { apiId: "api_123", expires: Date.now() - 60_000 });
  await r.ok("keys.verifyKey", "EXPIRED", { key: expired.key });
  await r.ok("keys.getKey", "after a verification (lastUsedAt)", { keyId: "key_123" });

  await r.ok("keys.updateKey", "several fields", {
    keyId: "key_123",
    name: "Customer X (renamed)",
    externalId: "user_42",
    meta: { tier: "gold" },
    credits: { remaining: 50, refill: { interval: "daily", amount: 50 } },
    ratelimits: [{ name: "requests", limit: 200, duration: 60_000 }],
    permissions: ["read", { slug: "documents.read" }],
    roles: ["reader"],
    enabled: true,
  });
  await r.ok("keys.updateKey", "clear fields with null", { keyId: minimal.keyId, name: null, externalId: null, meta: null, expires: null, credits: null });
  await r.fail("keys.updateKey", "refill without a number of credits", 400, {
    keyId: "key_123",
    credits: { remaining: null, refill: { interval: "daily", amount: 10 } },
  });
  await r.fail("keys.updateKey", "unknown keyId", 404, { keyId: "key_unknown", name: "x" });
  await r.fail("keys.updateKey", "unknown role", 404, { keyId: "key_123", roles: ["role_unknown"] });
  await r.ok("keys.getKey", "after updateKey (updatedAt, refill)", { keyId: "key_123" });
  await r.ok("keys.whoami", "a key with an identity, credits and roles", { key: full.key });

  await r.ok("keys.updateCredits", "increment", { keyId: "key_123", operation: "increment", value: 10 });
  await r.ok("keys.updateCredits", "decrement below zero stops at zero", { keyId: "key_123", operation: "decrement", value: 100 });
  await r.ok("keys.updateCredits", "set", { keyId: "key_123", operation: "set", value: 25 });
  await r.ok("keys.updateCredits", "set unlimited", { keyId: "key_123", operation: "set", value: null });
  await r.fail("keys.updateCredits", "increment unlimited credits", 400, { keyId: "key_123", operation: "increment", value: 1 });
  await r.fail("keys.updateCredits", "decrement without a value", 400, { keyId: "key_123", operation: "decrement" });
  await r.fail("keys.updateCredits", "unknown operation", 400, { keyId: "key_123", operation: "multiply", value: 2 });
  await r.fail("keys.updateCredits", "unknown keyId", 404, { keyId: "key_unknown", operation: "set", value: 1 });

  const k = minimal.keyId;
  await r.ok("keys.addPermissions", "by slug", { keyId: k, permissions: ["documents.read"] });
  await r.ok("keys.addPermissions", "create a missing permission", {
    keyId: k,
    permissions: [{ slug: "documents.delete", name: "Delete documents", create: true }],
  });
  await r.fail("keys.addPermissions", "unknown permission", 404, { keyId: k, permissions: ["documents.nope"] });
  await r.fail("keys.addPermissions", "unknown keyId", 404, { keyId: "key_unknown", permissions: ["read"] });
  await r.ok("keys.removePermissions", "by slug", { keyId: k, permissions: ["documents.read"] });
  await r.fail("keys.removePermissions", "unknown keyId", 404, { keyId: "key_unknown", permissions: ["read"] });
  await r.ok("keys.setPermissions", "replace all", { keyId: k, permissions: ["read", "perm_456"] });
  await r.ok("keys.setPermissions", "remove all", { keyId: "key_123", permissions: [] });
  await r.fail("keys.setPermissions", "unknown keyId", 404, { keyId: "key_unknown", permissions: [] });
  await r.ok("keys.addRoles", "by name", { keyId: k, roles: ["reader"] });
  await r.fail("keys.addRoles", "unknown role", 404, { keyId: k, roles: ["role_unknown"] });
  await r.ok("keys.removeRoles", "by name", { keyId: k, roles: ["reader"] });
  await r.fail("keys.removeRoles", "unknown keyId", 404, { keyId: "key_unknown", roles: ["reader"] });
  await r.ok("keys.setRoles", "replace all", { keyId: k, roles: ["reader", roleId] });
  await r.fail("keys.setRoles", "unknown keyId", 404, { keyId: "key_unknown", roles: [] });

  const keys = await r.page("apis.listKeys", "first page", { apiId: "api_123", limit: 2 });
  await r.page("apis.listKeys", "next page", { apiId: "api_123", cursor: keys.pagination.cursor });
  await r.page("apis.listKeys", "one identity's keys, decrypted", { apiId: "api_123", externalId: "user_42", decrypt: true });
  await r.page("apis.listKeys", "an unknown externalId", { apiId: "api_123", externalId: "nobody" });
  await r.page("apis.listKeys", "another API", { apiId, revalidateKeysCache: true });
  await r.fail("apis.listKeys", "unknown apiId", 404, { apiId: "api_unknown" });

  // Ratelimit overrides
  await r.ok("ratelimit.setOverride", "an identifier", { namespace: "email.outbound", identifier: "user_42", limit: 10, duration: 60_000 });
  await r.ok("ratelimit.setOverride", "a wildcard, blocked", { namespace: "email.outbound", identifier: "spam_*", limit: 0, duration: 1000 });
  await r.ok("ratelimit.setOverride", "replace an override", { namespace: "email.outbound", identifier: "user_42", limit: 20, duration: 60_000 });
  await r.ok("ratelimit.getOverride", "by identifier", { namespace: "email.outbound", identifier: "user_42" });
  await r.fail("ratelimit.getOverride", "unknown identifier", 404, { namespace: "email.outbound", identifier: "user_0" });
  await r.fail("ratelimit.getOverride", "unknown namespace", 404, { namespace: "sms", identifier: "user_42" });
  const overrides = await r.page("ratelimit.listOverrides", "first page", { namespace: "email.outbound", limit: 1 });
  await r.page("ratelimit.listOverrides", "next page", { namespace: "email.outbound", cursor: overrides.pagination.cursor });
  await r.fail("ratelimit.listOverrides", "unknown namespace", 404, { namespace: "sms" });
  await r.ok("ratelimit.deleteOverride", "by identifier", { namespace: "email.outbound", identifier: "spam_*" });
  await r.fail("ratelimit.deleteOverride", "already deleted", 404, { namespace: "email.outbound", identifier: "spam_*" });

  // Deletions
  await r.ok("keys.deleteKey", "soft", { keyId: minimal.keyId });
  await r.ok("keys.deleteKey", "permanent", { keyId: full.keyId, permanent: true });
  await r.fail("keys.deleteKey", "already deleted", 404, { keyId: minimal.keyId });
  await r.fail("keys.getKey", "a deleted key", 404, { keyId: minimal.keyId });
  await r.fail("apis.deleteApi", "delete protected", 412, { apiId: "api_protected" });
  await r.ok("apis.deleteApi", "an API", { apiId });
  await r.fail("apis.deleteApi", "already deleted", 404, { apiId });
  await r.ok("permissions.deleteRole", "by name", { role: "writer" });
  await r.fail("permissions.deleteRole", "unknown role", 404, { role: "writer" });
  await r.ok("permissions.deletePermission", "by slug", { permission: "documents.write" });
  await r.fail("permissions.deletePermission", "unknown permission", 404, { permission: "documents.write" });
  await r.ok("identities.deleteIdentity", "by externalId", { identity: "org_7" });
  await r.fail("identities.deleteIdentity", "unknown identity", 404, { identity: "org_7" });

  return r.calls;
}
