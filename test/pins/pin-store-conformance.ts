/**
 * One behavioural suite for every PinStore: memory, SQLite, PostgreSQL, Redis.
 * A store passes only if it behaves like the in-memory reference in every case below.
 */
import { FIRST_REQUEST_ACTOR, type PinStore } from "@strata/core";

/** What a store's test file provides for one test: a fresh, empty store. */
export interface ConformanceFixture {
  store: PinStore;
  /** Another store instance over the same backing data (same file, schema or prefix). */
  reopen?: () => Promise<PinStore>;
  /** Removes the backing data. Stores are closed by the suite before this runs. */
  cleanup: () => Promise<void>;
}

/** Records what a listener hears and waits for it. */
export class Heard {
  readonly accounts: string[] = [];
  readonly listener = (account: string): void => void this.accounts.push(account);

  /** Resolves once `account` has been heard `times` times; rejects after `timeoutMs`. */
  async waitFor(account: string, times = 1, timeoutMs = 1000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.accounts.filter((a) => a === account).length < times) {
      if (Date.now() > deadline) {
        throw new Error(`not heard ${account} x${times} within ${timeoutMs} ms; heard ${JSON.stringify(this.accounts)}`);
      }
      await sleep(5);
    }
  }
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const byVersion = (a: { version: string }, b: { version: string }): number => (a.version < b.version ? -1 : 1);

/**
 * Registers the conformance suite for one store.
 *
 * `make` is called before every test and must return an empty store. Stores with backing
 * data that outlives an instance also return `reopen`; the memory store returns none, and
 * the two tests that need a second instance are then not registered (see below).
 *
 * @example
 * describePinStoreConformance("sqlite", async () => {
 *   const filename = tempFile();
 *   return { store: sqlitePins(filename), reopen: async () => sqlitePins(filename), cleanup: () => rm(filename) };
 * });
 */
