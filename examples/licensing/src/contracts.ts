import { join } from "node:path";
import type { VersionSet } from "@strata/core";
import { defineContracts, type Contracts } from "@strata/openapi";
import { VERSION_HEADER } from "./versions";

/**
 * Every version's contract: `openapi/head.json` describes 1.6 (the main operations); each older
 * document is derived from it by undoing the changes' schema deltas, newest first. Each delta
 * is stated beside its change, so no document is approximate.
 */
export function createContracts(versions: VersionSet): Contracts {
  return defineContracts({
    versions,
    document: join(__dirname, "../openapi/head.json"),
    header: VERSION_HEADER,
    // The schemas the changes edit (their `attributes` and `relationships`): each resource as
    // answered and, where clients send it, as sent.
    resources: { policy: ["Policy", "PolicyInput"], license: ["License", "LicenseInput"], machine: ["Machine", "MachineInput"], validation: "ValidationMeta" },
  });
}
