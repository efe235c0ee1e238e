import { change, type JsonObject } from "@strata/core";
import type { Lookups } from "./lookups";
import { addProps, eachOperation, props, ref, removeProps, reword } from "./schema-edit";
import { bodyOf, dataOf, isObject } from "./util";
import { v1Page } from "./v1-schemas";

/**
 * Declared before the key field changes: on the way back it runs after them, so they see the
 * keys as a plain list and this folds the list into v1's page.
 */
export const listKeysPaginates = (lookups: Lookups) =>
  change({
    description: "apis.listKeys answers the keys as `data` with `pagination: {cursor, hasMore}` (was `{keys, cursor, total}`).",
    routes: "POST /v2/apis.listKeys",
    request: (req, ctx) => {
      const body = bodyOf(req);
      ctx.state.apiId = body?.apiId;
      // The key field changes run after this one and rename ownerId; read either name.
      ctx.state.externalId = body?.externalId ?? body?.ownerId;
    },
    response: (res, ctx) => {
      const body = res.body;
      if (!isObject(body) || !Array.isArray(body.data)) return;
      const cursor = isObject(body.pagination) ? body.pagination.cursor : undefined;
      const externalId = typeof ctx.state.externalId === "string" ? ctx.state.externalId : undefined;
      body.data = { keys: body.data, ...(cursor !== undefined ? { cursor } : {}), total: lookups.countKeys(String(ctx.state.apiId), externalId) };
      delete body.pagination;
    },
    schema: (_document, tools) =>
      eachOperation(tools, "POST /v2/apis.listKeys", (op) => {
        op.setData(v1Page("keys", ref("Key")));
        removeProps(op.answer(), "pagination");
        reword(props(op.body()).cursor as JsonObject, "`pagination.cursor`", "`cursor`");
      }),
  });

export const getApiWithoutWorkspace = (lookups: Lookups) =>
  change({
    description: "apis.getApi answers `{id, name}` (was `{id, workspaceId, name}`).",
    routes: "POST /v2/apis.getApi",
    response: (res) => {
      const api = dataOf(res.body);
      if (isObject(api) && typeof api.id === "string") api.workspaceId = lookups.apiWorkspace(api.id);
    },
    schema: (_document, tools) =>
      eachOperation(tools, "POST /v2/apis.getApi", (op) =>
        addProps(op.data(), { workspaceId: { type: "string", description: "The workspace the API belongs to." } }, ["workspaceId"]),
      ),
  });
