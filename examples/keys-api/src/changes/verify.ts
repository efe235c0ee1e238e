import { change } from "@strata/core";
import { formatPermissionQuery, type PermissionTree } from "../permission-query";
import { addProps, componentSchemas, eachOperation, props, ref, renameBack, replaceProp, reword } from "./schema-edit";
import { bodyOf, dataOf, invalidRequest, isObject, rename, v1Ratelimit, V1_RATELIMIT } from "./util";
import { PERMISSION_QUERY, V1_VERIFY_IDENTITY } from "./v1-schemas";

const VERIFY = "POST /v2/keys.verifyKey";

/** Asked by the verifyKey handler: older clients still get their `apiId` checked. */
export const verifyKeyIgnoresApiId = change({
  description:
    "keys.verifyKey ignores `apiId`: which APIs a root key may verify keys of is set by its permissions (v1: a key of another API answered code `FORBIDDEN`).",
  sideEffect: true,
  // v1's `apiId` is not deprecated: it is checked.
  schema: (_document, tools) =>
    eachOperation(tools, VERIFY, (op) => {
      const apiId = props(op.body()).apiId as Record<string, unknown>;
      delete apiId.deprecated;
      apiId.description = "The API the key must belong to: a key of another API verifies as `FORBIDDEN`.";
    }),
});

export const verifyCostMovesToCredits = change({
  description: "keys.verifyKey takes the cost as `credits: {cost}` (was `remaining: {cost}`) and answers the credits left as `credits` (was `remaining`).",
  routes: VERIFY,
  request: (req) => {
    const body = bodyOf(req);
    if (body) rename(body, "remaining", "credits");
  },
  response: (res) => {
    const data = dataOf(res.body);
    if (isObject(data)) rename(data, "credits", "remaining");
  },
  schema: (_document, tools) =>
    eachOperation(tools, VERIFY, (op) => {
      renameBack(op.body(), { credits: "remaining" });
      renameBack(op.data(), { credits: "remaining" });
    }),
});

export const verifyRatelimitsByName = change({
  description: `keys.verifyKey checks and reports named \`ratelimits\` (was one \`ratelimit: {cost}\` in, \`ratelimit: {limit, remaining, reset}\` out: the key's "${V1_RATELIMIT}").`,
  routes: VERIFY,
  request: (req) => {
    const body = bodyOf(req);
    if (!body || body.ratelimit === undefined) return;
    const cost = isObject(body.ratelimit) && typeof body.ratelimit.cost === "number" ? body.ratelimit.cost : 1;
    delete body.ratelimit;
    const named = Array.isArray(body.ratelimits) ? body.ratelimits : [];
    if (!named.some((r) => isObject(r) && r.name === V1_RATELIMIT)) body.ratelimits = [...named, { name: V1_RATELIMIT, cost }];
  },
  response: (res) => {
    const data = dataOf(res.body);
    if (!isObject(data) || !Array.isArray(data.ratelimits)) return;
    const list = data.ratelimits.filter(isObject);
    // The one to report: the limit that turned the request away, else the key's v1 limit.
    const shown = list.find((r) => r.exceeded === true) ?? v1Ratelimit(list) ?? list[0];
    delete data.ratelimits;
    if (shown) data.ratelimit = { limit: shown.limit, remaining: shown.remaining, reset: shown.reset };
  },
  schema: (_document, tools) =>
    eachOperation(tools, VERIFY, (op) => {
      addProps(op.body(), {
        ratelimit: {
          type: "object",
          deprecated: true,
          description: `What checking the key's "${V1_RATELIMIT}" ratelimit costs; \`ratelimits\` names any.`,
          properties: { cost: { type: "integer", minimum: 0, default: 1 } },
        },
      });
      replaceProp(op.data(), "ratelimits", {
        ratelimit: {
          type: "object",
          description: "The ratelimit that turned the request away, else the key's own.",
          required: ["limit", "remaining", "reset"],
          properties: {
            limit: { type: "integer" },
            remaining: { type: "integer", description: "Requests left in the window after this one." },
            reset: { type: "integer", description: "When the window ends (unix ms)." },
          },
        },
      });
    }),
});

function asTree(value: unknown): PermissionTree {
  if (typeof value === "string") return value;
  if (isObject(value) && Array.isArray(value.and)) return { and: value.and.map(asTree) };
  if (isObject(value) && Array.isArray(value.or)) return { or: value.or.map(asTree) };
  throw invalidRequest('`authorization.permissions` must be a permission, `{"and": [...]}` or `{"or": [...]}`.');
}

export const verifyPermissionsAsQuery = change({
  description:
    'keys.verifyKey takes required permissions as a query string, `permissions: "a AND (b OR c)"` (was `authorization: {permissions}` as a JSON tree).',
  routes: VERIFY,
  request: (req) => {
    const body = bodyOf(req);
    if (!body || body.authorization === undefined) return;
    const query = isObject(body.authorization) ? body.authorization.permissions : undefined;
    delete body.authorization;
    if (query !== undefined && query !== null) body.permissions = formatPermissionQuery(asTree(query));
  },
  schema: (document, tools) => {
    componentSchemas(document).PermissionQuery = PERMISSION_QUERY;
    eachOperation(tools, VERIFY, (op) =>
      replaceProp(op.body(), "permissions", {
        authorization: { type: "object", description: "Role-based access checks.", properties: { permissions: ref("PermissionQuery") } },
      }),
    );
  },
});

export const verifyRequestIdInMeta = change({
  description: "keys.verifyKey's `requestId` is in `meta`, like every response's (was in the result).",
  routes: VERIFY,
  response: (res) => {
    const data = dataOf(res.body);
    if (isObject(data) && isObject(res.body) && isObject(res.body.meta)) data.requestId = res.body.meta.requestId;
  },
  schema: (_document, tools) =>
    eachOperation(tools, VERIFY, (op) => {
      addProps(op.data(), { requestId: { type: "string", description: "This request's id." } }, ["requestId"]);
      reword(op.data(), "carries `valid` and `code` only", "carries `valid`, `code` and `requestId` only");
    }),
});

export const verifyIdentityIncludesRatelimits = change({
  description: "keys.verifyKey's `identity` includes the identity's `ratelimits`, and `meta` only when it has one.",
  routes: VERIFY,
  response: (res) => {
    const data = dataOf(res.body);
    if (!isObject(data) || !isObject(data.identity)) return;
    delete data.identity.ratelimits;
    data.identity.meta ??= {};
  },
  schema: (_document, tools) => eachOperation(tools, VERIFY, (op) => addProps(op.data(), { identity: V1_VERIFY_IDENTITY })),
});
