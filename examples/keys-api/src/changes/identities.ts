import { change, type JsonObject } from "@strata/core";
import type { Lookups } from "./lookups";
import { addProps, eachOperation, props, ref, removeProps, renameBack, replaceProp, reword } from "./schema-edit";
import { bodyOf, dataOf, each, isObject, rootKeyOf } from "./util";
import { V1_IDENTITY_RATELIMIT, v1Page } from "./v1-schemas";

export const identitiesHaveNoEnvironment = change({
  description: "Identities have no `environment`.",
  routes: ["POST /v2/identities.createIdentity", "POST /v2/identities.updateIdentity", "POST /v2/identities.listIdentities"],
  request: (req) => {
    const body = bodyOf(req);
    if (body) delete body.environment;
  },
  // Where v1 took one.
  schema: (_document, tools) =>
    eachOperation(tools, ["POST /v2/identities.updateIdentity", "POST /v2/identities.listIdentities"], (op) =>
      addProps(op.body(), { environment: { type: "string", description: "Accepted and dropped: keys-api keeps no environment." } }),
    ),
});

export const identityNamedInOneField = change({
  description: "An identity is named by one `identity` field, its id or its externalId (was `identityId` or `externalId`).",
  routes: ["POST /v2/identities.getIdentity", "POST /v2/identities.updateIdentity", "POST /v2/identities.deleteIdentity"],
  request: (req) => {
    const body = bodyOf(req);
    if (!body) return;
    const identity = body.identityId ?? body.externalId;
    delete body.identityId;
    delete body.externalId;
    if (identity !== undefined) body.identity = identity;
  },
  // getIdentity and updateIdentity took either; deleteIdentity the id.
  schema: (_document, tools) => {
    eachOperation(tools, ["POST /v2/identities.getIdentity", "POST /v2/identities.updateIdentity"], (op) => {
      const body = op.body();
      replaceProp(body, "identity", {
        identityId: { type: "string", minLength: 1, description: "The identity's id." },
        externalId: { type: "string", minLength: 1, description: "The identity's externalId, when `identityId` is not given." },
      });
      body.anyOf = [{ required: ["identityId"] }, { required: ["externalId"] }];
    });
    eachOperation(tools, "POST /v2/identities.deleteIdentity", (op) => renameBack(op.body(), { identity: "identityId" }));
  },
});

export const listIdentitiesPaginates = (lookups: Lookups) =>
  change({
    description: "identities.listIdentities answers `data` with `pagination` (was `{identities, cursor, total}`).",
    routes: "POST /v2/identities.listIdentities",
    request: (req, ctx) => {
      ctx.state.rootKey = rootKeyOf(req.headers);
    },
    response: (res, ctx) => {
      const body = res.body;
      if (!isObject(body) || !Array.isArray(body.data)) return;
      const cursor = isObject(body.pagination) ? body.pagination.cursor : undefined;
      body.data = { identities: body.data, ...(cursor !== undefined ? { cursor } : {}), total: lookups.countIdentities(String(ctx.state.rootKey)) };
      delete body.pagination;
    },
    schema: (_document, tools) =>
      eachOperation(tools, "POST /v2/identities.listIdentities", (op) => {
        op.setData(v1Page("identities", ref("Identity")));
        removeProps(op.answer(), "pagination");
        reword(props(op.body()).cursor as JsonObject, "`pagination.cursor`", "`cursor`");
      }),
  });

export const identityRatelimitsHaveIds = change({
  description: "An identity's ratelimits carry `id` and `autoApply`, and `meta` is omitted when the identity has none.",
  routes: ["POST /v2/identities.getIdentity", "POST /v2/identities.updateIdentity", "POST /v2/identities.listIdentities"],
  response: (res) =>
    each(dataOf(res.body), (identity) => {
      identity.meta ??= {};
      const list = Array.isArray(identity.ratelimits) ? identity.ratelimits.filter(isObject) : [];
      identity.ratelimits = list.map((r) => ({ name: r.name, limit: r.limit, duration: r.duration }));
    }),
  // The `Identity` these operations answer (keys and verifications state their own).
  schema: (_document, tools) =>
    eachOperation(tools, "POST /v2/identities.getIdentity", (op) =>
      addProps(op.data(), { ratelimits: { type: "array", items: V1_IDENTITY_RATELIMIT, description: "Ratelimits shared by every key of the identity." } }, [
        "meta",
        "ratelimits",
      ]),
    ),
});
