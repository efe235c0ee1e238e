import { memoryPins, usageRecorder, type UsageRow, type UsageStore } from "@strata/core";

const at = (iso: string) => new Date(iso);

describe("usageRecorder", () => {
  it("aggregates per account, version, source and UTC day, and writes one batch per flush", async () => {
    const pins = memoryPins();
    const writes: number[] = [];
    const store: UsageStore = {
      recordUsage: async (rows) => {
        writes.push(rows.length);
        await pins.recordUsage(rows);
      },
      readUsage: (q) => pins.readUsage(q),
    };
    let now = at("2026-12-01T10:00:00Z");
    const usage = usageRecorder(store, { flushIntervalMs: 60_000, now: () => now });
    usage.record("acct_1", "1.0", "pin", true);
    now = at("2026-12-01T11:00:00Z");
    usage.record("acct_1", "1.0", "pin", true);
    usage.record("acct_1", "1.6", "header", false);
    usage.record(undefined, "1.6", "default", false);
    now = at("2026-12-02T00:00:01Z");
    usage.record("acct_1", "1.0", "pin", true);
    expect(await pins.readUsage()).toEqual([]); // nothing written before the flush
    await usage.flush();
    expect(writes).toEqual([4]);
    const rows = await pins.readUsage();
    expect(rows.map((r) => [r.day, r.account, r.version, r.source, r.requests, r.deprecated])).toEqual([
      ["2026-12-02", "acct_1", "1.0", "pin", 1, 1],
      ["2026-12-01", "", "1.6", "default", 1, 0],
      ["2026-12-01", "acct_1", "1.0", "pin", 2, 2],
      ["2026-12-01", "acct_1", "1.6", "header", 1, 0],
    ]);
    const pinRow = rows.find((r) => r.day === "2026-12-01" && r.version === "1.0")!;
    expect([pinRow.firstSeen.toISOString(), pinRow.lastSeen.toISOString()]).toEqual(["2026-12-01T10:00:00.000Z", "2026-12-01T11:00:00.000Z"]);
    // A second flush adds up in the store.
    now = at("2026-12-02T09:00:00Z");
    usage.record("acct_1", "1.0", "pin", true);
    await usage.close();
    expect(await pins.readUsage({ account: "acct_1", version: "1.0", since: "2026-12-02" })).toMatchObject([{ requests: 2, deprecated: 2 }]);
    expect(writes).toEqual([4, 1]);
  });

  it("keeps the counts when a write fails, and writes them with the next batch", async () => {
    const pins = memoryPins();
    let fail = true;
    const store: UsageStore = {
      recordUsage: async (rows: readonly UsageRow[]) => {
        if (fail) throw new Error("store down");
        await pins.recordUsage(rows);
      },
      readUsage: (q) => pins.readUsage(q),
    };
    const usage = usageRecorder(store, { flushIntervalMs: 60_000 });
    usage.record("a", "1.0", "pin", false);
    await usage.flush();
    usage.record("a", "1.0", "pin", false);
    fail = false;
    await usage.close();
    expect(await pins.readUsage()).toMatchObject([{ account: "a", requests: 2 }]);
  });

  it("writes early when many distinct rows wait, and on its interval", async () => {
    const pins = memoryPins();
    const usage = usageRecorder(pins, { flushIntervalMs: 20, maxRows: 3 });
    for (const a of ["a", "b", "c"]) usage.record(a, "1.0", "pin", false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await pins.readUsage()).toHaveLength(3);
    usage.record("d", "1.0", "pin", false);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await pins.readUsage()).toHaveLength(4);
    await usage.close();
  });
});

describe("usageRecorder batches", () => {
  it("writes a backlog in pieces of at most maxRows, keeping only the pieces that failed", async () => {
    const pins = memoryPins();
    const sizes: number[] = [];
    let release: (ok: boolean) => void = () => undefined;
    const store: UsageStore = {
      recordUsage: async (rows) => {
        sizes.push(rows.length);
        // The first write hangs, then fails: meanwhile a backlog builds up behind it.
        if (sizes.length === 1) {
          const ok = await new Promise<boolean>((resolve) => (release = resolve));
          if (!ok) throw new Error("timeout");
        }
        await pins.recordUsage(rows);
      },
      readUsage: (q) => pins.readUsage(q),
    };
    const usage = usageRecorder(store, { flushIntervalMs: 60_000, maxRows: 10 });
    for (let i = 0; i < 9; i++) usage.record(`a${i}`, "1.0", "pin", false);
    const first = usage.flush();
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 12; i++) usage.record(`b${i}`, "1.0", "pin", false);
    release(false);
    await first;
    await usage.close();
    // 9 failed and came back beside the 12 new ones: 21 rows, written 10, 10, 1.
    expect(sizes).toEqual([9, 10, 10, 1]);
    expect(await pins.readUsage()).toHaveLength(21);
    expect(await pins.pruneUsage("2999-01-01")).toBe(21);
    expect(await pins.readUsage()).toEqual([]);
  });
});
