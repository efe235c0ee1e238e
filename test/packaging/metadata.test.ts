import { execFileSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..");

describe("package metadata (scripts/package-metadata.mjs)", () => {
  it("is in sync: repository, homepage, bugs, engines, type, files, prepack, LICENSE, @strata/* peer ranges", () => {
    // Throws with the script's list of what is out of date.
    expect(() =>
      execFileSync(process.execPath, [join(root, "scripts", "package-metadata.mjs"), "--check"], { cwd: root, encoding: "utf8", stdio: "pipe" }),
    ).not.toThrow();
  });
});
