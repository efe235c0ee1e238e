import { addEndpoint, change, defineVersions, renameField, renderChangelog } from "@strata/core";

const versions = defineVersions({
  versions: [
    { id: "2026-08-01", changes: [change({ description: "`scopes` is required.", sideEffect: true })], releasedAt: "2026-08-03" },
    {
      id: "2025-09-30.acacia",
      description: "The acacia release.",
      changes: [renameField("key", "ownerId", "externalId"), addEndpoint("POST /v2/keys.rerollKey")],
    },
    {
      id: "2025-01-01",
      changes: [change({ description: "Errors carry `meta.requestId`.", error: () => undefined })],
      deprecatedAt: "2026-01-01",
      sunsetAt: "2027-01-01",
    },
    { id: "2024-06-01" },
  ],
});

describe("changelog", () => {
  it("lists every version newest first, with its changes in declaration order", () => {
    expect(versions.changelog()).toEqual([
      { version: "2026-08-01", releasedAt: "2026-08-03", changes: [{ description: "`scopes` is required.", kind: "side-effect" }] },
      {
        version: "2025-09-30.acacia",
        releasedAt: "2025-09-30",
        description: "The acacia release.",
        changes: [
          { description: "`ownerId` on key is renamed to `externalId`.", kind: "resource", resource: "key" },
          { description: "`POST /v2/keys.rerollKey` is added.", kind: "route", routes: ["POST /v2/keys.rerollKey"] },
        ],
      },
      {
        version: "2025-01-01",
        releasedAt: "2025-01-01",
        deprecatedAt: "2026-01-01",
        sunsetAt: "2027-01-01",
        changes: [{ description: "Errors carry `meta.requestId`.", kind: "global" }],
      },
      { version: "2024-06-01", releasedAt: "2024-06-01", changes: [] },
    ]);
  });

  it("lists what changed after `from`, excluding `from` itself", () => {
    expect(versions.changelog({ from: "2025-01-01" }).map((e) => e.version)).toEqual(["2026-08-01", "2025-09-30.acacia"]);
    expect(versions.changelog({ from: "2026-08-01" })).toEqual([]);
  });

  it("stops at `to`, including it", () => {
    expect(versions.changelog({ to: "2025-09-30" }).map((e) => e.version)).toEqual(["2025-09-30.acacia", "2025-01-01", "2024-06-01"]);
    expect(versions.changelog({ from: "2024-06-01", to: "2025-01-01" }).map((e) => e.version)).toEqual(["2025-01-01"]);
    expect(versions.changelog({ from: versions.oldest.id, to: versions.latest.id })).toHaveLength(3);
  });

  it("marks previews and names upgrade guides", () => {
    const withPreview = defineVersions({
      versions: [
        { id: "2026-09-01.preview", preview: true, changes: [change({ description: "Keys have `tags`.", response: () => undefined })] },
        { id: "2026-08-01", changes: [change({ description: "`scopes` is required.", sideEffect: true })] },
        { id: "2025-01-01", deprecatedAt: "2026-01-01", upgradeGuide: "https://docs.example.com/upgrade/2026-08-01" },
      ],
    });
    expect(renderChangelog(withPreview.changelog())).toBe(
      [
        "## 2026-09-01.preview (preview)",
        "_Preview: served only to requests that name it in the version header; never chosen by a pin or a default._",
        "",
        "- Keys have `tags`.",
        "",
        "## 2026-08-01",
        "- `scopes` is required.",
        "",
        "## 2025-01-01",
        "_Deprecated from 2026-01-01. Upgrade guide: https://docs.example.com/upgrade/2026-08-01_",
        "",
        "- Initial version.",
      ].join("\n"),
    );
    expect(withPreview.changelog()[0]).toMatchObject({ version: "2026-09-01.preview", preview: true });
  });

  it("renders Markdown, newest first, noting release dates that differ from the id", () => {
    expect(renderChangelog(versions.changelog())).toBe(
      [
        "## 2026-08-01 (2026-08-03)",
        "- `scopes` is required.",
        "",
        "## 2025-09-30.acacia",
        "The acacia release.",
        "",
        "- `ownerId` on key is renamed to `externalId`.",
        "- `POST /v2/keys.rerollKey` is added.",
        "",
        "## 2025-01-01",
        "_Deprecated from 2026-01-01. Sunset on 2027-01-01: from then on requests at this version are refused (410)._",
        "",
        "- Errors carry `meta.requestId`.",
        "",
        "## 2024-06-01",
        "- Initial version.",
      ].join("\n"),
    );
    expect(renderChangelog([])).toBe("");
  });
});
