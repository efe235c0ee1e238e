import { randomBytes } from "node:crypto";
import { refillIfDue } from "../credits";
import type { Credits, KeyRecord } from "../db/types";
import { base58, hashKey, newId } from "../db/util";
import type { KeyPatch } from "../db/keys";
import { badRequest, notFound } from "./errors";
import type { OpContext } from "./http";
import { creditsInput, creditsPatch, permissionIds, ratelimitsInput, refList, roleIds, toRatelimits, toRefill } from "./inputs";
import { creditsData, keyData } from "./present";
import { bool, int, nullable, oneOf, opt, parseBody, record, str } from "./validate";

/** A live key of the caller's workspace, or the 404 every key operation answers. */
export function liveKey(ctx: OpContext, keyId: string): KeyRecord {
  const key = ctx.db.keys.get(ctx.workspaceId, keyId);
  if (!key) throw notFound(`Key "${keyId}" does not exist.`);
  return key;
}

function identityFor(ctx: OpContext, externalId: string | null | undefined): string | null | undefined {
  if (externalId === undefined || externalId === null) return externalId;
  return ctx.db.identities.ensure(ctx.workspaceId, externalId).id;
}

export function createKey(body: unknown, ctx: OpContext) {
  const input = parseBody(
    {
      apiId: str(),
      prefix: opt(str({ max: 16 })),
      name: opt(str({ max: 200 })),
      byteLength: opt(int({ min: 16, max: 255 })),
      externalId: opt(str()),
      meta: opt(record()),
      roles: opt(refList),
      permissions: opt(refList),
      expires: opt(int()),
      credits: opt(creditsInput),
      ratelimits: opt(ratelimitsInput),
      enabled: opt(bool()),
      recoverable: opt(bool()),
    },
    body,
  );
  if (input.prefix !== undefined && !/^[a-zA-Z0-9_]+$/.test(input.prefix)) {
    throw badRequest("Invalid prefix.", [{ location: "body.prefix", message: "Only letters, digits and underscores", fix: "Use a prefix like `sk_live`." }]);
  }
  if (!ctx.db.workspaces.getApi(ctx.workspaceId, input.apiId)) throw notFound(`API "${input.apiId}" does not exist.`);
  const random = base58(randomBytes(input.byteLength ?? 16));
  const plaintext = input.prefix ? `${input.prefix}_${random}` : random;
  const credits: Credits | undefined =
    input.credits && (input.credits.remaining !== null || input.credits.refill)
      ? { remaining: input.credits.remaining, ...(input.credits.refill ? { refill: toRefill(input.credits.refill) } : {}) }
      : undefined;
  const keyId = newId("key");
  ctx.db.transaction(() => {
    const permissions = permissionIds(ctx, input.permissions ?? []);
    const roles = roleIds(ctx, input.roles ?? []);
    ctx.db.keys.insert({
      id: keyId,
      workspaceId: ctx.workspaceId,
      apiId: input.apiId,
      hash: hashKey(plaintext),
      start: plaintext.slice(0, (input.prefix ? input.prefix.length + 1 : 0) + 4),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.externalId !== undefined ? { identityId: identityFor(ctx, input.externalId)! } : {}),
      ...(input.meta ? { meta: input.meta } : {}),
      ...(input.expires !== undefined ? { expires: input.expires } : {}),
      ...(credits ? { credits } : {}),
      enabled: input.enabled ?? true,
      ...(input.recoverable ? { plaintext } : {}),
    });
    ctx.db.ratelimits.replace({ keyId }, toRatelimits(input.ratelimits ?? []));
    ctx.db.rbac.link("permissions", keyId, permissions, "set");
    ctx.db.rbac.link("roles", keyId, roles, "set");
  });
  return { keyId, key: plaintext };
}

export function getKey(body: unknown, ctx: OpContext) {
  const input = parseBody({ keyId: str(), decrypt: opt(bool()) }, body);
  const key = refillIfDue(ctx.db, liveKey(ctx, input.keyId));
  return keyData(ctx.db, key, { decrypt: input.decrypt ?? false });
}

