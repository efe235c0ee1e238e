import { refillIfDue } from "../credits";
import { ApiError, notFound } from "./errors";
import { Paged, type OpContext } from "./http";
import { limitInput } from "./inputs";
import { keyData } from "./present";
import { bool, opt, parseBody, str } from "./validate";

function liveApi(ctx: OpContext, apiId: string) {
  const api = ctx.db.workspaces.getApi(ctx.workspaceId, apiId);
  if (!api) throw notFound(`API "${apiId}" does not exist.`);
  return api;
}

export function createApi(body: unknown, ctx: OpContext) {
  const input = parseBody({ name: str({ min: 3, max: 200 }) }, body);
  return { apiId: ctx.db.workspaces.createApi(ctx.workspaceId, input.name).id };
}

export function getApi(body: unknown, ctx: OpContext) {
  const input = parseBody({ apiId: str() }, body);
  const api = liveApi(ctx, input.apiId);
  return { id: api.id, name: api.name };
}

export function listKeys(body: unknown, ctx: OpContext) {
  const input = parseBody(
    { apiId: str(), limit: limitInput, cursor: opt(str()), externalId: opt(str()), decrypt: opt(bool()), revalidateKeysCache: opt(bool()) },
    body,
  );
  const api = liveApi(ctx, input.apiId);
  let identityId: string | undefined;
  if (input.externalId !== undefined) {
    identityId = ctx.db.identities.byExternalId(ctx.workspaceId, input.externalId)?.id;
    if (!identityId) return new Paged([]);
  }
  const page = ctx.db.keys.list(api.id, {
    limit: input.limit ?? 100,
    ...(input.cursor ? { cursor: input.cursor } : {}),
    ...(identityId ? { identityId } : {}),
  });
  return new Paged(
    page.items.map((k) => keyData(ctx.db, refillIfDue(ctx.db, k), { decrypt: input.decrypt ?? false })),
    page.cursor,
  );
}

export function deleteApi(body: unknown, ctx: OpContext) {
  const input = parseBody({ apiId: str() }, body);
  const api = liveApi(ctx, input.apiId);
  if (api.deleteProtection) throw new ApiError(412, `API "${api.id}" is delete protected; turn delete protection off in the dashboard first.`);
  ctx.db.workspaces.deleteApi(api.id);
  return {};
}
