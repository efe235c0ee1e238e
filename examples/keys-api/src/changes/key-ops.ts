import { change } from "@strata/core";
import { eachOperation, renameBack, reword, type Schema } from "./schema-edit";
import { bodyOf, dataOf, isObject, rename } from "./util";

/** v1's whoami answer. */
const V1_WHOAMI: Schema = {
  type: "object",
  required: ["id", "createdAt", "enabled"],
  properties: {
    id: { type: "string", description: "The key's id." },
    name: { type: "string" },
    remaining: { type: "integer", description: "Verifications left; absent for unlimited keys." },
    identity: { type: "object", required: ["id", "externalId"], properties: { id: { type: "string" }, externalId: { type: "string" } } },
    meta: { type: "object", additionalProperties: true },
    createdAt: { type: "integer", description: "Unix milliseconds." },
    enabled: { type: "boolean" },
  },
};

export const whoamiAnswersFullKey = change({
  description: "keys.whoami answers the full key, like keys.getKey (was `{id, name, remaining, identity, meta, createdAt, enabled}`).",
  routes: "POST /v2/keys.whoami",
  response: (res) => {
    const key = dataOf(res.body);
    if (!isObject(key) || !isObject(res.body)) return;
    const identity = isObject(key.identity) ? { id: key.identity.id, externalId: key.identity.externalId } : undefined;
    const remaining = isObject(key.credits) && typeof key.credits.remaining === "number" ? key.credits.remaining : undefined;
    res.body.data = {
      id: key.keyId,
      ...(key.name !== undefined ? { name: key.name } : {}),
      ...(remaining !== undefined ? { remaining } : {}),
      ...(identity ? { identity } : {}),
      ...(key.meta !== undefined ? { meta: key.meta } : {}),
      createdAt: key.createdAt,
      enabled: key.enabled,
    };
  },
  schema: (_document, tools) => {
    eachOperation(tools, "POST /v2/keys.whoami", (op) => {
      op.setData(V1_WHOAMI);
      reword(op.operation, "The key (as keys.getKey answers it)", "The key's id, name, remaining credits, identity, meta, creation time and state");
    });
    for (const key of tools.resourceSchemas("key"))
      reword(key, "keys.getKey, keys.whoami and apis.listKeys answer it (`KeyResponseData` in the SDK)", "keys.getKey and apis.listKeys answer it");
  },
});

export const updateCreditsTakesOperation = change({
  description: "keys.updateCredits takes `operation` (was `op`: set, increment or decrement) and answers the key's credits with their `refill`.",
  routes: "POST /v2/keys.updateCredits",
  request: (req) => {
    const body = bodyOf(req);
    if (body) rename(body, "op", "operation");
  },
  response: (res) => {
    const data = dataOf(res.body);
    if (isObject(data)) delete data.refill;
  },
  schema: (_document, tools) =>
    eachOperation(tools, "POST /v2/keys.updateCredits", (op) => {
      renameBack(op.body(), { operation: "op" });
      op.setData({
        type: "object",
        required: ["remaining"],
        properties: { remaining: { type: ["integer", "null"], description: "Verifications left; `null` for unlimited." } },
      });
      reword(op.operation, "Answers the key's credits.", "Answers the key's `remaining`.");
    }),
});
