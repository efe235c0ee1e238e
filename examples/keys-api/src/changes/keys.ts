import { addField, change, removeField, renameField, type JsonObject } from "@strata/core";
import type { Lookups } from "./lookups";
import { props } from "./schema-edit";
import { isObject } from "./util";
import { V1_KEY_IDENTITY } from "./v1-schemas";

/**
 * A key resource, wherever it appears in a response (getKey, listKeys, whoami): v2 keys have
 * `keyId`, v1 keys `id`. Request bodies never carry `start` and `createdAt`, so these changes
 * act on responses only.
 */
export const isKey = (o: JsonObject): boolean =>
  typeof o.start === "string" && typeof o.createdAt === "number" && (typeof o.keyId === "string" || typeof o.id === "string");

const idOf = (key: JsonObject) => String(key.keyId ?? key.id);

export const keysReportLastUsedAt = addField("key", "lastUsedAt", {
  description: "Keys report `lastUsedAt`, when the key was last verified successfully (unix ms).",
});

export const keyIdRenamed = renameField("key", "id", "keyId", { description: "A key's id is `keyId` (was `id`)." });

/**
 * `removeField()` by hand: its schema delta cannot say the field was required, and every v1
 * key carried its workspace.
 */
export const keyWorkspaceIdRemoved = (lookups: Lookups) =>
  change({
    description: "Keys no longer carry `workspaceId`: the root key names the workspace.",
    resource: "key",
    request: (key) => {
      delete key.workspaceId;
    },
    response: (key) => {
      key.workspaceId = lookups.keyOwner(idOf(key))?.workspaceId;
    },
    schema: [
      { op: "removeField", resource: "key", field: "workspaceId", schema: { type: "string", description: "The workspace that owns the key." }, required: true },
    ],
  });

export const keyApiIdRemoved = (lookups: Lookups) =>
  removeField("key", "apiId", {
    description: "Keys no longer carry `apiId`: keys are read by id, and listed per API.",
    value: (key: JsonObject) => lookups.keyOwner(idOf(key))?.apiId,
    schema: { type: "string", description: "The API the key belongs to." },
  });

export const keyIdentityIncludesRatelimits = change({
  description: "A key's `identity` includes the identity's `ratelimits`.",
  resource: "key",
  response: (key) => {
    if (isObject(key.identity)) delete key.identity.ratelimits;
  },
  schema: (_document, tools) => {
    for (const key of tools.resourceSchemas("key")) props(key).identity = structuredClone(V1_KEY_IDENTITY);
  },
});
