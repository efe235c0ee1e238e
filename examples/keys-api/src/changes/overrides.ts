import { change, type JsonObject } from "@strata/core";
import type { Lookups } from "./lookups";
import { addProps, eachOperation, props, ref, removeProps, renameBack, reword } from "./schema-edit";
import { bodyOf, dataOf, each, isObject, rename, rootKeyOf } from "./util";
import { v1Page } from "./v1-schemas";

const OVERRIDES = ["POST /v2/ratelimit.setOverride", "POST /v2/ratelimit.getOverride", "POST /v2/ratelimit.listOverrides", "POST /v2/ratelimit.deleteOverride"];

export const overrideNamespaceInOneField = change({
  description: "Ratelimit overrides name their namespace with one `namespace` field, an id or a name (was `namespaceId` or `namespaceName`); `async` is gone.",
  routes: OVERRIDES,
  request: (req) => {
    const body = bodyOf(req);
    if (!body) return;
    const namespace = body.namespaceId ?? body.namespaceName;
    delete body.namespaceId;
    delete body.namespaceName;
    delete body.async;
    if (namespace !== undefined) body.namespace = namespace;
  },
  schema: (_document, tools) =>
    eachOperation(tools, OVERRIDES, (op) => {
      const body = op.body();
      removeProps(body, "namespace");
      addProps(body, {
        namespaceId: { type: "string", minLength: 1, description: "The namespace's id." },
        namespaceName: { type: "string", minLength: 1, description: "The namespace's name, when `namespaceId` is not given." },
      });
      body.anyOf = [{ required: ["namespaceId"] }, { required: ["namespaceName"] }];
      if (op.path === "/v2/ratelimit.setOverride") addProps(body, { async: { type: "boolean", description: "Accepted and ignored." } });
    }),
});

export const listOverridesPaginates = (lookups: Lookups) =>
  change({
    description: "ratelimit.listOverrides answers `data` with `pagination` (was `{overrides, cursor, total}`).",
    routes: "POST /v2/ratelimit.listOverrides",
    request: (req, ctx) => {
      ctx.state.rootKey = rootKeyOf(req.headers);
      ctx.state.namespace = bodyOf(req)?.namespace;
    },
    response: (res, ctx) => {
      const body = res.body;
      if (!isObject(body) || !Array.isArray(body.data)) return;
      const cursor = isObject(body.pagination) ? body.pagination.cursor : undefined;
      body.data = {
        overrides: body.data,
        ...(cursor !== undefined ? { cursor } : {}),
        total: lookups.countOverrides(String(ctx.state.rootKey), String(ctx.state.namespace)),
      };
      delete body.pagination;
    },
    schema: (_document, tools) =>
      eachOperation(tools, "POST /v2/ratelimit.listOverrides", (op) => {
        op.setData(v1Page("overrides", ref("RatelimitOverride")));
        removeProps(op.answer(), "pagination");
        reword(props(op.body()).cursor as JsonObject, "`pagination.cursor`", "`cursor`");
      }),
  });

export const overrideIdRenamed = change({
  description: "An override's id is `overrideId` (was `id`).",
  routes: ["POST /v2/ratelimit.getOverride", "POST /v2/ratelimit.listOverrides"],
  response: (res) => each(dataOf(res.body), (o) => rename(o, "overrideId", "id")),
  schema: (_document, tools) => eachOperation(tools, "POST /v2/ratelimit.getOverride", (op) => renameBack(op.data(), { overrideId: "id" })),
});
