import { renderChangelog } from "@strata/core";
import type { Lookups } from "./changes/lookups";
import { createVersions } from "./versions";

/** Lookups are only called while migrating payloads; the changelog needs none. */
const none: Lookups = {
  keyOwner: () => undefined,
  apiWorkspace: () => undefined,
  keyRatelimits: () => [],
  countKeys: () => 0,
  countIdentities: () => 0,
  countOverrides: () => 0,
};

/** The API's changelog as Markdown, straight from the version list. */
export function changelogMarkdown(): string {
  return renderChangelog(createVersions(none).changelog());
}

if (require.main === module) console.log(changelogMarkdown());
