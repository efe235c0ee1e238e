import type { Schema } from "./schema-edit";

/**
 * JSON Schema fragments of Unkey's v1 wire format (as `@unkey/api@0.38` declares it) that
 * several changes' schema deltas put back, with keys-api's own rules where it checks more
 * than the SDK says (a ratelimit needs a duration, say).
 */

const str: Schema = { type: "string" };
const int: Schema = { type: "integer" };
const meta: Schema = { type: "object", additionalProperties: true };

/** `{id, name}`: what v1 answered for the permissions and roles keys.add/setPermissions and add/setRoles attached. */
export const V1_NAMED: Schema = { type: "object", required: ["id", "name"], properties: { id: str, name: str } };

/** A key's identity in v1 keys (getKey, listKeys): no ratelimits. */
export const V1_KEY_IDENTITY: Schema = {
  type: "object",
  description: "The identity of the key.",
  required: ["id", "externalId"],
  properties: { id: str, externalId: str, meta: { ...meta, description: "The identity's `meta`, when it has one." } },
};

/** A key's identity in v1 verifications: `meta` always there (`{}` when the identity has none). */
export const V1_VERIFY_IDENTITY: Schema = {
  type: "object",
  description: "The identity of the key.",
  required: ["id", "externalId", "meta"],
  properties: { id: str, externalId: str, meta },
};

/** An identity's ratelimit in v1: no `id`, no `autoApply`. */
export const V1_IDENTITY_RATELIMIT: Schema = {
  type: "object",
  required: ["name", "limit", "duration"],
  properties: {
    name: str,
    limit: { ...int, description: "Requests allowed per window." },
    duration: { ...int, description: "Window length in milliseconds." },
  },
};

/** The one ratelimit of a v1 key, as v1 answered it: v2's auto-applied ratelimit (the one named "default"). */
export const V1_KEY_RATELIMIT: Schema = {
  type: "object",
  description: "The key's ratelimit. `async` is always false; `refillRate` and `refillInterval` repeat `limit` and `duration`.",
  required: ["async", "limit", "duration"],
  properties: {
    async: { type: "boolean" },
    limit: { ...int, description: "Requests allowed per window." },
    refillRate: int,
    refillInterval: int,
    duration: { ...int, description: "Window length in milliseconds." },
  },
};

/** The one ratelimit a v1 client gives a key (createKey, updateKey). */
export const V1_RATELIMIT_INPUT: Schema = {
  type: "object",
  description: 'The key\'s ratelimit: it becomes the auto-applied v2 ratelimit named "default". `async`, `type` and `refillRate` are accepted and ignored.',
  required: ["limit"],
  properties: {
    async: { type: "boolean" },
    type: { type: "string", enum: ["fast", "consistent"] },
    limit: { ...int, minimum: 1, description: "Requests allowed per window." },
    duration: { ...int, minimum: 1000, description: "Window length in milliseconds." },
    refillRate: int,
    refillInterval: { ...int, minimum: 1000, description: "The older name of `duration`, read when `duration` is not given." },
  },
  anyOf: [{ required: ["duration"] }, { required: ["refillInterval"] }],
};

/** A v1 permission reference of keys.add/remove/setPermissions and keys.updateKey: an object with these fields. */
export function v1PermissionReference(fields: readonly ("id" | "name" | "slug" | "create")[]): Schema {
  const all: Record<string, Schema> = {
    id: { type: "string", minLength: 1 },
    name: { type: "string", minLength: 1, description: "The permission's name: its slug." },
    slug: { type: "string", minLength: 1 },
    create: { type: "boolean", default: false, description: "Create the permission if there is none of that name." },
  };
  return {
    type: "object",
    properties: Object.fromEntries(fields.map((f) => [f, all[f]])),
    anyOf: fields.filter((f) => f !== "create").map((f) => ({ required: [f] })),
  };
}

/** v1's `PermissionQuery`: a permission, or `{and: [...]}` / `{or: [...]}` of queries, or null. */
export const PERMISSION_QUERY: Schema = {
  description: "A query for which permissions you require.",
  oneOf: [
    { type: "string", minLength: 1 },
    { type: "object", required: ["and"], properties: { and: { type: "array", items: { $ref: "#/components/schemas/PermissionQuery" } } } },
    { type: "object", required: ["or"], properties: { or: { type: "array", items: { $ref: "#/components/schemas/PermissionQuery" } } } },
    { type: "null" },
  ],
};

/** A page of a v1 list: `{<items>: [...], cursor?, total}`. */
export function v1Page(items: string, item: Schema): Schema {
  return {
    type: "object",
    required: [items, "total"],
    properties: {
      [items]: { type: "array", items: item },
      cursor: { type: "string", description: "Pass as `cursor` to get the next page; absent on the last page." },
      total: { type: "integer", description: "How many there are in all." },
    },
  };
}
