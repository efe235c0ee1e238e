import { defineVersions, type VersionSet } from "@strata/core";
import { apis, errors, envelope, identities, keyFields, keyOps, keys, overrides, paths, permissions, verify } from "./changes";
import type { Lookups } from "./changes/lookups";

/** The first v2 version: `/v1/...` is served at the version just before it. */
export const V2_LAUNCH = "2025-07-01";
export const V1 = "2024-01-01";

/**
 * The API's changelog, newest first. The handlers implement only the newest version; every
 * older one is served by the changes below, which move requests forward and answers back.
 * Within a version, endpoint moves apply to requests first, so every other change names routes
 * as they are in that version (`/v2/...`); the rest apply in the order listed. Responses and
 * errors go back through them in reverse.
 *
 * `lookups` gives the changes that restore v1-only fields (a key's workspace, a list's total)
 * read access to the data.
 */
export function createVersions(lookups: Lookups): VersionSet {
  return defineVersions({
    resources: { key: keys.isKey },
    versions: [
      {
        id: "2025-10-01",
        description: "Keys report when they were last used.",
        changes: [keys.keysReportLastUsedAt],
      },
      {
        id: V2_LAUNCH,
        description: "Unkey API v2: POST-only operations under /v2, a {meta, data} envelope, credits, named ratelimits, identities.",
        changes: [
          // Errors (first, so error responses are in the v1 format before anything refines them)
          errors.deleteProtectionAnswers412,
          errors.errorsGetV2Format,
          // Transport: every operation is a POST under /v2 with a JSON body (moves: run first)
          ...paths.getRequestsBecomePosts,
          paths.updateRemainingRenamed,
          paths.ratelimitNamespaceRenamed,
          paths.v1PathsMoveToV2,
          envelope.responsesGetEnvelope,
          // APIs and lists of keys (before the key fields: they see keys as a plain list)
          apis.listKeysPaginates(lookups),
          apis.getApiWithoutWorkspace(lookups),
          // Keys, wherever they appear
          keys.keyIdRenamed,
          keys.keyWorkspaceIdRemoved(lookups),
          keys.keyApiIdRemoved(lookups),
          keys.keyIdentityIncludesRatelimits,
          keyFields.ownerIdBecomesExternalId,
          keyFields.keysHaveNoEnvironment,
          keyFields.remainingAndRefillBecomeCredits,
          keyFields.ratelimitBecomesRatelimits(lookups),
          keyFields.permissionsNamedBySlug,
          keyFields.keyAccessOpsAnswerAll,
          keyOps.whoamiAnswersFullKey,
          keyOps.updateCreditsTakesOperation,
          // Verification
          verify.verifyKeyIgnoresApiId,
          verify.verifyCostMovesToCredits,
          verify.verifyRatelimitsByName,
          verify.verifyPermissionsAsQuery,
          verify.verifyRequestIdInMeta,
          verify.verifyIdentityIncludesRatelimits,
          // Identities
          identities.identitiesHaveNoEnvironment,
          identities.identityNamedInOneField,
          identities.listIdentitiesPaginates(lookups),
          identities.identityRatelimitsHaveIds,
          // Permissions and roles
          permissions.permissionSlugRequired,
          permissions.permissionAndRoleNamedInOneField,
          permissions.permissionListsPaginate,
          permissions.rolesIncludePermissions,
          // Ratelimit overrides
          overrides.overrideNamespaceInOneField,
          overrides.listOverridesPaginates(lookups),
          overrides.overrideIdRenamed,
        ],
      },
      {
        id: V1,
        description: "Unkey API v1, as spoken by @unkey/api 0.38.",
      },
    ],
  });
}
