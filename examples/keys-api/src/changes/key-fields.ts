import { change } from "@strata/core";
import type { Lookups } from "./lookups";
import { bodyOf, dataOf, each, invalidRequest, isObject, rename, v1Ratelimit, V1_RATELIMIT } from "./util";

/**
 * Key fields that changed in both directions: what clients send to createKey / updateKey (and
 * the listKeys filter), and what getKey / listKeys / verifyKey answer.
 */
const WRITES = ["POST /v2/keys.createKey", "POST /v2/keys.updateKey"];
const READS = ["POST /v2/keys.getKey", "POST /v2/apis.listKeys"];

export const ownerIdBecomesExternalId = change({
  description: "`ownerId` is replaced by `externalId`, which links the key to an identity; keys answer it as `identity.externalId`.",
  routes: [...WRITES, ...READS, "POST /v2/keys.verifyKey"],
  request: (req) => {
    const body = bodyOf(req);
    if (body) rename(body, "ownerId", "externalId");
  },
  response: (res) =>
    each(dataOf(res.body), (key) => {
      if (isObject(key.identity) && typeof key.identity.externalId === "string") key.ownerId = key.identity.externalId;
    }),
});

export const remainingAndRefillBecomeCredits = change({
  description: "`remaining` and `refill` are merged into one `credits` object: `{remaining, refill: {interval, amount, refillDay}}`.",
  routes: [...WRITES, ...READS],
  request: (req) => {
    const body = bodyOf(req);
    if (!body || (body.remaining === undefined && body.refill === undefined)) return;
    const creating = req.path === "/v2/keys.createKey";
    if (creating && body.refill != null && body.remaining == null) throw invalidRequest("`refill` needs `remaining`: a key refills the credits it has.");
    const credits: Record<string, unknown> = creating ? { remaining: body.remaining ?? null } : {};
    if (!creating && body.remaining !== undefined) credits.remaining = body.remaining;
    if (body.refill !== undefined) credits.refill = body.refill;
    delete body.remaining;
    delete body.refill;
    body.credits = credits;
  },
  response: (res) =>
    each(dataOf(res.body), (key) => {
      if (!isObject(key.credits)) return;
      if (typeof key.credits.remaining === "number") key.remaining = key.credits.remaining;
      if (isObject(key.credits.refill)) key.refill = key.credits.refill;
      delete key.credits;
    }),
});

export const ratelimitBecomesRatelimits = (lookups: Lookups) =>
  change({
    description: `A key's one \`ratelimit\` becomes a list of named \`ratelimits\`; v1's is the one named "${V1_RATELIMIT}", applied on every verification (\`autoApply\`). \`async\` and \`type\` are gone.`,
    routes: [...WRITES, ...READS],
    request: (req) => {
      const body = bodyOf(req);
      if (!body || !("ratelimit" in body)) return;
      const given = body.ratelimit;
      delete body.ratelimit;
      // v2 replaces the whole list; keep the limits a v1 client cannot see.
      const current = req.path === "/v2/keys.updateKey" && typeof body.keyId === "string" ? lookups.keyRatelimits(body.keyId) : [];
      const shown = v1Ratelimit(current);
      const others = current.filter((r) => r !== shown);
      if (given === null) {
        body.ratelimits = others;
        return;
      }
      if (!isObject(given)) throw invalidRequest("`ratelimit` must be an object or null.");
      const duration = given.duration ?? given.refillInterval;
      if (typeof given.limit !== "number" || typeof duration !== "number")
        throw invalidRequest("`ratelimit` needs `limit` and `duration` (or the older `refillInterval`).");
      body.ratelimits = [...others, { name: V1_RATELIMIT, limit: given.limit, duration, autoApply: true }];
    },
    response: (res) =>
      each(dataOf(res.body), (key) => {
        if (!("ratelimits" in key)) return;
        const shown = v1Ratelimit(key.ratelimits);
        delete key.ratelimits;
        if (shown) key.ratelimit = { async: false, limit: shown.limit, duration: shown.duration, refillRate: shown.limit, refillInterval: shown.duration };
      }),
  });

const PERMISSION_OPS = ["POST /v2/keys.addPermissions", "POST /v2/keys.removePermissions", "POST /v2/keys.setPermissions"];
const ROLE_OPS = ["POST /v2/keys.addRoles", "POST /v2/keys.removeRoles", "POST /v2/keys.setRoles"];

export const permissionsNamedBySlug = change({
  description: "Permissions are referred to by `slug` (v1 used the permission's `name`).",
  routes: [...PERMISSION_OPS, "POST /v2/keys.updateKey"],
  request: (req) => {
    const list = bodyOf(req)?.permissions;
    if (Array.isArray(list)) list.forEach((p) => isObject(p) && rename(p, "name", "slug"));
  },
});

/** The ids and names a request refers to, to tell which entries of the answer it added. */
function namesIn(list: unknown): Set<unknown> {
  const names = new Set<unknown>();
  if (!Array.isArray(list)) return names;
  for (const r of list) {
    if (!isObject(r)) names.add(r);
    else for (const n of [r.id, r.slug, r.name]) if (n !== undefined) names.add(n);
  }
  return names;
}

export const keyAccessOpsAnswerAll = change({
  description:
    "keys.add/remove/setPermissions and keys.add/remove/setRoles answer all of the key's permissions or roles after the change, as full objects (v1: `{id, name}` of those added or set, `{}` for removals).",
  routes: [...PERMISSION_OPS, ...ROLE_OPS],
  request: (req, ctx) => {
    const body = bodyOf(req);
    ctx.state.requested = namesIn(body?.permissions ?? body?.roles);
    ctx.state.removal = /\.remove(Permissions|Roles)$/.test(req.path);
  },
  response: (res, ctx) => {
    if (!isObject(res.body) || !Array.isArray(res.body.data)) return;
    if (ctx.state.removal === true) {
      res.body.data = {};
      return;
    }
    const requested = ctx.state.requested as Set<unknown>;
    res.body.data = res.body.data
      .filter((x): x is Record<string, unknown> => isObject(x) && (requested.has(x.id) || requested.has(x.slug) || requested.has(x.name)))
      .map((x) => ({ id: x.id, name: x.name }));
  },
});
