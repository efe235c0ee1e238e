/**
 * Usage records (`recordUsage` / `readUsage`), the same for every store: memory, SQLite,
 * PostgreSQL, Redis. Registered by each store's test file beside the pin conformance suite.
 */
import type { PinStore, UsageRow } from "@strata/core";
import type { ConformanceFixture } from "./pin-store-conformance";

const row = (over: Partial<UsageRow>): UsageRow => ({
  account: "acct_1",
  version: "2024-06-01",
  source: "pin",
  day: "2026-12-01",
  requests: 1,
  deprecated: 0,
  firstSeen: new Date("2026-12-01T10:00:00.000Z"),
  lastSeen: new Date("2026-12-01T10:00:00.000Z"),
  ...over,
});

type UsageCapable = PinStore & Required<Pick<PinStore, "recordUsage" | "readUsage">>;

/** Register the usage cases for one store; `make` as for the pin conformance suite. */
export function describeUsageConformance(name: string, make: () => Promise<ConformanceFixture>, capabilities: { reopen: boolean } = { reopen: true }): void {
  describe(`Usage conformance: ${name}`, () => {
    let fixture: ConformanceFixture;
    let store: UsageCapable;
    const opened: PinStore[] = [];

    beforeEach(async () => {
      fixture = await make();
      store = fixture.store as UsageCapable;
      opened.push(store);
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close?.();
      await fixture.cleanup();
    });

    it("implements recordUsage and readUsage", () => {
      expect(typeof store.recordUsage).toBe("function");
      expect(typeof store.readUsage).toBe("function");
    });

    it("adds batches up per account, version, source and day, keeping the first and last time seen", async () => {
      await store.recordUsage([row({ requests: 3, deprecated: 3 }), row({ source: "header", requests: 2 })]);
      await store.recordUsage([
        row({ requests: 4, deprecated: 1, firstSeen: new Date("2026-12-01T09:00:00.000Z"), lastSeen: new Date("2026-12-01T12:30:00.000Z") }),
        row({ day: "2026-12-02", requests: 1, firstSeen: new Date("2026-12-02T01:00:00.000Z"), lastSeen: new Date("2026-12-02T01:00:00.000Z") }),
        row({ account: "", version: "2025-01-15", source: "default", requests: 9 }),
      ]);
      expect(await store.readUsage()).toEqual([
        row({ day: "2026-12-02", requests: 1, firstSeen: new Date("2026-12-02T01:00:00.000Z"), lastSeen: new Date("2026-12-02T01:00:00.000Z") }),
        row({ account: "", version: "2025-01-15", source: "default", requests: 9 }),
        row({ source: "header", requests: 2 }),
        row({ requests: 7, deprecated: 4, firstSeen: new Date("2026-12-01T09:00:00.000Z"), lastSeen: new Date("2026-12-01T12:30:00.000Z") }),
      ]);
    });

    it("filters by account, version and first day", async () => {
      await store.recordUsage([
        row({}),
        row({ account: "acct_2" }),
        row({ version: "2025-01-15" }),
        row({ day: "2026-11-01", firstSeen: new Date("2026-11-01T00:00:00Z"), lastSeen: new Date("2026-11-01T00:00:00Z") }),
      ]);
      expect((await store.readUsage({ account: "acct_2" })).map((r) => r.account)).toEqual(["acct_2"]);
      expect((await store.readUsage({ version: "2025-01-15" })).map((r) => r.version)).toEqual(["2025-01-15"]);
      expect((await store.readUsage({ account: "acct_1", version: "2024-06-01", since: "2026-11-15" })).map((r) => r.day)).toEqual(["2026-12-01"]);
      expect(await store.readUsage({ account: "nobody" })).toEqual([]);
    });

    it("accepts an empty batch", async () => {
      await store.recordUsage([]);
      expect(await store.readUsage()).toEqual([]);
    });

    if (capabilities.reopen) {
      it("adds up batches written at once by two instances, and keeps them across reopen", async () => {
        const other = (await fixture.reopen!()) as UsageCapable;
        opened.push(other);
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 === 0 ? store : other).recordUsage([row({ requests: 1 }), row({ account: `acct_${i % 3}`, source: "header" })]),
          ),
        );
        const rows = await other.readUsage();
        const total = rows.reduce((n, r) => n + r.requests, 0);
        expect(total).toBe(40);
        expect(rows.find((r) => r.account === "acct_1" && r.source === "pin")!.requests).toBe(20);
      });
    }
  });
}
