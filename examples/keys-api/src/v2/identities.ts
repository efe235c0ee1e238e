import { conflict, notFound } from "./errors";
import { META_ONLY, Paged, type OpContext } from "./http";
import { limitInput, ratelimitsInput, toRatelimits } from "./inputs";
import { identityData } from "./present";
import { opt, parseBody, record, str } from "./validate";

function liveIdentity(ctx: OpContext, identity: string) {
  const found = ctx.db.identities.resolve(ctx.workspaceId, identity);
  if (!found) throw notFound(`Identity "${identity}" does not exist.`);
  return found;
}

export function createIdentity(body: unknown, ctx: OpContext) {
  const input = parseBody({ externalId: str({ min: 3 }), meta: opt(record()), ratelimits: opt(ratelimitsInput) }, body);
  if (ctx.db.identities.byExternalId(ctx.workspaceId, input.externalId)) throw conflict(`An identity with externalId "${input.externalId}" already exists.`);
  const identity = ctx.db.transaction(() => {
    const created = ctx.db.identities.create(ctx.workspaceId, input.externalId, input.meta);
    ctx.db.ratelimits.replace({ identityId: created.id }, toRatelimits(input.ratelimits ?? []));
    return created;
  });
  return { identityId: identity.id };
}

export function getIdentity(body: unknown, ctx: OpContext) {
  const input = parseBody({ identity: str() }, body);
  return identityData(ctx.db, liveIdentity(ctx, input.identity));
}

export function listIdentities(body: unknown, ctx: OpContext) {
  const input = parseBody({ limit: limitInput, cursor: opt(str()), search: opt(str()) }, body);
  const page = ctx.db.identities.list(ctx.workspaceId, {
    limit: input.limit ?? 100,
    ...(input.cursor ? { cursor: input.cursor } : {}),
    ...(input.search ? { search: input.search } : {}),
  });
  return new Paged(
    page.items.map((i) => identityData(ctx.db, i)),
    page.cursor,
  );
}

export function updateIdentity(body: unknown, ctx: OpContext) {
  const input = parseBody({ identity: str(), meta: opt(record()), ratelimits: opt(ratelimitsInput) }, body);
  const identity = liveIdentity(ctx, input.identity);
  ctx.db.transaction(() => {
    if (input.meta !== undefined) ctx.db.identities.setMeta(identity.id, input.meta);
    if (input.ratelimits !== undefined) ctx.db.ratelimits.replace({ identityId: identity.id }, toRatelimits(input.ratelimits));
  });
  return identityData(ctx.db, liveIdentity(ctx, identity.id));
}

export function deleteIdentity(body: unknown, ctx: OpContext) {
  const input = parseBody({ identity: str() }, body);
  ctx.db.identities.delete(liveIdentity(ctx, input.identity).id);
  return META_ONLY;
}
