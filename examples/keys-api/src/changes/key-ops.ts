import { change } from "@strata/core";
import { bodyOf, dataOf, isObject, rename } from "./util";

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
});
