import { Redis } from "ioredis";
import type { PinStore } from "@strata/core";
import { redisPins } from "@strata/store-redis";
import { describePinStoreConformance, Heard, sleep } from "./pin-store-conformance";
import { Cleanup, deleteKeys, REDIS_URL, uniqueId } from "./helpers";
import { describeWith, whenService } from "./services";

whenService("redis", () =>
  describePinStoreConformance("redis", async () => {
    const prefix = `strata-test:${uniqueId()}:`;
    return {
      store: redisPins({ url: REDIS_URL, prefix }),
      reopen: async () => redisPins({ url: REDIS_URL, prefix }),
      cleanup: () => deleteKeys(prefix),
    };
  }),
);

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