export function describePinStoreConformance(
  name: string,
  make: () => Promise<ConformanceFixture>,
  // Jest registers tests before any fixture exists, so whether `make` will offer `reopen`
  // has to be said up front. Only the memory store passes false.
  capabilities: { reopen: boolean } = { reopen: true },
): void {
  describe(`PinStore conformance: ${name}`, () => {
    let fixture: ConformanceFixture;
    let opened: PinStore[];
    let store: PinStore;

    const reopen = async (): Promise<PinStore> => {
      if (!fixture.reopen) throw new Error(`${name}: the fixture declared reopen but make() returned none`);
      const other = await fixture.reopen();
      opened.push(other);
      return other;
    };

    beforeEach(async () => {
      fixture = await make();
      store = fixture.store;
      opened = [store];
    });

    afterEach(async () => {
      for (const s of opened) await s.close?.();
      await fixture.cleanup();
    });

    it("pins an account on its first request and reads it back", async () => {
      expect(await store.get("acct_1")).toBeUndefined();
      const before = Date.now();
      const { pin, created } = await store.pinIfAbsent("acct_1", "2024-06-01");
      expect(created).toBe(true);
      expect(pin).toEqual({ account: "acct_1", version: "2024-06-01", pinnedAt: expect.any(Date), updatedAt: expect.any(Date) });
      expect(pin.updatedAt.getTime()).toBe(pin.pinnedAt.getTime());
      // The store may stamp with its server's clock; allow for modest skew.
      expect(Math.abs(pin.pinnedAt.getTime() - before)).toBeLessThan(5000);
      expect(await store.get("acct_1")).toEqual(pin);
      expect(await store.history("acct_1")).toEqual([{ account: "acct_1", from: null, to: "2024-06-01", actor: FIRST_REQUEST_ACTOR, at: pin.pinnedAt }]);
    });

    it("pinIfAbsent is idempotent: a second call keeps the first pin", async () => {
      const first = await store.pinIfAbsent("acct_1", "2024-06-01");
      const second = await store.pinIfAbsent("acct_1", "2025-01-15");
      expect(second).toEqual({ pin: first.pin, created: false });
      expect(await store.history("acct_1")).toHaveLength(1);
    });

    it("of 50 concurrent pinIfAbsent for one account exactly one wins and all agree", async () => {
      const versions = Array.from({ length: 50 }, (_, i) => `2024-01-${String(i + 1).padStart(2, "0")}`);
      const results = await Promise.all(versions.map((v) => store.pinIfAbsent("acct_race", v)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const winner = results.find((r) => r.created)!.pin;
      for (const r of results) expect(r.pin).toEqual(winner);
      expect(await store.get("acct_race")).toEqual(winner);
      const history = await store.history("acct_race");
      expect(history).toEqual([{ account: "acct_race", from: null, to: winner.version, actor: FIRST_REQUEST_ACTOR, at: winner.pinnedAt }]);
    });

    it("set moves the pin and records actor and reason, newest history first", async () => {
      const { pin } = await store.pinIfAbsent("acct_1", "2024-06-01");
      const up = await store.set("acct_1", "2025-01-15", { actor: "admin_7", reason: "upgrade" });
      const back = await store.set("acct_1", "2024-06-01", { actor: "admin_8" });
      expect(up).toEqual({ account: "acct_1", from: "2024-06-01", to: "2025-01-15", actor: "admin_7", reason: "upgrade", at: expect.any(Date) });
      expect(back).toEqual({ account: "acct_1", from: "2025-01-15", to: "2024-06-01", actor: "admin_8", at: expect.any(Date) });
      expect(back).not.toHaveProperty("reason");
      expect(up.at.getTime()).toBeGreaterThanOrEqual(pin.pinnedAt.getTime());
      expect(back.at.getTime()).toBeGreaterThanOrEqual(up.at.getTime());

      const history = await store.history("acct_1");
      expect(history).toEqual([back, up, { account: "acct_1", from: null, to: "2024-06-01", actor: FIRST_REQUEST_ACTOR, at: pin.pinnedAt }]);
      expect(history[0]).not.toHaveProperty("reason");
      const now = await store.get("acct_1");
      expect(now).toEqual({ account: "acct_1", version: "2024-06-01", pinnedAt: pin.pinnedAt, updatedAt: back.at });
    });

    it("set creates the pin of an account that has none", async () => {
      const entry = await store.set("acct_new", "2025-01-15", { actor: "admin_1", reason: "migration" });
      expect(entry).toMatchObject({ account: "acct_new", from: null, to: "2025-01-15", actor: "admin_1", reason: "migration" });
      expect(await store.get("acct_new")).toEqual({ account: "acct_new", version: "2025-01-15", pinnedAt: entry.at, updatedAt: entry.at });
      expect(await store.pinIfAbsent("acct_new", "2024-06-01")).toMatchObject({ created: false, pin: { version: "2025-01-15" } });
    });

    it("history honours limit and keeps accounts apart", async () => {
      await store.pinIfAbsent("acct_1", "v0");
      for (let i = 1; i <= 4; i++) await store.set("acct_1", `v${i}`, { actor: "admin", reason: `step ${i}` });
      await store.pinIfAbsent("acct_2", "w0");
      expect((await store.history("acct_1")).map((c) => c.to)).toEqual(["v4", "v3", "v2", "v1", "v0"]);
      expect((await store.history("acct_1", { limit: 2 })).map((c) => c.to)).toEqual(["v4", "v3"]);
      expect((await store.history("acct_1", { limit: 1 }))[0]).toMatchObject({ from: "v3", to: "v4", reason: "step 4" });
      expect(await store.history("acct_1", { limit: 0 })).toEqual([]);
      expect(await store.history("acct_1", { limit: 50 })).toHaveLength(5);
      expect((await store.history("acct_2")).map((c) => c.to)).toEqual(["w0"]);
      expect(await store.history("nobody")).toEqual([]);
    });

    it("usage counts accounts per version and follows moves", async () => {
      expect(await store.usage()).toEqual([]);
      await store.pinIfAbsent("a", "2024-06-01");
      await store.pinIfAbsent("b", "2024-06-01");
      await store.pinIfAbsent("c", "2025-01-15");
      await store.pinIfAbsent("a", "2025-01-15"); // already pinned: no effect
      expect((await store.usage()).sort(byVersion)).toEqual([
        { version: "2024-06-01", accounts: 2 },
        { version: "2025-01-15", accounts: 1 },
      ]);
      await store.set("b", "2025-01-15", { actor: "admin" });
      await store.set("c", "2025-09-01", { actor: "admin" });
      await store.set("c", "2025-09-01", { actor: "admin", reason: "again" }); // same version twice
      expect((await store.usage()).sort(byVersion)).toEqual([
        { version: "2024-06-01", accounts: 1 },
        { version: "2025-01-15", accounts: 1 },
        { version: "2025-09-01", accounts: 1 },
      ]);
      await store.set("a", "2025-09-01", { actor: "admin" });
      await store.set("b", "2025-09-01", { actor: "admin" });
      expect(await store.usage()).toEqual([{ version: "2025-09-01", accounts: 3 }]);
    });

    it("subscribe hears every change made through the same store, once", async () => {
      const heard = new Heard();
      const unsubscribe = await store.subscribe!(heard.listener);
      await store.pinIfAbsent("a", "2024-06-01");
      await store.pinIfAbsent("a", "2025-01-15"); // not a change: must not be heard
      await store.set("b", "2025-01-15", { actor: "admin" });
      await store.set("a", "2025-01-15", { actor: "admin" });
      await heard.waitFor("b");
      await heard.waitFor("a", 2);
      await sleep(400); // long enough for a duplicate from a poller or a second channel to show up
      expect(heard.accounts).toEqual(["a", "b", "a"]);
      await unsubscribe();
    });

    it("unsubscribe stops delivery to that listener only", async () => {
      const kept = new Heard();
      const dropped = new Heard();
      const stopKept = await store.subscribe!(kept.listener);
      const stopDropped = await store.subscribe!(dropped.listener);
      await store.pinIfAbsent("a", "2024-06-01");
      await dropped.waitFor("a");
      await stopDropped();
      await store.set("b", "2025-01-15", { actor: "admin" });
      await kept.waitFor("b");
      await sleep(300);
      expect(dropped.accounts).toEqual(["a"]);
      await stopKept();
      await store.set("c", "2025-01-15", { actor: "admin" });
      await sleep(300);
      expect(kept.accounts).toEqual(["a", "b"]);
    });

    it("keeps accounts with unusual characters apart and intact", async () => {
      const accounts = ["ünïcødé-账户-🚀", `it's "quoted"`, "org:42:user:7", "pins:changed", "a b\tc", "back\\slash", "%_*?[]", "a"];
      const heard = new Heard();
      const unsubscribe = await store.subscribe!(heard.listener);
      for (const [i, account] of accounts.entries()) {
        expect((await store.pinIfAbsent(account, `2024-06-0${i + 1}`)).created).toBe(true);
      }
      await store.set("org:42:user:7", "2025-01-15", { actor: "admin:ü", reason: `because "reasons"` });
      for (const [i, account] of accounts.entries()) {
        const expected = account === "org:42:user:7" ? "2025-01-15" : `2024-06-0${i + 1}`;
        expect(await store.get(account)).toMatchObject({ account, version: expected });
        await heard.waitFor(account);
      }
      expect(await store.get("org:42")).toBeUndefined();
      expect(await store.history("org:42:user:7", { limit: 1 })).toEqual([
        expect.objectContaining({ account: "org:42:user:7", actor: "admin:ü", reason: `because "reasons"` }),
      ]);
      expect(await store.history("a")).toHaveLength(1);
      await unsubscribe();
    });

    // Registered only for stores whose data outlives one instance: the memory store has no
    // second instance to open and nothing that survives close, so it declares reopen: false.
    if (capabilities.reopen) {
      it("subscribe hears changes made through another instance on the same data", async () => {
        const other = await reopen();
        const heard = new Heard();
        const unsubscribe = await store.subscribe!(heard.listener);
        const started = Date.now();
        await other.pinIfAbsent("remote", "2024-06-01");
        await heard.waitFor("remote", 1, 1000);
        await other.set("remote", "2025-01-15", { actor: "admin" });
        await other.pinIfAbsent("remote", "2024-06-01"); // not a change
        await heard.waitFor("remote", 2, 1000);
        expect(Date.now() - started).toBeLessThan(2000);
        await sleep(400);
        expect(heard.accounts).toEqual(["remote", "remote"]);
        await unsubscribe();
        await other.set("remote", "2025-09-01", { actor: "admin" });
        await sleep(400);
        expect(heard.accounts).toHaveLength(2);
      });

      it("keeps pins, history and usage across close and reopen", async () => {
        const { pin } = await store.pinIfAbsent("acct_1", "2024-06-01");
        await store.set("acct_1", "2025-01-15", { actor: "admin_7", reason: "upgrade" });
        await store.pinIfAbsent("acct_2", "2024-06-01");
        const before = { pin: await store.get("acct_1"), history: await store.history("acct_1"), usage: await store.usage() };
        await store.close?.();
        const again = await reopen();
        expect(await again.get("acct_1")).toEqual(before.pin);
        expect((await again.get("acct_1"))!.pinnedAt).toEqual(pin.pinnedAt);
        expect(await again.history("acct_1")).toEqual(before.history);
        expect((await again.usage()).sort(byVersion)).toEqual(before.usage.sort(byVersion));
        expect(await again.pinIfAbsent("acct_2", "2025-01-15")).toMatchObject({ created: false, pin: { version: "2024-06-01" } });
      });
    }
  });
}
