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
