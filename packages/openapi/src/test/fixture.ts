import {
  addEndpoint,
  addField,
  change,
  defineVersions,
  moveEndpoint,
  moveQueryToBody,
  removeField,
  renameEnumValues,
  renameField,
  type JsonObject,
  type VersionDefinition,
} from "@strata/core";

/** A small head document: keys, read by POST with a JSON body, listed, and a newer whoami. */
export function headDocument(): JsonObject {
  const keyRef = { $ref: "#/components/schemas/Key" };
  const ok = (schema: JsonObject, example: unknown) => ({
    description: "OK",
    content: { "application/json": { schema, examples: { basic: { value: example } } } },
  });
  const key = { id: "key_1", externalId: "user_1", status: "enabled", lastUsedAt: 1700000000000 };
  return {
    openapi: "3.1.0",
    info: { title: "Keys", version: "2025-01-01", description: "Keys API." },
    paths: {
      "/v2/keys.getKey": {
        post: {
          operationId: "getKey",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["keyId"],
                  properties: { keyId: { type: "string", description: "The key." }, decrypt: { type: "boolean" } },
                },
                examples: { basic: { value: { keyId: "key_1", decrypt: true } } },
              },
            },
          },
          responses: {
            "200": ok(keyRef, key),
            "404": { description: "Not found", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
          },
        },
      },
      "/v2/apis/{apiId}/keys": {
        parameters: [{ name: "apiId", in: "path", required: true, schema: { type: "string" }, example: "api_1" }],
        get: {
          operationId: "listKeys",
          parameters: [{ name: "keyPrefix", in: "query", schema: { type: "string" } }],
          responses: { "200": ok({ type: "object", required: ["keys"], properties: { keys: { type: "array", items: keyRef } } }, { keys: [key] }) },
        },
      },
      "/v2/keys.whoami": {
        post: {
          operationId: "whoami",
          requestBody: { content: { "application/json": { schema: { type: "object", properties: { key: { type: "string" } } } } } },
          responses: { "200": ok(keyRef, key) },
        },
      },
    },
    components: {
      schemas: {
        Key: {
          type: "object",
          required: ["id", "externalId", "status"],
          properties: {
            id: { type: "string" },
            externalId: { type: "string", description: "Who owns it." },
            status: { type: "string", enum: ["enabled", "disabled"] },
            lastUsedAt: { type: "integer" },
          },
        },
        Error: { type: "object", properties: { message: { type: "string" } } },
      },
    },
  };
}

export const ownerIdRenamed = renameField("key", "ownerId", "externalId");
export const lastUsedAdded = addField("key", "lastUsedAt");
export const workspaceRemoved = removeField("key", "workspaceId", { value: "ws_1", schema: { type: "string", description: "The workspace." } });
export const statusRenamed = renameEnumValues("key", "status", { on: "enabled", off: "disabled" });
export const getKeyBecomesPost = moveQueryToBody("GET /v1/keys.getKey", "POST /v2/keys.getKey", { types: { decrypt: "boolean" } });
export const listMoved = moveEndpoint("GET /v1/keys/:apiId", "GET /v2/apis/:apiId/keys");
export const whoamiAdded = addEndpoint("POST /v2/keys.whoami");
/** Hand-written, with no schema delta: the documents older than it are approximate. */
export const prefixNamedStart = change({
  description: "`start` on keys is named `prefix`... in the handler only.",
  resource: "key",
  response: () => undefined,
});

/** The fixture's versions; `head` adds changes to the newest version, `mid` to the middle one (first: their responses run last). */
export function fixtureVersions(extra: { head?: VersionDefinition["changes"]; mid?: VersionDefinition["changes"] } = {}) {
  return defineVersions({
    resources: { key: (o) => typeof o.id === "string" && String(o.id).startsWith("key_") },
    versions: [
      { id: "2025-01-01", changes: [lastUsedAdded, whoamiAdded, ...(extra.head ?? [])] },
      { id: "2024-06-01", changes: [...(extra.mid ?? []), getKeyBecomesPost, listMoved, ownerIdRenamed, workspaceRemoved, statusRenamed, prefixNamedStart] },
      { id: "2024-01-01", deprecatedAt: "2024-06-01" },
    ],
  });
}
