import type { UsageRow } from "@strata/core";
import { usageLines, usageLinesText } from "./usage-report";

const row = (over: Partial<UsageRow>): UsageRow => ({
  account: "acct_1",
  version: "1.0",
  source: "pin",
  day: "2026-12-01",
  requests: 1,
  deprecated: 0,
  firstSeen: new Date("2026-12-01T10:00:00Z"),
  lastSeen: new Date("2026-12-01T10:00:00Z"),
  ...over,
});

const rows = [
  row({ requests: 5, deprecated: 5 }),
  row({ day: "2026-11-30", requests: 2, deprecated: 2, lastSeen: new Date("2026-11-30T23:00:00Z") }),
  row({ account: "acct_2", source: "header", requests: 1, lastSeen: new Date("2026-12-01T11:00:00Z") }),
  row({ account: "", version: "1.6", source: "default", requests: 9 }),
];

describe("strata usage report", () => {
  it("sums per version, counting accounts, busiest first", () => {
    expect(usageLines(rows, false)).toEqual([
      { version: "1.6", accounts: 1, requests: 9, deprecated: 0, sources: { default: 9 }, lastSeen: "2026-12-01T10:00:00.000Z" },
      { version: "1.0", accounts: 2, requests: 8, deprecated: 7, sources: { pin: 7, header: 1 }, lastSeen: "2026-12-01T11:00:00.000Z" },
    ]);
  });

  it("lists the accounts still calling one version, with how they get it", () => {
    const lines = usageLines(
      rows.filter((r) => r.version === "1.0"),
      true,
    );
    expect(lines.map((l) => [l.account, l.requests, l.sources])).toEqual([
      ["acct_1", 7, { pin: 7 }],
      ["acct_2", 1, { header: 1 }],
    ]);
    expect(usageLinesText(lines, true, 30).split("\n")[2]).toBe("acct_2   1.0      1         0           header=1  2026-12-01T11:00:00.000Z");
    expect(usageLinesText([], true, 7)).toBe("No requests recorded in the last 7 days.\n");
  });
});

describe("strata usage against a real store", () => {
  it("answers who still calls a version, from the SQLite store's usage records", async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { sqlitePins } = await import("@strata/store-sqlite");
    const { run } = await import("./run");
    const dir = mkdtempSync(join(tmpdir(), "strata-cli-usage-"));
    try {
      const file = join(dir, "pins.db");
      const pins = sqlitePins(file);
      const today = new Date().toISOString().slice(0, 10);
      const at = new Date(`${today}T08:00:00.000Z`);
      await pins.recordUsage([
        { account: "acct_1", version: "2024-06-01", source: "pin", day: today, requests: 5, deprecated: 5, firstSeen: at, lastSeen: at },
        { account: "acct_2", version: "2024-06-01", source: "header", day: today, requests: 2, deprecated: 2, firstSeen: at, lastSeen: at },
        { account: "acct_2", version: "2025-01-15", source: "pin", day: today, requests: 9, deprecated: 0, firstSeen: at, lastSeen: at },
      ]);
      await pins.close();
      writeFileSync(
        join(dir, "versions.js"),
        `const { defineVersions } = require("@strata/core");\nmodule.exports = defineVersions({ versions: [{ id: "2025-01-15", changes: [require("@strata/core").renameField("k", "a", "b")] }, { id: "2024-06-01" }] });\n`,
      );
      let stdout = "";
      let stderr = "";
      const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd: dir };
      const code = await run(["usage", "--store", `sqlite:${file}`, "--versions", "versions.js", "--version", "2024-06-01", "--json"], io);
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(JSON.parse(stdout).map((l: { account: string; requests: number; sources: object }) => [l.account, l.requests, l.sources])).toEqual([
        ["acct_1", 5, { pin: 5 }],
        ["acct_2", 2, { header: 2 }],
      ]);
      stdout = "";
      expect(await run(["usage", "--store", `sqlite:${file}`, "--version", "2030-01-01", "--versions", "versions.js"], io)).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
