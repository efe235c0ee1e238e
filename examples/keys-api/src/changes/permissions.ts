import { change, type JsonObject } from "@strata/core";
import { eachOperation, props, removeProps, renameBack, setRequired, reword } from "./schema-edit";
import { bodyOf, dataOf, each, rename } from "./util";

export const permissionSlugRequired = change({
  description: "permissions.createPermission requires a `slug`, the name keys and queries use (v1 used `name`, which becomes the slug when none is given).",
  routes: "POST /v2/permissions.createPermission",
  request: (req) => {
    const body = bodyOf(req);
    if (body && body.slug === undefined && typeof body.name === "string") body.slug = body.name;
  },
  schema: (_document, tools) =>
    eachOperation(tools, "POST /v2/permissions.createPermission", (op) => {
      setRequired(op.body(), "slug", false);
      (props(op.body()).slug as JsonObject).description = "Defaults to `name`.";
    }),
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
  schema: (_document, tools) => {
    eachOperation(tools, ["POST /v2/permissions.getPermission", "POST /v2/permissions.deletePermission"], (op) =>
      renameBack(op.body(), { permission: "permissionId" }),
    );
    eachOperation(tools, ["POST /v2/permissions.getRole", "POST /v2/permissions.deleteRole"], (op) => renameBack(op.body(), { role: "roleId" }));
  },
});

export const permissionListsPaginate = change({
  description: "permissions.listPermissions and listRoles are paginated, up to 100 per page (v1 answered the whole list).",
  routes: ["POST /v2/permissions.listPermissions", "POST /v2/permissions.listRoles"],
  request: (req) => {
    // v1 clients cannot follow a cursor: give them the largest page.
    req.body = { ...(bodyOf(req) ?? {}), limit: 100 };
  },
  // v1 took no parameters: the whole list, always.
  schema: (_document, tools) =>
    eachOperation(tools, ["POST /v2/permissions.listPermissions", "POST /v2/permissions.listRoles"], ({ operation }) => {
      delete operation.requestBody;
      reword(operation, ", a page at a time", ": all of them, up to 100");
    }),
});

export const rolesIncludePermissions = change({
  description: "Roles include their `permissions`.",
  routes: ["POST /v2/permissions.getRole", "POST /v2/permissions.listRoles"],
  response: (res) =>
    each(dataOf(res.body), (role) => {
      delete role.permissions;
    }),
  schema: (_document, tools) => {
    eachOperation(tools, "POST /v2/permissions.getRole", (op) => removeProps(op.data(), "permissions"));
    eachOperation(tools, "POST /v2/permissions.listRoles", ({ operation }) => reword(operation, ", with their permissions", ""));
  },
});
