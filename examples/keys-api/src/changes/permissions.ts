import { change } from "@strata/core";
import { bodyOf, dataOf, each, rename } from "./util";

export const permissionSlugRequired = change({
  description: "permissions.createPermission requires a `slug`, the name keys and queries use (v1 used `name`, which becomes the slug when none is given).",
  routes: "POST /v2/permissions.createPermission",
  request: (req) => {
    const body = bodyOf(req);
    if (body && body.slug === undefined && typeof body.name === "string") body.slug = body.name;
  },
});

export const permissionAndRoleNamedInOneField = change({
  description:
    "getPermission/deletePermission take `permission` (an id or slug; was `permissionId`), getRole/deleteRole take `role` (an id or name; was `roleId`).",
  routes: ["POST /v2/permissions.getPermission", "POST /v2/permissions.deletePermission", "POST /v2/permissions.getRole", "POST /v2/permissions.deleteRole"],
  request: (req) => {
    const body = bodyOf(req);
    if (!body) return;
    rename(body, "permissionId", "permission");
    rename(body, "roleId", "role");
  },
});

export const permissionListsPaginate = change({
  description: "permissions.listPermissions and listRoles are paginated, up to 100 per page (v1 answered the whole list).",
  routes: ["POST /v2/permissions.listPermissions", "POST /v2/permissions.listRoles"],
  request: (req) => {
    // v1 clients cannot follow a cursor: give them the largest page.
    req.body = { ...(bodyOf(req) ?? {}), limit: 100 };
  },
});

export const rolesIncludePermissions = change({
  description: "Roles include their `permissions`.",
  routes: ["POST /v2/permissions.getRole", "POST /v2/permissions.listRoles"],
  response: (res) =>
    each(dataOf(res.body), (role) => {
      delete role.permissions;
    }),
});
