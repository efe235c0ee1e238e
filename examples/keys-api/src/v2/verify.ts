import { refillIfDue } from "../credits";
import type { KeyRecord, Ratelimit } from "../db/types";
import { hashKey } from "../db/util";
import { PermissionQueryError, parsePermissionQuery, satisfies, type PermissionTree } from "../permission-query";
import type { Ratelimiter, RatelimitRule } from "../ratelimiter";
import { verifyKeyIgnoresApiId } from "../changes/verify";
import { badRequest } from "./errors";
import { apiVersionHas, type OpContext } from "./http";
import { identityData } from "./present";
import { either, int, list, obj, oneOf, opt, parseBody, str } from "./validate";

type Code = "VALID" | "NOT_FOUND" | "FORBIDDEN" | "INSUFFICIENT_PERMISSIONS" | "USAGE_EXCEEDED" | "RATE_LIMITED" | "DISABLED" | "EXPIRED";

const request = {
  key: str(),
  tags: opt(list(str({ max: 128 }))),
  // The SDK sends a query string; Unkey's v2 guide also shows `{type: "and", permissions: [...]}`.
  permissions: opt(either(str(), obj({ type: oneOf("and", "or"), permissions: list(str()) }), 'a query like "a AND b"')),
  credits: opt(obj({ cost: int({ min: 0 }) })),
  ratelimits: opt(list(obj({ name: str(), cost: opt(int({ min: 0 })), limit: opt(int({ min: 1 })), duration: opt(int({ min: 1000 })) }))),
  // Not part of v2 (root-key permissions scope verification now); read only for older versions.
  apiId: opt(str()),
};

/**
 * keys.verifyKey. Every outcome is HTTP 200 with `valid` and a `code`; checks run in the order
 * a caller can act on: existence, expiry, disabled, permissions, ratelimits, then credits, so
 * a request that is turned away by a ratelimit does not spend credits.
 */
export function verifyKey(limiter: Ratelimiter) {
  return function verifyKey(body: unknown, ctx: OpContext) {
    const input = parseBody(request, body);
    let query: PermissionTree | undefined;
    try {
      const p = input.permissions;
      query = p === undefined ? undefined : typeof p === "string" ? parsePermissionQuery(p) : ({ [p.type]: p.permissions } as PermissionTree);
    } catch (err) {
      if (!(err instanceof PermissionQueryError)) throw err;
      throw badRequest(`Invalid permission query: ${err.message}`, [
        { location: "body.permissions", message: err.message, fix: 'Write queries like "read AND (write OR admin)".' },
      ]);
    }
    const found = ctx.db.keys.byHash(hashKey(input.key));
    if (!found || found.workspaceId !== ctx.workspaceId) return { valid: false, code: "NOT_FOUND" as Code };

    const now = Date.now();
    const key = refillIfDue(ctx.db, found, now);
    const permissions = ctx.db.rbac.effectivePermissions(key.id);
    const outcome = (code: Code, extra: Record<string, unknown> = {}) => ({ ...describe(ctx, key, permissions), valid: code === "VALID", code, ...extra });

    if (!apiVersionHas(ctx.req, verifyKeyIgnoresApiId) && input.apiId !== undefined && input.apiId !== key.apiId) return outcome("FORBIDDEN");
    if (key.expires !== undefined && key.expires <= now) return outcome("EXPIRED");
    if (!key.enabled) return outcome("DISABLED");
    if (query !== undefined && !satisfies(query, new Set(permissions))) return outcome("INSUFFICIENT_PERMISSIONS");

    const applied = ratelimitsFor(ctx, key, input.ratelimits ?? []);
    const check = limiter.check(
      applied.map((a) => a.rule),
      now,
    );
    const ratelimits = applied.map(({ limit }, i) => {
      const r = check.results[i]!;
      return {
        exceeded: !r.passed,
        id: limit.id,
        name: limit.name,
        limit: limit.limit,
        duration: limit.duration,
        reset: r.reset,
        remaining: r.remaining,
        autoApply: limit.autoApply,
      };
    });
    const withLimits = ratelimits.length > 0 ? { ratelimits } : {};
    if (ratelimits.some((r) => r.exceeded)) return outcome("RATE_LIMITED", withLimits);

    let credits: number | undefined;
    const remaining = key.credits?.remaining;
    if (remaining !== undefined && remaining !== null) {
      const cost = input.credits?.cost ?? 1;
      const left = ctx.db.keys.spend(key.id, cost);
      if (left === undefined) return outcome("USAGE_EXCEEDED", { credits: remaining, ...withLimits });
      credits = left;
    }
    check.commit();
    ctx.db.keys.update(key.id, { lastUsedAt: now });
    return outcome("VALID", { ...(credits !== undefined ? { credits } : {}), ...withLimits });
  };
}

function describe(ctx: OpContext, key: KeyRecord, permissions: string[]) {
  const identity = key.identityId ? ctx.db.identities.get(ctx.workspaceId, key.identityId) : undefined;
  return {
    keyId: key.id,
    ...(key.name !== undefined ? { name: key.name } : {}),
    ...(key.meta ? { meta: key.meta } : {}),
    ...(key.expires !== undefined ? { expires: key.expires } : {}),
    enabled: key.enabled,
    permissions,
    roles: ctx.db.rbac.keyRoles(key.id).map((r) => r.name),
    ...(identity ? { identity: identityData(ctx.db, identity) } : {}),
  };
}

/**
 * The limits one verification is checked against: the key's and its identity's auto-applied
 * ones, plus those the request names (with its cost, or an ad-hoc limit and duration).
 */
function ratelimitsFor(ctx: OpContext, key: KeyRecord, requested: readonly { name: string; cost?: number; limit?: number; duration?: number }[]) {
  const own = ctx.db.ratelimits.list({ keyId: key.id });
  const shared = key.identityId ? ctx.db.ratelimits.list({ identityId: key.identityId }) : [];
  const byName = new Map<string, Ratelimit>();
  for (const r of [...shared, ...own]) byName.set(r.name, r);
  const applied = new Map<string, { limit: Ratelimit; rule: RatelimitRule }>();
  for (const r of byName.values()) if (r.autoApply) applied.set(r.name, { limit: r, rule: { id: r.id, limit: r.limit, duration: r.duration, cost: 1 } });
  for (const req of requested) {
    const known = byName.get(req.name);
    const limit: Ratelimit | undefined =
      known ??
      (req.limit !== undefined && req.duration !== undefined
        ? { id: `${key.id}:${req.name}`, name: req.name, limit: req.limit, duration: req.duration, autoApply: false }
        : undefined);
    if (!limit) continue; // Naming a limit the key does not have is not an error: there is nothing to exceed.
    applied.set(req.name, { limit, rule: { id: limit.id, limit: limit.limit, duration: limit.duration, cost: req.cost ?? 1 } });
  }
  return [...applied.values()];
}
