import { Redis } from "ioredis";
import { PinStoreTimeoutError, type PinStore, type UsageRow } from "@strata/core";
import { redisPins } from "@strata/store-redis";
import { TcpProxy } from "../e2e/tcp-proxy";
import { describePinStoreConformance, Heard, sleep, type ConformanceFixture } from "./pin-store-conformance";
import { describeUsageConformance } from "./usage-conformance";
import { Cleanup, deleteKeys, REDIS_URL, uniqueId } from "./helpers";
import { describeWith, whenService } from "./services";

/** An empty store under a key prefix of its own, for each test. */
const fixture = async (): Promise<ConformanceFixture> => {
  const prefix = `strata-test:${uniqueId()}:`;
  return {
    store: redisPins({ url: REDIS_URL, prefix }),
    reopen: async () => redisPins({ url: REDIS_URL, prefix }),
    cleanup: () => deleteKeys(prefix),
  };
};

whenService("redis", () => {
  describePinStoreConformance("redis", fixture);
  describeUsageConformance("redis", fixture);
});

const usageRow = (over: Partial<UsageRow>): UsageRow => ({
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

/** The id of the connection named `name` that is subscribed to a channel. */
async function subscriberId(admin: Redis, name: string): Promise<string | undefined> {
  const list = (await admin.call("CLIENT", "LIST", "TYPE", "pubsub")) as string;
  const line = list.split("\n").find((l) => l.includes(` name=${name} `) && / sub=1 /.test(l));
  return line && /\bid=(\d+)/.exec(line)![1];
}

describeWith("redis")("redisPins", () => {
  let prefix: string;
  let admin: Redis;
  const cleanup = new Cleanup();
  const closeStore = (store: PinStore) => store.close?.();
  beforeEach(() => {
    prefix = `strata-test:${uniqueId()}:`;
    admin = cleanup.add(new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }), (r) => r.disconnect());
  });
  afterEach(async () => {
    await cleanup.run();
    await deleteKeys(prefix);
  });

  it("rejects bad options with a message naming the option", () => {
    expect(() => redisPins({})).toThrow(/exactly one of `url` or `client`/);
    expect(() => redisPins({ url: "http://x" })).toThrow(expect.objectContaining({ name: "ConfigurationError", offender: "url" }));
    expect(() => redisPins({ url: REDIS_URL, prefix: "" })).toThrow(expect.objectContaining({ name: "ConfigurationError", offender: "prefix" }));
    expect(() => redisPins({ client: {} as never })).toThrow(expect.objectContaining({ name: "ConfigurationError", offender: "client" }));
    for (const timeoutMs of [0, -1, 1.5, Infinity, Number.NaN, 2 ** 31, "1000" as never]) {
      expect(() => redisPins({ url: REDIS_URL, timeoutMs })).toThrow(/`timeoutMs` must be a whole number of milliseconds/);
    }
    expect(() => redisPins({ url: REDIS_URL, timeoutMs: "1000" as never })).toThrow(/got "1000"/);
  });

  it("accepts any whole number of milliseconds as timeoutMs", async () => {
    for (const timeoutMs of [1, 250, 2 ** 31 - 1]) await redisPins({ url: REDIS_URL, prefix, timeoutMs }).close!();
  });

  it("rejects a history limit that is not a non-negative integer", async () => {
    const store = cleanup.add(redisPins({ url: REDIS_URL, prefix }), closeStore);
    await expect(store.history("a", { limit: -1 })).rejects.toThrow(RangeError);
    await expect(store.history("a", { limit: 1.5 })).rejects.toThrow(/non-negative integer/);
  });

  it("keeps everything under its prefix, in the documented keys", async () => {
    const store = cleanup.add(redisPins({ url: REDIS_URL, prefix }), closeStore);
    await store.pinIfAbsent("org:1", "2024-06-01");
    await store.set("org:1", "2025-01-15", { actor: "admin", reason: "why" });
    expect((await admin.keys(`${prefix}*`)).sort()).toEqual([`${prefix}history:org:1`, `${prefix}pin:org:1`, `${prefix}usage`]);
    expect(await admin.hgetall(`${prefix}usage`)).toEqual({ "2025-01-15": "1" });
    expect(await admin.hget(`${prefix}pin:org:1`, "version")).toBe("2025-01-15");
  });

  it("keeps usage in the documented keys: a hash per day, indexes by day, account and version", async () => {
    const store = cleanup.add(redisPins({ url: REDIS_URL, prefix }), closeStore);
    await store.recordUsage([usageRow({ account: "org:1", requests: 3, deprecated: 1 }), usageRow({ account: "org:1", day: "2026-12-02", source: "header" })]);
    expect((await admin.keys(`${prefix}*`)).sort()).toEqual(
      ["usage-by-account:org:1", "usage-by-version:2024-06-01", "usage-day:2026-12-01", "usage-day:2026-12-02", "usage-days"].map((k) => prefix + k),
    );
    const ms = Date.parse("2026-12-01T10:00:00.000Z");
    expect(await admin.hgetall(`${prefix}usage-day:2026-12-01`)).toEqual({ '["org:1","2024-06-01","pin"]': `[3,1,${ms},${ms}]` });
    expect(await admin.zrange(`${prefix}usage-days`, 0, -1)).toEqual(["2026-12-01", "2026-12-02"]);
    expect(await admin.zrange(`${prefix}usage-by-version:2024-06-01`, 0, -1)).toEqual([
      '2026-12-01["org:1","2024-06-01","pin"]',
      '2026-12-02["org:1","2024-06-01","header"]',
    ]);
  });

  it("finds an account's rows through its index, whatever characters the account and version hold", async () => {
    const store = cleanup.add(redisPins({ url: REDIS_URL, prefix }), closeStore);
    const odd = usageRow({ account: 'a"b:c\\d \u00e9', version: "v:1]" });
    await store.recordUsage([odd, usageRow({ account: "a" }), usageRow({ account: "" })]);
    expect(await store.readUsage({ account: odd.account })).toEqual([odd]);
    expect(await store.readUsage({ version: "v:1]" })).toEqual([odd]);
    expect((await store.readUsage({ account: "" })).map((r) => r.account)).toEqual([""]);
  });

  it("prunes the days before a given one, their hashes and index entries", async () => {
    const store = cleanup.add(redisPins({ url: REDIS_URL, prefix }), closeStore);
    await store.recordUsage([usageRow({ day: "2026-11-29" }), usageRow({ day: "2026-11-30", account: "acct_2" }), usageRow({ day: "2026-12-01" })]);
    expect(await store.pruneUsage("2026-12-01")).toBe(2);
    expect((await admin.keys(`${prefix}*`)).sort()).toEqual(
      ["usage-by-account:acct_1", "usage-by-version:2024-06-01", "usage-day:2026-12-01", "usage-days"].map((k) => prefix + k),
    );
    expect(await admin.zrange(`${prefix}usage-by-account:acct_1`, 0, -1)).toEqual(['2026-12-01["acct_1","2024-06-01","pin"]']);
    expect((await store.readUsage({ account: "acct_1" })).map((r) => r.day)).toEqual(["2026-12-01"]);
    expect(await store.pruneUsage("2026-12-01")).toBe(0);
    await expect(store.pruneUsage("2026-12-1")).rejects.toThrow(RangeError);
  });

  it("writes a batch larger than one script call, every row of it", async () => {
    const store = cleanup.add(redisPins({ url: REDIS_URL, prefix }), closeStore);
    const rows = Array.from({ length: 1200 }, (_, i) => usageRow({ account: `acct_${i}` }));
    await store.recordUsage(rows);
    await store.recordUsage(rows);
    const read = await store.readUsage({ version: "2024-06-01" });
    expect(read).toHaveLength(1200);
    expect(read.every((r) => r.requests === 2)).toBe(true);
  });

  it("rejects a usage batch it could not store as given, writing none of it", async () => {
    const store = cleanup.add(redisPins({ url: REDIS_URL, prefix }), closeStore);
    await expect(store.recordUsage([usageRow({}), usageRow({ day: "2026-12-1" })])).rejects.toThrow(/usage row 1 has an invalid day/);
    await expect(store.recordUsage([usageRow({ firstSeen: "2026-12-01" as never })])).rejects.toThrow(/invalid firstSeen/);
    await expect(store.readUsage({ since: "2026/12/01" })).rejects.toThrow(RangeError);
    expect(await admin.keys(`${prefix}*`)).toEqual([]);
  });

  describe("usage calls and timeoutMs", () => {
    let proxy: TcpProxy;
    let client: Redis;
    beforeEach(async () => {
      const { hostname, port } = new URL(REDIS_URL);
      proxy = cleanup.add(new TcpProxy(hostname, Number(port || 6379)), async (p) => {
        p.lift(); // heal first, so the client can quit politely
        await p.cut();
      });
      await proxy.start();
      client = cleanup.add(new Redis(`redis://127.0.0.1:${proxy.port}`), (c) => c.quit());
    });

    it("rejects each usage call after timeoutMs while the network is silent", async () => {
      const store = cleanup.add(redisPins({ client, prefix, timeoutMs: 200 }), closeStore);
      await store.recordUsage([usageRow({})]);
      proxy.blackhole();
      const started = Date.now();
      for (const call of [store.recordUsage([usageRow({})]), store.readUsage(), store.pruneUsage("2027-01-01")]) {
        await expect(call).rejects.toBeInstanceOf(PinStoreTimeoutError);
      }
      expect(Date.now() - started).toBeLessThan(1500);
      proxy.lift();
      // Redis now runs what was held back, in order, before this read: neither the batch nor
      // the prune (both gave up at their deadline) writes anything late.
      expect((await store.readUsage()).map((r) => r.requests)).toEqual([1]);
    });

    it("does not apply a batch whose scripts reach Redis after the deadline, so the retry counts it once", async () => {
      const store = cleanup.add(redisPins({ client, prefix, timeoutMs: 200 }), closeStore);
      await store.recordUsage([usageRow({})]);
      // The network goes silent right after the server's clock was read: the scripts are held.
      const time = client.time.bind(client) as () => Promise<number[]>;
      (client as unknown as { time: () => Promise<number[]> }).time = async () => {
        const now = await time();
        proxy.blackhole();
        return now;
      };
      await expect(store.recordUsage([usageRow({ requests: 5 })])).rejects.toBeInstanceOf(PinStoreTimeoutError);
      await sleep(100); // the server's clock moves past the batch's deadline
      proxy.lift();
      expect((await store.readUsage()).map((r) => r.requests)).toEqual([1]);
      (client as unknown as { time: () => Promise<number[]> }).time = time;
      await store.recordUsage([usageRow({ requests: 5 })]); // the recorder's retry
      expect((await store.readUsage()).map((r) => r.requests)).toEqual([6]);
    });
  });

  it("reloads its scripts after SCRIPT FLUSH", async () => {
    const store = cleanup.add(redisPins({ url: REDIS_URL, prefix }), closeStore);
    await store.pinIfAbsent("a", "2024-06-01");
    await admin.script("FLUSH");
    expect((await store.pinIfAbsent("b", "2024-06-01")).created).toBe(true);
  });

  it("rejects quickly, instead of waiting, when Redis cannot be reached", async () => {
    const errors: unknown[] = [];
    const store = cleanup.add(redisPins({ url: "redis://127.0.0.1:1", prefix, onError: (e) => errors.push(e) }), closeStore);
    const started = Date.now();
    await expect(store.get("acct")).rejects.toThrow();
    await expect(store.pinIfAbsent("acct", "2024-06-01")).rejects.toThrow();
    await expect(store.subscribe!(() => undefined)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(errors.length).toBeGreaterThan(0);
    await store.close!();
    // ioredis arms a 2 s timer (not unref'd) to destroy the socket of a client disconnected
    // after a failed connect; wait it out so jest does not report a lingering handle.
    await sleep(2100);
  });

  it("rejects while the app's client is disconnected, then works again with nothing lost", async () => {
    const client = cleanup.add(new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }), (c) => c.disconnect());
    const store = cleanup.add(redisPins({ client, prefix }), closeStore);
    await store.pinIfAbsent("kept", "2024-06-01");
    client.disconnect();
    await expect(store.get("kept")).rejects.toThrow(/Connection is closed/);
    await expect(store.set("kept", "2025-01-15", { actor: "admin" })).rejects.toThrow(/Connection is closed/);
    await client.connect();
    expect(await store.get("kept")).toMatchObject({ version: "2024-06-01" });
    expect(await store.history("kept")).toHaveLength(1);
    await store.close!();
    expect(client.status).toBe("ready"); // the app's client stays open
  });

  it("keeps hearing changes after the server drops its subscriber connection", async () => {
    const connectionName = `strata-test-${uniqueId()}`;
    const client = cleanup.add(new Redis(REDIS_URL, { maxRetriesPerRequest: 1, connectionName }), (c) => c.disconnect());
    const store = cleanup.add(redisPins({ client, prefix, onError: () => undefined }), closeStore);
    const writer = cleanup.add(redisPins({ url: REDIS_URL, prefix }), closeStore);
    const heard = new Heard();
    await store.subscribe!(heard.listener);
    const id = await subscriberId(admin, `${connectionName}-sub`);
    expect(id).toBeDefined();
    expect(await admin.call("CLIENT", "KILL", "ID", id!)).toBe(1);
    // ioredis reconnects and re-subscribes by itself; wait for that, then change a pin.
    const deadline = Date.now() + 3000;
    let again: string | undefined;
    while (!(again = await subscriberId(admin, `${connectionName}-sub`)) && Date.now() < deadline) await sleep(20);
    expect(again).toBeDefined();
    expect(again).not.toBe(id);
    await writer.set("after", "2025-01-15", { actor: "admin" });
    await heard.waitFor("after", 1, 1000);
  });
});
