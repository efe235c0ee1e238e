import type { Override } from "../db/types";
import { notFound } from "./errors";
import { Paged, type OpContext } from "./http";
import { int, opt, parseBody, str } from "./validate";

const overrideData = (o: Override) => ({ overrideId: o.id, duration: o.duration, identifier: o.identifier, limit: o.limit });

/**
 * The namespace, by id or name. The SDK sends `namespace`; Unkey's v2 guide shows
 * `namespaceName` (and v2 betas `namespaceId`), so those spellings are read too.
 */
function namespaceOf(body: unknown): unknown {
  if (typeof body !== "object" || body === null) return body;
  const b = body as Record<string, unknown>;
  return { ...b, namespace: b.namespace ?? b.namespaceId ?? b.namespaceName };
}

function liveNamespace(ctx: OpContext, namespace: string) {
  const found = ctx.db.overrides.namespace(ctx.workspaceId, namespace);
  if (!found) throw notFound(`Ratelimit namespace "${namespace}" does not exist.`);
  return found;
}

function liveOverride(ctx: OpContext, namespace: string, identifier: string) {
  const found = ctx.db.overrides.get(liveNamespace(ctx, namespace).id, identifier);
  if (!found) throw notFound(`No override for "${identifier}" in namespace "${namespace}".`);
  return found;
}

export function setOverride(body: unknown, ctx: OpContext) {
  const input = parseBody({ namespace: str(), identifier: str(), limit: int({ min: 0 }), duration: int({ min: 1000 }) }, namespaceOf(body));
  const ns = ctx.db.overrides.ensureNamespace(ctx.workspaceId, input.namespace);
  return { overrideId: ctx.db.overrides.set(ns.id, input).id };
}

export function getOverride(body: unknown, ctx: OpContext) {
  const input = parseBody({ namespace: str(), identifier: str() }, namespaceOf(body));
  return overrideData(liveOverride(ctx, input.namespace, input.identifier));
}

export function listOverrides(body: unknown, ctx: OpContext) {
  const input = parseBody({ namespace: str(), cursor: opt(str()), limit: opt(int({ min: 1, max: 100 })) }, namespaceOf(body));
  const page = ctx.db.overrides.list(liveNamespace(ctx, input.namespace).id, { limit: input.limit ?? 10, ...(input.cursor ? { cursor: input.cursor } : {}) });
  return new Paged(page.items.map(overrideData), page.cursor);
}

export function deleteOverride(body: unknown, ctx: OpContext) {
  const input = parseBody({ namespace: str(), identifier: str() }, namespaceOf(body));
  ctx.db.overrides.delete(liveOverride(ctx, input.namespace, input.identifier).id);
  return {};
}
