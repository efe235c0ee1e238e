import { defineVersions, type VersionSet } from "@strata/core";
import { RESOURCES } from "./changes/jsonapi";
import { overageReplacesConcurrent, overageValidates, validationCodeRenamed } from "./changes/v1-2";
import { heartbeatStartsOnActivation } from "./changes/v1-3";
import { matchingStrategyRenamed, uniquenessStrategyRenamed } from "./changes/v1-4";
import { metadataKeysKeepCase } from "./changes/v1-5";
import { licenseUserIsOwner, machineOwner, ownerEndpointsMoved, ownerNotFoundCode, type Lookups } from "./changes/v1-6";

export { heartbeatStartsOnActivation } from "./changes/v1-3";
export type { Lookups } from "./changes/v1-6";

/** The version header, as Keygen names it. Values have no `v` prefix: `Keygen-Version: 1.2`. */
export const VERSION_HEADER = "Keygen-Version";

/**
 * The changelog, as code: versions newest first, each with the changes it introduced. Only the
 * 1.6 handlers exist; a request at 1.2 is migrated through the changes of 1.3 to 1.6 on its way
 * in, and its response back through them on its way out. Facts are Keygen's (its changelog and
 * keygen-api's `config/initializers/request_migrations.rb`); wording and code are this example's.
 *
 * The changes of 1.6 need one lookup (a machine's license owner), so the set is built per
 * database.
 */
export function createVersions(lookups: Lookups): VersionSet {
  return defineVersions({
    scheme: "semver",
    resources: RESOURCES,
    versions: [
      {
        id: "1.6",
        description: "Multi-user licenses: a license's single user becomes its owner, and machines get an owner of their own.",
        changes: [licenseUserIsOwner, ownerEndpointsMoved, ownerNotFoundCode, machineOwner(lookups)],
      },
      { id: "1.5", description: "Metadata keeps the case of its nested keys.", changes: [metadataKeysKeepCase] },
      { id: "1.4", description: "Machine strategies are named after machines.", changes: [uniquenessStrategyRenamed, matchingStrategyRenamed] },
      { id: "1.3", description: "Machine activation starts the heartbeat.", changes: [heartbeatStartsOnActivation] },
      {
        id: "1.2",
        description: "Overage strategies, and validation results that say `code`.",
        changes: [overageReplacesConcurrent, validationCodeRenamed, overageValidates],
      },
      {
        id: "1.1",
        // Keygen's 1.1 refactored its distribution API (a release has many artifacts). This
        // example serves licensing only, so 1.1 changes nothing here: 1.0 and 1.1 answer alike.
        description: "Keygen's distribution API refactor (releases and artifacts); nothing in the licensing API changed.",
      },
      { id: "1.0", description: "The first version." },
    ],
  });
}
