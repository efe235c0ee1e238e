/**
 * A realistic session of the published v1 client, `@unkey/api@0.38` unchanged, against `/v1`:
 * every operation keys-api serves at v1, its success and its common errors, with each HTTP
 * exchange the SDK made recorded as it went over the wire. The contract test checks every
 * answer against the derived `2024-01-01` document. (`keys.whoami` is not in the SDK; it is
 * sent by hand, the way the SDK sends the others.)
 */
import { Unkey } from "unkey-v1";
import { ROOT_KEY } from "./harness";

/** One HTTP exchange of the session. */
export interface V1Exchange {
  /** What the call shows: `"getKey: unknown keyId"`. */
  scenario: string;
  method: string;
  /** The URL path, without the query: `/v1/keys.getKey`. */
  path: string;
  query: Record<string, string>;
  /** The JSON the client sent, if any. */
  requestBody: unknown;
  status: number;
  /** The media type of the answer, without parameters. */
  contentType: string;
  body: unknown;
}

type Fetch = typeof globalThis.fetch;

/** A fetch that records each exchange under the current scenario. */
function recordingFetch(real: Fetch, calls: V1Exchange[], scenario: () => string): Fetch {
  return async function recordedFetch(input, init) {
    const res = await real(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const text = await res.clone().text();
    const sent = typeof init?.body === "string" ? init.body : undefined;
    calls.push({
      scenario: scenario(),
      method: (init?.method ?? "GET").toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      requestBody: sent === undefined ? undefined : JSON.parse(sent),
      status: res.status,
      contentType: (res.headers.get("content-type") ?? "").split(";")[0]!.trim(),
      body: text === "" ? undefined : JSON.parse(text),
    });
    return res;
  };
}

/**
 * Run the session against a fresh server at `base` (the harness's workspace and root key) and
 * answer every exchange; `protectedApiId` names a delete-protected API to try to delete. It asserts nothing: the caller judges what came back.
 */
export async function recordV1Calls(base: string, options: { protectedApiId?: string } = {}): Promise<V1Exchange[]> {
  const calls: V1Exchange[] = [];
  let scenario = "";
  const real = globalThis.fetch;
  globalThis.fetch = recordingFetch(real, calls, () => scenario);
  try {
    const unkey = new Unkey({ rootKey: ROOT_KEY, baseUrl: base, retry: { attempts: 0 }, disableTelemetry: true });
    const wrong = new Unkey({ rootKey: "unkey_not_a_root_key", baseUrl: base, retry: { attempts: 0 }, disableTelemetry: true });
    const as = async <T>(name: string, call: () => Promise<T>): Promise<T> => {
      scenario = name;
      return call();
    };
    const whoami = (key: string) =>
      fetch(`${base}/v1/keys.whoami`, {
        method: "POST",
        headers: { Authorization: `Bearer ${ROOT_KEY}`, "Content-Type": "application/json" },
        body: JSON.stringify({ key }),
      });

    // APIs
    const apiId = (await as("createApi", () => unkey.apis.create({ name: "v1-session" }))).result!.apiId;
    const doomed = (await as("createApi: to delete", () => unkey.apis.create({ name: "doomed" }))).result!.apiId;
    await as("createApi: wrong root key (401)", () => wrong.apis.create({ name: "nope" }));
    await as("createApi: no name (400)", () => unkey.apis.create({} as never));
    await as("getApi", () => unkey.apis.get({ apiId }));
    await as("getApi: unknown apiId (404)", () => unkey.apis.get({ apiId: "api_unknown" }));

    // Permissions and roles
    const { permissionId } = (await as("createPermission", () => unkey.permissions.createPermission({ name: "documents.read", description: "Read" }))).result!;
    await as("createPermission: name only", () => unkey.permissions.createPermission({ name: "documents.write" }));
    await as("createPermission: name taken (409)", () => unkey.permissions.createPermission({ name: "documents.read" }));
    await as("getPermission", () => unkey.permissions.getPermission({ permissionId }));
    await as("getPermission: unknown (404)", () => unkey.permissions.getPermission({ permissionId: "perm_unknown" }));
    await as("listPermissions", () => unkey.permissions.listPermissions());
    const { roleId } = (await as("createRole", () => unkey.permissions.createRole({ name: "editor", description: "Edits documents" }))).result!;
    await as("createRole: name only", () => unkey.permissions.createRole({ name: "viewer" }));
    await as("createRole: name taken (409)", () => unkey.permissions.createRole({ name: "editor" }));
    await as("getRole", () => unkey.permissions.getRole({ roleId }));
    await as("getRole: unknown (404)", () => unkey.permissions.getRole({ roleId: "role_unknown" }));
    await as("listRoles", () => unkey.permissions.listRoles());

    // Identities
    const ratelimits = [{ name: "tokens", limit: 10, duration: 1000 }];
    const { identityId } = (await as("createIdentity", () => unkey.identities.create({ externalId: "customer_42", meta: { plan: "team" }, ratelimits })))
      .result!;
    await as("createIdentity: externalId only", () => unkey.identities.create({ externalId: "customer_43" }));
    await as("createIdentity: externalId taken (409)", () => unkey.identities.create({ externalId: "customer_42" }));
    await as("createIdentity: two ratelimits of one name (400)", () =>
      unkey.identities.create({ externalId: "customer_44", ratelimits: [...ratelimits, ...ratelimits] }),
    );
    await as("getIdentity: by identityId", () => unkey.identities.get({ identityId }));
    await as("getIdentity: by externalId", () => unkey.identities.get({ externalId: "customer_43" }));
    await as("getIdentity: unknown (404)", () => unkey.identities.get({ identityId: "id_unknown" }));
    await as("listIdentities", () => unkey.identities.list({ limit: 1 }));
    await as("updateIdentity", () => unkey.identities.update({ identityId, meta: { plan: "enterprise" }, ratelimits }));
    await as("updateIdentity: unknown (404)", () => unkey.identities.update({ identityId: "id_unknown", meta: {} }));

    // Keys
    const full = (
      await as("createKey: every v1 field", () =>
        unkey.keys.create({
          apiId,
          prefix: "sk",
          name: "Customer X",
          ownerId: "customer_42",
          meta: { plan: "pro" },
          roles: ["editor"],
          permissions: ["documents.read"],
          expires: Date.now() + 86_400_000,
          remaining: 3,
          refill: { interval: "monthly", amount: 3, refillDay: 15 },
          ratelimit: { async: true, limit: 100, duration: 60_000 },
          enabled: true,
          recoverable: true,
        }),
      )
    ).result!;
    const bare = (await as("createKey: apiId only", () => unkey.keys.create({ apiId }))).result!;
    await as("createKey: refill without remaining (400, from the change)", () => unkey.keys.create({ apiId, refill: { interval: "daily", amount: 1 } }));
    await as("createKey: unknown apiId (404)", () => unkey.keys.create({ apiId: "api_unknown" }));
    await as("getKey", () => unkey.keys.get({ keyId: full.keyId }));
    await as("getKey: decrypt", () => unkey.keys.get({ keyId: full.keyId, decrypt: true }));
    await as("getKey: without credits or owner", () => unkey.keys.get({ keyId: bare.keyId }));
    await as("getKey: unknown (404)", () => unkey.keys.get({ keyId: "key_unknown" }));
    scenario = "whoami";
    await whoami(full.key);
    scenario = "whoami: unknown key (404)";
    await whoami("sk_unknown");

    await as("verifyKey: VALID", () => unkey.keys.verify({ apiId, key: full.key }));
    await as("verifyKey: VALID, authorization tree", () =>
      unkey.keys.verify({
        key: full.key,
        remaining: { cost: 0 },
        authorization: { permissions: { and: ["documents.read", { or: ["documents.read", "x"] }] } },
      }),
    );
    await as("verifyKey: INSUFFICIENT_PERMISSIONS", () => unkey.keys.verify({ key: full.key, authorization: { permissions: "documents.admin" } }));
    await as("verifyKey: FORBIDDEN", () => unkey.keys.verify({ apiId: doomed, key: full.key }));
    await as("verifyKey: NOT_FOUND", () => unkey.keys.verify({ key: "sk_unknown" }));
    await as("verifyKey: spending the rest", () => unkey.keys.verify({ key: full.key, remaining: { cost: 2 } }));
    await as("verifyKey: USAGE_EXCEEDED", () => unkey.keys.verify({ key: full.key }));
    const once = (await as("createKey: one request a minute", () => unkey.keys.create({ apiId, ratelimit: { async: false, limit: 1, duration: 60_000 } })))
      .result!;
    await as("verifyKey: under the ratelimit", () => unkey.keys.verify({ key: once.key, ratelimit: { cost: 1 } }));
    await as("verifyKey: RATE_LIMITED", () => unkey.keys.verify({ key: once.key }));

    await as("updateKey", () =>
      unkey.keys.update({ keyId: bare.keyId, name: "Renamed", ownerId: "customer_43", meta: { a: 1 }, ratelimit: { limit: 5, duration: 1000 } }),
    );
    await as("updateKey: clear with null", () => unkey.keys.update({ keyId: bare.keyId, name: null, ownerId: null, meta: null, ratelimit: null }));
    await as("updateKey: credits, roles and permissions", () =>
      unkey.keys.update({
        keyId: bare.keyId,
        remaining: 10,
        refill: { interval: "daily", amount: 10 },
        roles: [{ name: "viewer" }],
        permissions: [{ name: "documents.write" }],
      }),
    );
    await as("updateKey: disable", () => unkey.keys.update({ keyId: bare.keyId, enabled: false, expires: Date.now() + 60_000 }));
    await as("verifyKey: DISABLED", () => unkey.keys.verify({ key: bare.key }));
    await as("updateKey: unknown (404)", () => unkey.keys.update({ keyId: "key_unknown", name: "x" }));
    await as("getKey: after updateKey", () => unkey.keys.get({ keyId: bare.keyId }));

    await as("updateRemaining: set", () => unkey.keys.updateRemaining({ keyId: full.keyId, op: "set", value: 10 }));
    await as("updateRemaining: increment", () => unkey.keys.updateRemaining({ keyId: full.keyId, op: "increment", value: 5 }));
    await as("updateRemaining: decrement", () => unkey.keys.updateRemaining({ keyId: full.keyId, op: "decrement", value: 1 }));
    await as("updateRemaining: unlimited", () => unkey.keys.updateRemaining({ keyId: full.keyId, op: "set", value: null }));
    await as("updateRemaining: increment unlimited (400)", () => unkey.keys.updateRemaining({ keyId: full.keyId, op: "increment", value: 1 }));
    await as("updateRemaining: unknown (404)", () => unkey.keys.updateRemaining({ keyId: "key_unknown", op: "set", value: 1 }));

    const k = bare.keyId;
    await as("addPermissions", () =>
      unkey.keys.addPermissions({ keyId: k, permissions: [{ name: "documents.read" }, { name: "documents.admin", create: true }] }),
    );
    await as("addPermissions: unknown permission (404)", () => unkey.keys.addPermissions({ keyId: k, permissions: [{ name: "documents.nope" }] }));
    await as("removePermissions", () => unkey.keys.removePermissions({ keyId: k, permissions: [{ name: "documents.admin" }] }));
    await as("setPermissions", () => unkey.keys.setPermissions({ keyId: k, permissions: [{ id: permissionId }, { name: "documents.write" }] }));
    await as("setPermissions: unknown key (404)", () => unkey.keys.setPermissions({ keyId: "key_unknown", permissions: [] }));
    await as("addRoles", () => unkey.keys.addRoles({ keyId: k, roles: [{ name: "editor" }] }));
    await as("removeRoles", () => unkey.keys.removeRoles({ keyId: k, roles: [{ name: "editor" }] }));
    await as("setRoles", () => unkey.keys.setRoles({ keyId: k, roles: [{ id: roleId }, { name: "viewer" }] }));
    await as("setRoles: unknown role (404)", () => unkey.keys.setRoles({ keyId: k, roles: [{ name: "role_unknown" }] }));

    const page = (await as("listKeys: first page", () => unkey.apis.listKeys({ apiId, limit: 2 }))).result!;
    await as("listKeys: next page", () => unkey.apis.listKeys({ apiId, limit: 2, cursor: page.cursor }));
    await as("listKeys: by ownerId, decrypted", () => unkey.apis.listKeys({ apiId, ownerId: "customer_42", decrypt: true }));
    await as("listKeys: a limit that is not a number (400, from the change)", () => unkey.apis.listKeys({ apiId, limit: "lots" as unknown as number }));
    await as("listKeys: unknown apiId (404)", () => unkey.apis.listKeys({ apiId: "api_unknown" }));

    // Ratelimit overrides
    const { overrideId } = (
      await as("setOverride", () => unkey.ratelimits.setOverride({ namespaceName: "email", identifier: "user_7", limit: 50, duration: 60_000, async: true }))
    ).result!;
    await as("setOverride: a wildcard", () => unkey.ratelimits.setOverride({ namespaceName: "email", identifier: "spam_*", limit: 0, duration: 1000 }));
    await as("getOverride", () => unkey.ratelimits.getOverride({ namespaceName: "email", identifier: "user_7" }));
    await as("getOverride: unknown (404)", () => unkey.ratelimits.getOverride({ namespaceName: "email", identifier: "user_0" }));
    const overrides = (await as("listOverrides: first page", () => unkey.ratelimits.listOverrides({ namespaceName: "email", limit: 1 }))).result!;
    await as("listOverrides: next page", () => unkey.ratelimits.listOverrides({ namespaceName: "email", cursor: overrides.cursor }));
    await as("listOverrides: unknown namespace (404)", () => unkey.ratelimits.listOverrides({ namespaceName: "sms" }));
    await as("deleteOverride", () => unkey.ratelimits.deleteOverride({ namespaceName: "email", identifier: "spam_*" }));
    await as("deleteOverride: already deleted (404)", () => unkey.ratelimits.deleteOverride({ namespaceName: "email", identifier: "spam_*" }));
    void overrideId;

    // Deletions
    await as("deleteKey", () => unkey.keys.delete({ keyId: bare.keyId }));
    await as("deleteKey: already deleted (404)", () => unkey.keys.delete({ keyId: bare.keyId }));
    await as("deleteKey: permanent", () => unkey.keys.delete({ keyId: once.keyId, permanent: true }));
    await as("deleteRole", () => unkey.permissions.deleteRole({ roleId }));
    await as("deleteRole: unknown (404)", () => unkey.permissions.deleteRole({ roleId }));
    await as("deletePermission", () => unkey.permissions.deletePermission({ permissionId }));
    await as("deletePermission: unknown (404)", () => unkey.permissions.deletePermission({ permissionId }));
    await as("deleteIdentity", () => unkey.identities.delete({ identityId }));
    await as("deleteIdentity: unknown (404)", () => unkey.identities.delete({ identityId }));
    if (options.protectedApiId) await as("deleteApi: delete protected (429)", () => unkey.apis.delete({ apiId: options.protectedApiId! }));
    await as("deleteApi", () => unkey.apis.delete({ apiId: doomed }));
    await as("deleteApi: unknown (404)", () => unkey.apis.delete({ apiId: doomed }));
  } finally {
    globalThis.fetch = real;
  }
  return calls;
}
