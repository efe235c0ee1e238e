import { join } from "node:path";
import type { VersionSet } from "@strata/core";
import { defineContracts, type ContractExample, type Contracts } from "@strata/openapi";
import { V1 } from "./versions";

/**
 * v1 requests the contract check cannot render from the head document's examples: it fills an
 * older operation's parameters from the head example's body by name, and these were renamed
 * and are optional (`identityId` / `externalId` are `identity` now, `namespaceId` /
 * `namespaceName` are `namespace`). Here as the v1 SDK sends them; each must reach its v2
 * operation and fit its schema.
 */
const V1_REQUESTS: ContractExample[] = [
  { version: V1, operation: "GET /v1/identities.getIdentity", name: "by identityId", request: { query: { identityId: "id_36JwjktdZHRPqaUKZ" } } },
  { version: V1, operation: "GET /v1/identities.getIdentity", name: "by externalId", request: { query: { externalId: "user_42" } } },
  {
    version: V1,
    operation: "GET /v1/ratelimits.getOverride",
    name: "by namespace name",
    request: { query: { namespaceName: "email.outbound", identifier: "user_42" } },
  },
  { version: V1, operation: "GET /v1/ratelimits.listOverrides", name: "by namespace id", request: { query: { namespaceId: "rlns_1", limit: "1" } } },
];

/**
 * The API's contract per version: `openapi/head.json` describes v2 as `@unkey/api@2` does;
 * older documents are derived from it by the chain's schema deltas, each stated beside its
 * change, so none is approximate: the `2024-01-01` document is Unkey's v1 as `@unkey/api@0.38`
 * declares it (and, where keys-api differs, as keys-api serves it). `/v1/...` URLs are always
 * served at the last v1 version, so only its document holds them.
 */
export function createContracts(versions: VersionSet): Contracts {
  return defineContracts({
    versions,
    document: join(__dirname, "../openapi/head.json"),
    resources: { key: "Key" },
    header: "Unkey-Version",
    pathVersion: (path) => (path.startsWith("/v1/") ? V1 : undefined),
    examples: V1_REQUESTS,
  });
}
