import { change } from "@strata/core";
import type { Lookups } from "./lookups";
import { bodyOf, dataOf, each, isObject, rootKeyOf } from "./util";

export const identitiesHaveNoEnvironment = change({
  description: "Identities have no `environment`.",
  routes: ["POST /v2/identities.createIdentity", "POST /v2/identities.updateIdentity", "POST /v2/identities.listIdentities"],
  request: (req) => {
    const body = bodyOf(req);
    if (body) delete body.environment;
  },
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
});
