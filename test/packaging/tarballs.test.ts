import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The registry's view of every package: scripts/pack-install.mjs packs them, lints the
 * tarballs (publint, attw), checks their contents, installs them into clean apps (Express 4
 * and 5; CommonJS, ES module and strict TypeScript consumers) and serves requests through
 * them. This suite runs it once and reports each group of checks as a test.
 */
const root = join(__dirname, "..", "..");

interface Check {
  group: string;
  name: string;
  ok: boolean;
  detail: string;
}
interface Report {
  checks: Check[];
  timings: Record<string, number>;
}

const GROUPS = ["pack", "contents", "publint", "attw", "app express5", "app express4"];

function runPackInstall(reportFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "scripts", "pack-install.mjs"), "--report", reportFile], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("packed tarballs installed into clean apps", () => {
  let report: Report;
  let output = "";
  const dir = mkdtempSync(join(tmpdir(), "strata-pack-report-"));

  beforeAll(async () => {
    const result = await runPackInstall(join(dir, "report.json"));
    output = result.output;
    try {
      report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as Report;
    } catch {
      throw new Error(`scripts/pack-install.mjs wrote no report (exit ${result.code}):\n${output}`);
    }
  }, 15 * 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(GROUPS)("%s: every check passes", (group) => {
    const checks = report.checks.filter((c) => c.group === group);
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.filter((c) => !c.ok).map((c) => `${c.name}\n${c.detail}`)).toEqual([]);
  });

  it("reports no check outside the known groups", () => {
    expect(report.checks.filter((c) => !GROUPS.includes(c.group)).map((c) => c.group)).toEqual([]);
  });
});
