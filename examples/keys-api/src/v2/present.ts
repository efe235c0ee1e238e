import type { Db } from "../db";
import type { Identity, KeyRecord, Permission, Ratelimit, Role } from "../db/types";

/**
 * The v2 wire shapes. The v2 SDK validates every response: optional fields are omitted, never
 * null (except `credits.remaining`), and timestamps are integer unix milliseconds.
 */

export const ratelimitData = (r: Ratelimit) => ({ id: r.id, name: r.name, limit: r.limit, duration: r.duration, autoApply: r.autoApply });

export function identityData(db: Db, identity: Identity) {
  return {
    id: identity.id,
    externalId: identity.externalId,
    ...(identity.meta ? { meta: identity.meta } : {}),
    ratelimits: db.ratelimits.list({ identityId: identity.id }).map(ratelimitData),
  };
}

export function creditsData(key: Pick<KeyRecord, "credits">) {
  const c = key.credits;
  if (!c) return undefined;
  if (!c.refill) return { remaining: c.remaining };
  const { interval, amount, refillDay, lastRefillAt } = c.refill;
  return {
    remaining: c.remaining,
    refill: {
      interval,
      amount,
      ...(refillDay !== undefined ? { refillDay } : {}),
      // Not in the SDK's schema (it strips it), but in Unkey's v2 guide: v1 clients need it.
      ...(lastRefillAt !== undefined ? { lastRefillAt } : {}),
    },
  };
}

/** KeyResponseData: what getKey, whoami and listKeys return for a key. */
export function keyData(db: Db, key: KeyRecord, options: { decrypt?: boolean } = {}) {
  const identity = key.identityId ? db.identities.get(key.workspaceId, key.identityId) : undefined;
  const credits = creditsData(key);
  return {
    keyId: key.id,
    start: key.start,
    enabled: key.enabled,
    ...(key.name !== undefined ? { name: key.name } : {}),
    ...(key.meta ? { meta: key.meta } : {}),
    createdAt: key.createdAt,
    ...(key.updatedAt !== undefined ? { updatedAt: key.updatedAt } : {}),
    ...(key.lastUsedAt !== undefined ? { lastUsedAt: key.lastUsedAt } : {}),
    ...(key.expires !== undefined ? { expires: key.expires } : {}),
    permissions: db.rbac.keyPermissions(key.id).map((p) => p.slug),
    roles: db.rbac.keyRoles(key.id).map((r) => r.name),
    ...(credits ? { credits } : {}),
    ...(identity ? { identity: identityData(db, identity) } : {}),
    ...(options.decrypt && key.plaintext !== undefined ? { plaintext: key.plaintext } : {}),
    ratelimits: db.ratelimits.list({ keyId: key.id }).map(ratelimitData),
  };
}

export const permissionData = (p: Permission) => ({
  id: p.id,
  name: p.name,
  slug: p.slug,
  ...(p.description !== undefined ? { description: p.description } : {}),
});

export function roleData(db: Db, role: Role) {
  return {
    id: role.id,
    name: role.name,
    ...(role.description !== undefined ? { description: role.description } : {}),
    permissions: db.rbac.rolePermissions(role.id).map(permissionData),
  };
}
