import { conflict, notFound } from "./errors";
import { Paged, type OpContext } from "./http";
import { limitInput, permissionIds } from "./inputs";
import { permissionData, roleData } from "./present";
import { list, opt, parseBody, str } from "./validate";

const listInput = { limit: limitInput, cursor: opt(str()), search: opt(str()) };

function livePermission(ctx: OpContext, permission: string) {
  const found = ctx.db.rbac.findPermission(ctx.workspaceId, permission);
  if (!found) throw notFound(`Permission "${permission}" does not exist.`);
  return found;
}

function liveRole(ctx: OpContext, role: string) {
  const found = ctx.db.rbac.findRole(ctx.workspaceId, role);
  if (!found) throw notFound(`Role "${role}" does not exist.`);
  return found;
}

export function createPermission(body: unknown, ctx: OpContext) {
  const input = parseBody({ name: str({ max: 512 }), slug: str({ max: 128 }), description: opt(str({ max: 512 })) }, body);
  if (ctx.db.rbac.findPermission(ctx.workspaceId, input.slug)) throw conflict(`A permission with slug "${input.slug}" already exists.`);
  return { permissionId: ctx.db.rbac.createPermission(ctx.workspaceId, input).id };
}

export function getPermission(body: unknown, ctx: OpContext) {
  return permissionData(livePermission(ctx, parseBody({ permission: str() }, body).permission));
}

export function listPermissions(body: unknown, ctx: OpContext) {
  const input = parseBody(listInput, body);
  const page = ctx.db.rbac.listPermissions(ctx.workspaceId, {
    limit: input.limit ?? 100,
    ...(input.cursor ? { cursor: input.cursor } : {}),
    ...(input.search ? { search: input.search } : {}),
  });
  return new Paged(page.items.map(permissionData), page.cursor);
}

export function deletePermission(body: unknown, ctx: OpContext) {
  ctx.db.rbac.deletePermission(livePermission(ctx, parseBody({ permission: str() }, body).permission).id);
  return {};
}

export function createRole(body: unknown, ctx: OpContext) {
  const input = parseBody({ name: str({ max: 512 }), description: opt(str({ max: 512 })), permissions: opt(list(str())) }, body);
  if (ctx.db.rbac.findRole(ctx.workspaceId, input.name)) throw conflict(`A role named "${input.name}" already exists.`);
  const role = ctx.db.transaction(() => {
    const created = ctx.db.rbac.createRole(ctx.workspaceId, {
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
    });
    ctx.db.rbac.grantToRole(created.id, permissionIds(ctx, input.permissions ?? []));
    return created;
  });
  return { roleId: role.id };
}

export function getRole(body: unknown, ctx: OpContext) {
  return roleData(ctx.db, liveRole(ctx, parseBody({ role: str() }, body).role));
}

export function listRoles(body: unknown, ctx: OpContext) {
  const input = parseBody(listInput, body);
  const page = ctx.db.rbac.listRoles(ctx.workspaceId, {
    limit: input.limit ?? 100,
    ...(input.cursor ? { cursor: input.cursor } : {}),
    ...(input.search ? { search: input.search } : {}),
  });
  return new Paged(
    page.items.map((r) => roleData(ctx.db, r)),
    page.cursor,
  );
}

export function deleteRole(body: unknown, ctx: OpContext) {
  ctx.db.rbac.deleteRole(liveRole(ctx, parseBody({ role: str() }, body).role).id);
  return {};
}
