import { renderChangelog } from "@strata/core";
import { createVersions } from "./versions";

/** The changelog as Markdown, newest first: what the README quotes (a test keeps them equal). */
export function changelogMarkdown(): string {
  const versions = createVersions({ licenseOwner: () => null });
  // renderChangelog calls every version without changes "Initial version"; here only 1.0 is
  // (1.1 changed Keygen's distribution API, which this example does not serve).
  return renderChangelog(versions.changelog())
    .split("\n\n## ")
    .map((section) =>
      section.startsWith(`${versions.oldest.id}\n`) || section.startsWith(`## ${versions.oldest.id}\n`)
        ? section
        : section.replace("- Initial version.", "- No change to the licensing API."),
    )
    .join("\n\n## ");
}

if (require.main === module) console.log(changelogMarkdown());
