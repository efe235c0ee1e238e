import { existsSync } from "node:fs";
import { relative } from "node:path";

/** Where Debian's Chromium is (`apt-get install -y chromium`), or `STRATA_CHROMIUM`. */
export const CHROMIUM = process.env.STRATA_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Registers the browser suite when Chromium is installed; otherwise skips it with one loud
 * line, except in CI (`CI=true`) or with `STRATA_REQUIRE_BROWSER=1`, where a missing browser
 * fails the suite: `.ci/run` installs it.
 */
export function whenChromium(title: string, register: () => void): void {
  if (existsSync(CHROMIUM)) return describe(title, register);
  const where = `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set STRATA_CHROMIUM)`;
  if (process.env.CI === "true" || process.env.STRATA_REQUIRE_BROWSER === "1") {
    describe(title, () => {
      it("needs Chromium", () => {
        throw new Error(`${where}. CI and STRATA_REQUIRE_BROWSER=1 make this a failure, not a skip.`);
      });
    });
    return;
  }
  const file = (expect.getState() as { testPath?: string }).testPath;
  process.stderr.write(`\n>>> SKIPPED ${file ? relative(process.cwd(), file) : title}: ${where}.\n\n`);
  describe.skip(title, register);
}
