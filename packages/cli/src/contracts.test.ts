import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { run } from "./run";
import { headDocument } from "../../openapi/src/test/fixture";

const dir = mkdtempSync(join(tmpdir(), "strata-cli-contracts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = resolve(__dirname, "../../openapi/src/test/fixture");
// A --contracts module as an app writes it; the broken one answers v1 clients a number for a string.
writeFileSync(
  join(dir, "contracts.js"),
  `const { defineContracts } = require("@strata/openapi");
const { fixtureVersions, headDocument } = require(${JSON.stringify(fixture)});
exports.contracts = defineContracts({ versions: fixtureVersions(), document: headDocument(), resources: { key: "Key" } });
`,
);
writeFileSync(
  join(dir, "broken.js"),
  `const { change } = require("@strata/core");
const { defineContracts } = require("@strata/openapi");
const { fixtureVersions, headDocument } = require(${JSON.stringify(fixture)});
const broken = change({ description: "\`workspaceId\` is answered as a number.", resource: "key", response: (k) => { k.workspaceId = 7; }, schema: [] });
module.exports = defineContracts({ versions: fixtureVersions({ mid: [broken] }), document: headDocument(), resources: { key: "Key" } });
`,
);

async function strata(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd: dir });
  return { code, stdout, stderr };
}

describe("strata openapi, diff, check", () => {
  it("prints or writes a version's document", async () => {
    const out = await strata("openapi", "--contracts", "contracts.js", "--version", "2024-01-01");
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).info.version).toBe("2024-01-01");
    const written = await strata("openapi", "--contracts", "contracts.js", "--out", "latest.json");
    expect(written.stdout).toBe("Wrote the 2025-01-01 document to latest.json.\n");
    expect(JSON.parse(readFileSync(join(dir, "latest.json"), "utf8")).info.version).toBe("2025-01-01");
    const unknown = await strata("openapi", "--contracts", "contracts.js", "--version", "2023-01-01");
    expect(unknown).toMatchObject({ code: 1, stderr: 'error: Unknown --version "2023-01-01". Supported versions: 2025-01-01, 2024-06-01, 2024-01-01.\n' });
    const missing = await strata("openapi");
    expect(missing.stderr).toBe("error: This command needs the app's contracts: pass --contracts <module> or set STRATA_CONTRACTS.\n");
  });

  it("diffs two versions: endpoints, fields, enum values, breaking ones marked", async () => {
    const out = await strata("diff", "2024-01-01", "2024-06-01", "--contracts", "contracts.js", "--json");
    expect(out.code).toBe(0);
    const rules = (JSON.parse(out.stdout) as { rule: string; breaking: boolean }[]).map((d) => d.rule);
    expect(rules).toEqual(expect.arrayContaining(["endpoint-removed", "endpoint-added"]));
    const text = await strata("diff", "2024-01-01", "2024-06-01", "--contracts", "contracts.js");
    expect(text.stdout).toMatch(/^BREAKING endpoint-removed/m);
  });

  it("passes the check on a sound chain, naming approximate changes", async () => {
    const out = await strata("check", "--contracts", "contracts.js");
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("14 example migrations checked, 0 failed.");
    expect(out.stdout).toContain('APPROXIMATE 2024-06-01 "`start` on keys is named `prefix`... in the handler only.": it has no schema delta');
  });

  it("fails the check on a broken change, naming the change and the JSON pointer", async () => {
    const out = await strata("check", "--contracts", "broken.js");
    expect(out.code).toBe(1);
    expect(out.stdout).toContain(
      'FAIL 2024-01-01 GET /v1/keys.getKey response [200 basic] at /workspaceId: must be string (change "`workspaceId` is answered as a number.", 2024-06-01)',
    );
    expect(out.stderr).toMatch(/^error: check failed: \d+ contract failure\(s\)\.\n$/);
  });

  it("gates breaking changes against the released head document that no change accounts for", async () => {
    writeFileSync(join(dir, "released.json"), JSON.stringify(headDocument()));
    const same = await strata("check", "--contracts", "contracts.js", "--against", "released.json");
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("Against the released 2025-01-01 document:");
    expect(same.stdout).toContain("0 breaking and unaccounted for.");
    // The release promised `name` on keys; the head lost it without a removeField() in the chain.
    const released = headDocument() as { components: { schemas: { Key: { properties: Record<string, unknown> } } } };
    released.components.schemas.Key.properties.name = { type: "string" };
    writeFileSync(join(dir, "released-with-name.json"), JSON.stringify(released));
    const gated = await strata("check", "--contracts", "contracts.js", "--against", "released-with-name.json");
    expect(gated.code).toBe(1);
    expect(gated.stdout).toMatch(/BREAKING response-property-removed at .*name/);
    expect(gated.stderr).toMatch(/unaccounted breaking change/);
  });
});
