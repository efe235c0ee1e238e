import type Database from "better-sqlite3";
import type { Page, Permission, Role } from "./types";
import { decodeCursor, encodeCursor, newId, now } from "./util";

interface PermissionRow {
  id: string;
  name: string;
  slug: string;
  description: string | null;
}
interface RoleRow {
  id: string;
  name: string;
  description: string | null;
}

const toPermission = (r: PermissionRow): Permission => ({
  id: r.id,
  name: r.name,
  slug: r.slug,
  ...(r.description !== null ? { description: r.description } : {}),
});
const toRole = (r: RoleRow): Role => ({ id: r.id, name: r.name, ...(r.description !== null ? { description: r.description } : {}) });

function page<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return rows.length > limit ? { items, cursor: encodeCursor(items[items.length - 1]!.id) } : { items };
}

/** Permissions, roles, and which keys and roles hold them. */
export class Rbac {
  constructor(private readonly db: Database.Database) {}

  createPermission(workspaceId: string, p: { name: string; slug: string; description?: string }): Permission {
    const id = newId("perm");
    this.db
      .prepare("INSERT INTO permissions (id, workspace_id, name, slug, description, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(id, workspaceId, p.name, p.slug, p.description ?? null, now());
    return { id, name: p.name, slug: p.slug, ...(p.description !== undefined ? { description: p.description } : {}) };
  }

  /** By id or slug, the two ways v2 names a permission. */
  findPermission(workspaceId: string, idOrSlug: string): Permission | undefined {
    const row = this.db
      .prepare("SELECT id, name, slug, description FROM permissions WHERE workspace_id = ? AND (id = ? OR slug = ?) ORDER BY id = ? DESC LIMIT 1")
      .get(workspaceId, idOrSlug, idOrSlug, idOrSlug) as PermissionRow | undefined;
    return row && toPermission(row);
  }

  listPermissions(workspaceId: string, options: { limit: number; cursor?: string; search?: string }): Page<Permission> {
    const rows = this.db
      .prepare(
        "SELECT id, name, slug, description FROM permissions WHERE workspace_id = ? AND id > ? AND (? IS NULL OR instr(slug, ?) > 0 OR instr(name, ?) > 0) ORDER BY id LIMIT ?",
      )
      .all(
        workspaceId,
        decodeCursor(options.cursor),
        options.search ?? null,
        options.search ?? null,
        options.search ?? null,
        options.limit + 1,
      ) as PermissionRow[];
    return page(rows.map(toPermission), options.limit);
  }

  deletePermission(id: string): void {
    this.db.prepare("DELETE FROM permissions WHERE id = ?").run(id);
  }

  createRole(workspaceId: string, r: { name: string; description?: string }): Role {
    const id = newId("role");
    this.db
      .prepare("INSERT INTO roles (id, workspace_id, name, description, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(id, workspaceId, r.name, r.description ?? null, now());
    return { id, name: r.name, ...(r.description !== undefined ? { description: r.description } : {}) };
  }

  /** By id or name, the two ways v2 names a role. */
  findRole(workspaceId: string, idOrName: string): Role | undefined {
    const row = this.db
      .prepare("SELECT id, name, description FROM roles WHERE workspace_id = ? AND (id = ? OR name = ?) ORDER BY id = ? DESC LIMIT 1")
      .get(workspaceId, idOrName, idOrName, idOrName) as RoleRow | undefined;
    return row && toRole(row);
  }

  listRoles(workspaceId: string, options: { limit: number; cursor?: string; search?: string }): Page<Role> {
    const rows = this.db
      .prepare("SELECT id, name, description FROM roles WHERE workspace_id = ? AND id > ? AND (? IS NULL OR instr(name, ?) > 0) ORDER BY id LIMIT ?")
      .all(workspaceId, decodeCursor(options.cursor), options.search ?? null, options.search ?? null, options.limit + 1) as RoleRow[];
    return page(rows.map(toRole), options.limit);
  }

  deleteRole(id: string): void {
    this.db.prepare("DELETE FROM roles WHERE id = ?").run(id);
  }

  rolePermissions(roleId: string): Permission[] {
    return (
      this.db
        .prepare(
          "SELECT p.id, p.name, p.slug, p.description FROM permissions p JOIN role_permissions rp ON rp.permission_id = p.id WHERE rp.role_id = ? ORDER BY p.slug",
        )
        .all(roleId) as PermissionRow[]
    ).map(toPermission);
  }

  grantToRole(roleId: string, permissionIds: readonly string[]): void {
    const insert = this.db.prepare("INSERT OR IGNORE INTO role_permissions (role_id, permission_id) VALUES (?, ?)");
    this.db.transaction(() => permissionIds.forEach((p) => insert.run(roleId, p)))();
  }

  /** The key's directly attached permissions. */
  keyPermissions(keyId: string): Permission[] {
    return (
      this.db
        .prepare(
          "SELECT p.id, p.name, p.slug, p.description FROM permissions p JOIN key_permissions kp ON kp.permission_id = p.id WHERE kp.key_id = ? ORDER BY p.slug",
        )
        .all(keyId) as PermissionRow[]
    ).map(toPermission);
  }

  keyRoles(keyId: string): Role[] {
    return (
      this.db
        .prepare("SELECT r.id, r.name, r.description FROM roles r JOIN key_roles kr ON kr.role_id = r.id WHERE kr.key_id = ? ORDER BY r.name")
        .all(keyId) as RoleRow[]
    ).map(toRole);
  }

  /** Direct permissions plus those of the key's roles: what verification checks against. */
  effectivePermissions(keyId: string): string[] {
    const rows = this.db
      .prepare(
        `SELECT p.slug FROM permissions p JOIN key_permissions kp ON kp.permission_id = p.id WHERE kp.key_id = ?
         UNION SELECT p.slug FROM permissions p JOIN role_permissions rp ON rp.permission_id = p.id JOIN key_roles kr ON kr.role_id = rp.role_id WHERE kr.key_id = ?
         ORDER BY 1`,
      )
      .all(keyId, keyId) as { slug: string }[];
    return rows.map((r) => r.slug);
  }

  /** Attach, detach or replace a key's permissions or roles. */
  link(kind: "permissions" | "roles", keyId: string, ids: readonly string[], mode: "add" | "remove" | "set"): void {
    const table = kind === "permissions" ? "key_permissions" : "key_roles";
    const column = kind === "permissions" ? "permission_id" : "role_id";
    const insert = this.db.prepare(`INSERT OR IGNORE INTO ${table} (key_id, ${column}) VALUES (?, ?)`);
    const remove = this.db.prepare(`DELETE FROM ${table} WHERE key_id = ? AND ${column} = ?`);
    this.db.transaction(() => {
      if (mode === "set") this.db.prepare(`DELETE FROM ${table} WHERE key_id = ?`).run(keyId);
      for (const id of ids) (mode === "remove" ? remove : insert).run(keyId, id);
    })();
  }
}
