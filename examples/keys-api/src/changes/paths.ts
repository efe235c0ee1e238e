import { moveEndpoint, moveEndpoints, moveQueryToBody } from "@strata/core";

/**
 * v1's reads were GETs with query strings; v2 has only POSTs with JSON bodies. Query values
 * are strings, so `types` says which become numbers or booleans.
 */
export const getRequestsBecomePosts = [
  moveQueryToBody("GET /v1/keys.getKey", "POST /v2/keys.getKey", { types: { decrypt: "boolean" } }),
  moveQueryToBody("GET /v1/apis.getApi", "POST /v2/apis.getApi"),
  moveQueryToBody("GET /v1/apis.listKeys", "POST /v2/apis.listKeys", { types: { limit: "number", decrypt: "boolean", revalidateKeysCache: "boolean" } }),
  moveQueryToBody("GET /v1/identities.getIdentity", "POST /v2/identities.getIdentity"),
  moveQueryToBody("GET /v1/identities.listIdentities", "POST /v2/identities.listIdentities", { types: { limit: "number" } }),
  moveQueryToBody("GET /v1/permissions.getPermission", "POST /v2/permissions.getPermission"),
  moveQueryToBody("GET /v1/permissions.listPermissions", "POST /v2/permissions.listPermissions"),
  moveQueryToBody("GET /v1/permissions.getRole", "POST /v2/permissions.getRole"),
  moveQueryToBody("GET /v1/permissions.listRoles", "POST /v2/permissions.listRoles"),
  moveQueryToBody("GET /v1/ratelimits.getOverride", "POST /v2/ratelimit.getOverride"),
  moveQueryToBody("GET /v1/ratelimits.listOverrides", "POST /v2/ratelimit.listOverrides", { types: { limit: "number" } }),
];

export const updateRemainingRenamed = moveEndpoint("POST /v1/keys.updateRemaining", "POST /v2/keys.updateCredits", {
  description: "keys.updateRemaining is renamed keys.updateCredits.",
});

export const ratelimitNamespaceRenamed = moveEndpoints(
  [
    ["POST /v1/ratelimits.setOverride", "POST /v2/ratelimit.setOverride"],
    ["POST /v1/ratelimits.deleteOverride", "POST /v2/ratelimit.deleteOverride"],
  ],
  { description: "The `ratelimits.*` operations are renamed `ratelimit.*` (setOverride, deleteOverride; the reads moved with their GET -> POST change)." },
);

/** Every v1 operation that was already a POST; each keeps its name under /v2. */
const V1_POSTS = [
  "keys.createKey",
  "keys.verifyKey",
  "keys.updateKey",
  "keys.deleteKey",
  "keys.whoami",
  "keys.addPermissions",
  "keys.removePermissions",
  "keys.setPermissions",
  "keys.addRoles",
  "keys.removeRoles",
  "keys.setRoles",
  "apis.createApi",
  "apis.deleteApi",
  "identities.createIdentity",
  "identities.updateIdentity",
  "identities.deleteIdentity",
  "permissions.createPermission",
  "permissions.deletePermission",
  "permissions.createRole",
  "permissions.deleteRole",
];

export const v1PathsMoveToV2 = moveEndpoints(
  V1_POSTS.map((op) => [`POST /v1/${op}`, `POST /v2/${op}`] as const),
  { description: "Every endpoint moved from `/v1/` to `/v2/`." },
);
