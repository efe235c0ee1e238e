/**
 * Facts v1 responses carried that v2 responses no longer do (a key's workspace, a list's
 * total). The changes that restore them for v1 clients ask the app through this interface,
 * so they stay free of SQL; `dbLookups(db)` implements it.
 */
export interface Lookups {
  /** The workspace and API a key belongs to. */
  keyOwner(keyId: string): { workspaceId: string; apiId: string } | undefined;
  /** The workspace an API belongs to. */
  apiWorkspace(apiId: string): string | undefined;
  /** A key's ratelimits as v2 sends them in requests (for v1 updates that touch only one). */
  keyRatelimits(keyId: string): { name: string; limit: number; duration: number; autoApply: boolean }[];
  /** Live keys of an API, optionally only those of one identity (by externalId). */
  countKeys(apiId: string, externalId?: string): number;
  /** Identities of the root key's workspace. */
  countIdentities(rootKey: string): number;
  /** Overrides in a namespace (id or name) of the root key's workspace. */
  countOverrides(rootKey: string, namespace: string): number;
}
