import { change } from "@strata/core";
import type { Lookups } from "./lookups";
import { addProps, eachOperation, ref, replaceProp, reword, type EditedOperation, type Schema } from "./schema-edit";
import { bodyOf, dataOf, each, invalidRequest, isObject, rename, v1Ratelimit, V1_RATELIMIT } from "./util";
import { V1_KEY_RATELIMIT, V1_NAMED, V1_RATELIMIT_INPUT, v1PermissionReference } from "./v1-schemas";

/**
 * Key fields that changed in both directions: what clients send to createKey / updateKey (and
 * the listKeys filter), and what getKey / listKeys / verifyKey answer.
 */
const WRITES = ["POST /v2/keys.createKey", "POST /v2/keys.updateKey"];
const READS = ["POST /v2/keys.getKey", "POST /v2/apis.listKeys"];
const [CREATE, UPDATE] = WRITES as [string, string];
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: "null" }] });

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
  // v1 took `ownerId` beside `externalId` (createKey, updateKey, the listKeys filter) and keys answered it.
  schema: (_document, tools) => {
    const ownerId: Schema = { type: "string", minLength: 1, description: "Your id for the key's owner: the externalId of the identity the key belongs to." };
    eachOperation(tools, CREATE, (op) => addProps(op.body(), { ownerId }));
    eachOperation(tools, UPDATE, (op) => addProps(op.body(), { ownerId: { ...ownerId, type: ["string", "null"] } }));
    eachOperation(tools, "POST /v2/apis.listKeys", (op) => addProps(op.body(), { ownerId: { ...ownerId, description: "Only the keys of this owner." } }));
    for (const key of tools.resourceSchemas("key")) addProps(key, { ownerId: { type: "string", description: "The externalId of the key's identity." } });
    eachOperation(tools, "POST /v2/keys.verifyKey", (op) =>
      addProps(op.data(), { ownerId: { type: "string", description: "The externalId of the key's identity." } }),
    );
  },
});

export const keysHaveNoEnvironment = change({
  description: "Keys have no `environment` (v1's keys.createKey took one).",
  routes: CREATE,
  request: (req) => {
    const body = bodyOf(req);
    if (body) delete body.environment;
  },
  schema: (_document, tools) =>
    eachOperation(tools, CREATE, (op) =>
      addProps(op.body(), { environment: { type: "string", description: "Accepted and dropped: keys-api keeps no environment." } }),
    ),
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
  schema: (_document, tools) => {
    const remaining: Schema = { type: "integer", minimum: 0, description: "Verifications left; absent for unlimited keys." };
    eachOperation(tools, CREATE, (op) => {
      const body = op.body();
      replaceProp(body, "credits", { remaining, refill: ref("KeyCreditsRefill") });
      body.dependentRequired = { refill: ["remaining"] };
    });
    eachOperation(tools, UPDATE, (op) =>
      replaceProp(op.body(), "credits", {
        remaining: { ...remaining, type: ["integer", "null"], description: "Verifications left; `null` for unlimited (which drops the refill)." },
        refill: { ...nullable(ref("KeyCreditsRefill")), description: "`null` removes the refill." },
      }),
    );
    for (const key of tools.resourceSchemas("key")) replaceProp(key, "credits", { remaining, refill: ref("KeyCreditsRefill") });
  },
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
      if (given === null) {
        body.ratelimits = current.filter((r) => r !== shown);
        return;
      }
      if (!isObject(given)) throw invalidRequest("`ratelimit` must be an object or null.");
      const duration = given.duration ?? given.refillInterval;
      if (typeof given.limit !== "number" || typeof duration !== "number")
        throw invalidRequest("`ratelimit` needs `limit` and `duration` (or the older `refillInterval`).");
      // The one v1 shows keeps its v2 name; a first one is "default", in place of any v2 ratelimit of that name.
      const name = shown?.name ?? V1_RATELIMIT;
      body.ratelimits = [...current.filter((r) => r !== shown && r.name !== name), { name, limit: given.limit, duration, autoApply: true }];
    },
    response: (res) =>
      each(dataOf(res.body), (key) => {
        if (!("ratelimits" in key)) return;
        const shown = v1Ratelimit(key.ratelimits);
        delete key.ratelimits;
        if (shown) key.ratelimit = { async: false, limit: shown.limit, duration: shown.duration, refillRate: shown.limit, refillInterval: shown.duration };
      }),
    schema: (_document, tools) => {
      eachOperation(tools, CREATE, (op) => replaceProp(op.body(), "ratelimits", { ratelimit: V1_RATELIMIT_INPUT }));
      eachOperation(tools, UPDATE, (op) => {
        replaceProp(op.body(), "ratelimits", { ratelimit: { ...nullable(V1_RATELIMIT_INPUT), description: "`null` removes it." } });
        reword(op.operation, "`ratelimits`, `roles`", `\`ratelimit\` replaces the key's "${V1_RATELIMIT}" ratelimit and keeps its others; \`roles\``);
      });
      eachOperation(tools, "POST /v2/keys.getKey", ({ operation }) => reword(operation, "identity and ratelimits", "identity and ratelimit"));
      for (const key of tools.resourceSchemas("key")) replaceProp(key, "ratelimits", { ratelimit: V1_KEY_RATELIMIT });
    },
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
  // v1 named a permission by an object of these fields (the SDK's types, op by op).
  schema: (_document, tools) => {
    const fields = {
      "POST /v2/keys.addPermissions": ["id", "name", "create"],
      "POST /v2/keys.removePermissions": ["id", "name", "slug"],
      "POST /v2/keys.setPermissions": ["id", "name", "slug", "create"],
      [UPDATE]: ["id", "name", "create"],
    } as const;
    for (const [route, names] of Object.entries(fields))
      eachOperation(tools, route, (op) => addProps(op.body(), { permissions: { type: "array", items: v1PermissionReference(names) } }));
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
  schema: (_document, tools) => {
    const removals = ["POST /v2/keys.removePermissions", "POST /v2/keys.removeRoles"];
    const answers = /Answers the key's (direct permissions|roles) afterwards(, with their permissions)?\./;
    const v1Answer = (op: EditedOperation, answer: string) => {
      reword(op.operation, answers.exec(String(op.operation.description))?.[0] ?? "Answers the key's … afterwards.", answer);
    };
    eachOperation(tools, removals, (op) => {
      op.setData(ref("EmptyResponse"));
      v1Answer(op, "Answers `{}`.");
    });
    eachOperation(
      tools,
      [...PERMISSION_OPS, ...ROLE_OPS].filter((r) => !removals.includes(r)),
      (op) => {
        op.setData({ type: "array", items: V1_NAMED });
        v1Answer(op, `Answers \`{id, name}\` of the ${op.path.includes("Roles") ? "roles" : "permissions"} it named.`);
      },
    );
  },
});
