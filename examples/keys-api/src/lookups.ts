import type { Lookups } from "./changes/lookups";
import type { Db } from "./db";

/** The data the v1 compatibility changes read, answered from the database. */
export function dbLookups(db: Db): Lookups {
  const workspaceOf = (rootKey: string) => db.workspaces.byRootKey(rootKey);
  return {
    keyOwner(keyId) {
      const key = db.keys.find(keyId);
      return key && { workspaceId: key.workspaceId, apiId: key.apiId };
    },
    apiWorkspace: (apiId) => db.workspaces.findApi(apiId)?.workspaceId,
    keyRatelimits: (keyId) => db.ratelimits.list({ keyId }).map(({ name, limit, duration, autoApply }) => ({ name, limit, duration, autoApply })),
    countKeys(apiId, externalId) {
      const api = db.workspaces.findApi(apiId);
      if (!api) return 0;
      if (externalId === undefined) return db.keys.count(apiId);
      const identity = db.identities.byExternalId(api.workspaceId, externalId);
      return identity ? db.keys.count(apiId, identity.id) : 0;
    },
    countIdentities(rootKey) {
      const ws = workspaceOf(rootKey);
      return ws ? db.identities.count(ws) : 0;
    },
    countOverrides(rootKey, namespace) {
      const ws = workspaceOf(rootKey);
      const ns = ws ? db.overrides.namespace(ws, namespace) : undefined;
      return ns ? db.overrides.count(ns.id) : 0;
    },
  };
}
