import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./run";

const dir = mkdtempSync(join(tmpdir(), "strata-cli-preview-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, "versions.js"),
  `const { defineVersions, renameField } = require("@strata/core");
module.exports = defineVersions({ versions: [
  { id: "2026-09-01.preview", preview: true, changes: [renameField("key", "name", "title")] },
  { id: "2026-01-01" },
] });
`,
);

async function strata(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd: dir });
  return { code, stdout, stderr };
}

describe("preview versions in the CLI", () => {
  it("refuses to pin an account to a preview, before opening the store", async () => {
    const out = await strata("pins", "set", "acct_1", "2026-09-01.preview", "--actor", "ops", "--versions", "versions.js", "--store", "sqlite:./pins.db");
    expect(out.code).toBe(1);
    expect(out.stderr).toBe("error: 2026-09-01.preview is a preview: clients try it with the version header; an account cannot be pinned to it.\n");
  });

  it("marks the preview in the changelog", async () => {
    const out = await strata("changelog", "--versions", "versions.js");
    expect(out.stdout).toMatch(/^## 2026-09-01\.preview \(preview\)\n_Preview: served only to requests that name it/);
  });
});
