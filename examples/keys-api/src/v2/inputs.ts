import type { RatelimitInput } from "../db/types";
import { badRequest, notFound } from "./errors";
import type { OpContext } from "./http";
import { bool, either, int, list, nullable, obj, oneOf, opt, str, uniqueBy } from "./validate";

/** Request fragments several operations share. */

export const ratelimitInput = obj({ name: str({ max: 128 }), limit: int({ min: 1 }), duration: int({ min: 1000 }), autoApply: opt(bool()) });

/** A key's or an identity's ratelimits: verifications name them, so names are unique (the database insists too). */
export const ratelimitsInput = uniqueBy(list(ratelimitInput), "name", "Ratelimit");

export const refillInput = obj({ interval: oneOf("daily", "monthly"), amount: int({ min: 1 }), refillDay: opt(int({ min: 1, max: 31 })) });

export const creditsInput = obj({ remaining: nullable(int({ min: 0 })), refill: opt(refillInput) });

export const creditsPatch = obj({ remaining: opt(nullable(int({ min: 0 }))), refill: opt(nullable(refillInput)) });

/** A permission or role named by id / slug / name; the object form (with `create`) is the guide's. */
const refObject = obj({ id: opt(str()), slug: opt(str()), name: opt(str()), create: opt(bool()) });
export const refList = list(either(str(), refObject, "a string or {id, slug, name, create}"));

export type Ref = string | { id?: string; slug?: string; name?: string; create?: boolean };

export const limitInput = opt(int({ min: 1, max: 100 }));

export function toRatelimits(list: readonly { name: string; limit: number; duration: number; autoApply?: boolean }[]): RatelimitInput[] {
  return list.map((r) => ({ name: r.name, limit: r.limit, duration: r.duration, autoApply: r.autoApply ?? false }));
}

export function toRefill(r: { interval: "daily" | "monthly"; amount: number; refillDay?: number }) {
  // Monthly refills happen on a day of the month; the first when none is given.
  return r.interval === "monthly" ? { interval: r.interval, amount: r.amount, refillDay: r.refillDay ?? 1 } : { interval: r.interval, amount: r.amount };
}

/** Permission ids for references (ids or slugs); `create: true` creates a missing one. */
export function permissionIds(ctx: OpContext, refs: readonly Ref[]): string[] {
  return refs.map((ref) => {
    const name = typeof ref === "string" ? ref : (ref.id ?? ref.slug);
    if (!name)
      throw badRequest("A permission is named by `id` or `slug`.", [
        { location: "body.permissions", message: "Neither `id` nor `slug` given", fix: "Name each permission by its id or slug." },
      ]);
    const found = ctx.db.rbac.findPermission(ctx.workspaceId, name);
    if (found) return found.id;
    if (typeof ref !== "string" && ref.create && !ref.id) {
      return ctx.db.rbac.createPermission(ctx.workspaceId, { name: ref.name ?? name, slug: name }).id;
    }
    throw notFound(`Permission "${name}" does not exist in this workspace.`);
  });
}

/** Role ids for references (ids or names); `create: true` creates a missing one. */
export function roleIds(ctx: OpContext, refs: readonly Ref[]): string[] {
  return refs.map((ref) => {
    const name = typeof ref === "string" ? ref : (ref.id ?? ref.name ?? ref.slug);
    if (!name)
      throw badRequest("A role is named by `id` or `name`.", [
        { location: "body.roles", message: "Neither `id` nor `name` given", fix: "Name each role by its id or name." },
      ]);
    const found = ctx.db.rbac.findRole(ctx.workspaceId, name);
    if (found) return found.id;
    if (typeof ref !== "string" && ref.create && !ref.id) return ctx.db.rbac.createRole(ctx.workspaceId, { name }).id;
    throw notFound(`Role "${name}" does not exist in this workspace.`);
  });
}
