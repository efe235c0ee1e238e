import { liveKey } from "./keys";
import type { OpContext } from "./http";
import { permissionIds, refList, roleIds } from "./inputs";
import { permissionData, roleData } from "./present";
import { parseBody, str } from "./validate";

type Mode = "add" | "remove" | "set";

/** keys.addPermissions / removePermissions / setPermissions: answer the key's permissions after the change. */
export function keyPermissions(mode: Mode) {
  return function keyPermissionsOp(body: unknown, ctx: OpContext) {
    const input = parseBody({ keyId: str(), permissions: refList }, body);
    const key = liveKey(ctx, input.keyId);
    ctx.db.transaction(() => ctx.db.rbac.link("permissions", key.id, permissionIds(ctx, input.permissions), mode));
    return ctx.db.rbac.keyPermissions(key.id).map(permissionData);
  };
}

/** keys.addRoles / removeRoles / setRoles: answer the key's roles after the change. */
export function keyRoles(mode: Mode) {
  return function keyRolesOp(body: unknown, ctx: OpContext) {
    const input = parseBody({ keyId: str(), roles: refList }, body);
    const key = liveKey(ctx, input.keyId);
    ctx.db.transaction(() => ctx.db.rbac.link("roles", key.id, roleIds(ctx, input.roles), mode));
    return ctx.db.rbac.keyRoles(key.id).map((r) => roleData(ctx.db, r));
  };
}
