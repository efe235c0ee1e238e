import { change, defineVersions } from "@strata/core";

/**
 * Dated behaviour change: no payload transform can say "this request may no longer mint an
 * empty-scope key", so the handler asks `req.apiVersion.has(scopesRequired)`.
 */
export const scopesRequired = change({
  description:
    "Creating an API key requires `scopes` with at least one scope. Before this version, a key minted without scopes is least-privilege (role `viewer`).",
  sideEffect: true,
});

export const SETTINGS_VERSION_HEADER = "Orbit-Version";

export const settingsVersions = defineVersions({
  scheme: "date",
  versions: [
    { id: "2026-08-01", changes: [scopesRequired] },
    // Empty-scope keys are deprecated from the day scopes became required: old pins still
    // work but every response says so (Deprecation header).
    { id: "2026-01-01", deprecatedAt: "2026-08-01" },
  ],
});
