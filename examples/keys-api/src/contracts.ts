import { join } from "node:path";
import type { VersionSet } from "@strata/core";
import { defineContracts, type Contracts } from "@strata/openapi";
import { V1 } from "./versions";

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
  });
}
