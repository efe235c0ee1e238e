import type { Application } from "express";
import type { Db } from "../db";
import { Ratelimiter } from "../ratelimiter";
import { createApi, deleteApi, getApi, listKeys } from "./apis";
import { op, type Operation } from "./http";
import { createIdentity, deleteIdentity, getIdentity, listIdentities, updateIdentity } from "./identities";
import { keyPermissions, keyRoles } from "./key-access";
import { createKey, deleteKey, getKey, updateCredits, updateKey, whoami } from "./keys";
import { createPermission, createRole, deletePermission, deleteRole, getPermission, getRole, listPermissions, listRoles } from "./permissions";
import { deleteOverride, getOverride, listOverrides, setOverride } from "./ratelimit";
import { verifyKey } from "./verify";

/** Every v2 operation, `POST /v2/<namespace>.<operation>`: the only handlers the API has. */
export function operations(limiter = new Ratelimiter()): Record<string, Operation> {
  return {
    "keys.createKey": createKey,
    "keys.getKey": getKey,
    "keys.verifyKey": verifyKey(limiter),
    "keys.updateKey": updateKey,
    "keys.deleteKey": deleteKey,
    "keys.updateCredits": updateCredits,
    "keys.whoami": whoami,
    "keys.addPermissions": keyPermissions("add"),
    "keys.removePermissions": keyPermissions("remove"),
    "keys.setPermissions": keyPermissions("set"),
    "keys.addRoles": keyRoles("add"),
    "keys.removeRoles": keyRoles("remove"),
    "keys.setRoles": keyRoles("set"),
    "apis.createApi": createApi,
    "apis.getApi": getApi,
    "apis.listKeys": listKeys,
    "apis.deleteApi": deleteApi,
    "identities.createIdentity": createIdentity,
    "identities.getIdentity": getIdentity,
    "identities.listIdentities": listIdentities,
    "identities.updateIdentity": updateIdentity,
    "identities.deleteIdentity": deleteIdentity,
    "permissions.createPermission": createPermission,
    "permissions.getPermission": getPermission,
    "permissions.listPermissions": listPermissions,
    "permissions.deletePermission": deletePermission,
    "permissions.createRole": createRole,
    "permissions.getRole": getRole,
    "permissions.listRoles": listRoles,
    "permissions.deleteRole": deleteRole,
    "ratelimit.setOverride": setOverride,
    "ratelimit.getOverride": getOverride,
    "ratelimit.listOverrides": listOverrides,
    "ratelimit.deleteOverride": deleteOverride,
  };
}

/** Register the v2 routes directly on the app, where startup checks can list them. */
export function mountV2(app: Application, db: Db): void {
  for (const [name, operation] of Object.entries(operations())) app.post(`/v2/${name}`, op(db, operation));
}