export function whoami(body: unknown, ctx: OpContext) {
  const input = parseBody({ key: str() }, body);
  const key = ctx.db.keys.byHash(hashKey(input.key));
  if (!key || key.workspaceId !== ctx.workspaceId) throw notFound("The key does not exist.");
  return keyData(ctx.db, refillIfDue(ctx.db, key));
}

export function updateKey(body: unknown, ctx: OpContext) {
  const input = parseBody(
    {
      keyId: str(),
      name: opt(nullable(str({ max: 200 }))),
      externalId: opt(nullable(str())),
      meta: opt(nullable(record())),
      expires: opt(nullable(int())),
      credits: opt(nullable(creditsPatch)),
      ratelimits: opt(ratelimitsInput),
      enabled: opt(bool()),
      roles: opt(refList),
      permissions: opt(refList),
    },
    body,
  );
  const key = liveKey(ctx, input.keyId);
  const patch: KeyPatch = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.meta !== undefined) patch.meta = input.meta;
  if (input.expires !== undefined) patch.expires = input.expires;
  if (input.enabled !== undefined) patch.enabled = input.enabled;
  if (input.credits === null) patch.credits = null;
  else if (input.credits !== undefined) {
    // Fields left out keep their value; `null` clears (unlimited credits, no refill).
    const remaining = input.credits.remaining !== undefined ? input.credits.remaining : (key.credits?.remaining ?? null);
    const refill = input.credits.refill === undefined ? key.credits?.refill : input.credits.refill === null ? undefined : toRefill(input.credits.refill);
    if (remaining === null && input.credits.refill) {
      throw badRequest("A refill needs a number of credits: set `credits.remaining` too.", [
        { location: "body.credits.remaining", message: "Unlimited credits cannot refill", fix: "Give `remaining` a number." },
      ]);
    }
    // Unlimited credits have nothing to refill: `remaining: null` drops the refill too.
    patch.credits = remaining === null ? null : { remaining, ...(refill ? { refill } : {}) };
  }
  ctx.db.transaction(() => {
    if (input.externalId !== undefined) patch.identityId = identityFor(ctx, input.externalId)!;
    ctx.db.keys.update(key.id, patch);
    if (input.ratelimits) ctx.db.ratelimits.replace({ keyId: key.id }, toRatelimits(input.ratelimits));
    if (input.permissions) ctx.db.rbac.link("permissions", key.id, permissionIds(ctx, input.permissions), "set");
    if (input.roles) ctx.db.rbac.link("roles", key.id, roleIds(ctx, input.roles), "set");
  });
  return {};
}

export function deleteKey(body: unknown, ctx: OpContext) {
  const input = parseBody({ keyId: str(), permanent: opt(bool()) }, body);
  ctx.db.keys.delete(liveKey(ctx, input.keyId).id, input.permanent ?? false);
  return {};
}

export function updateCredits(body: unknown, ctx: OpContext) {
  const input = parseBody({ keyId: str(), value: opt(nullable(int({ min: 0 }))), operation: oneOf("set", "increment", "decrement") }, body);
  const key = refillIfDue(ctx.db, liveKey(ctx, input.keyId));
  const value = input.value ?? null;
  let credits: Credits | null;
  if (input.operation === "set") {
    // Unlimited credits cannot refill: setting null drops the refill too.
    credits = value === null ? null : { remaining: value, ...(key.credits?.refill ? { refill: key.credits.refill } : {}) };
  } else {
    if (value === null)
      throw badRequest(`\`value\` is required to ${input.operation}.`, [
        { location: "body.value", message: "Required field missing", fix: "Provide the amount as an integer." },
      ]);
    const current = key.credits?.remaining;
    if (current === undefined || current === null) {
      throw badRequest(`Key "${key.id}" has unlimited credits; ${input.operation} needs a limit. Use operation "set" first.`, [
        { location: "body.operation", message: "The key has unlimited credits", fix: 'Use "set" to give the key a number of credits.' },
      ]);
    }
    const remaining = input.operation === "increment" ? current + value : Math.max(0, current - value);
    credits = { remaining, ...(key.credits?.refill ? { refill: key.credits.refill } : {}) };
  }
  ctx.db.keys.update(key.id, { credits });
  return creditsData({ credits: credits ?? { remaining: null } });
}
