import pg from "pg";
import { Redis } from "ioredis";
import { PinStoreTimeoutError, type PinStore } from "@strata/core";
import { postgresPins } from "@strata/store-postgres";
import { redisPins } from "@strata/store-redis";
import { TcpProxy } from "../e2e/tcp-proxy";
import { Heard, sleep } from "./pin-store-conformance";
import { Cleanup, deleteKeys, dropSchema, PG_URL, REDIS_URL, uniqueId } from "./helpers";
import { describeWith } from "./services";

// Store calls are bounded by `timeoutMs` and leave nothing wedged behind them: no pooled
// connection still waiting for an answer, no connection that arrived late and was lost.

const TIMEOUT_MS = 300;
/** Timer and scheduling slack allowed on top of the deadline. */
const SLACK_MS = 200;

/** Resolves with how long `work` took to reject, and with what. */
async function rejection(work: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await work;
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error("expected the call to reject");
}

/** `url` with its port replaced by the proxy's. */
const via = (url: string, proxy: TcpProxy): string => {
  const copy = new URL(url);
  copy.port = String(proxy.port);
  return copy.toString();
};

async function until(condition: () => boolean, withinMs = 3000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}

const closeStore = (store: PinStore) => store.close?.();
const startProxy = async (url: string): Promise<TcpProxy> => {
  const { hostname, port } = new URL(url);
  const proxy = new TcpProxy(hostname, Number(port));
  await proxy.start();
  return proxy;
};
// Heal before cutting, so the clients behind the proxy can close politely.
const stopProxy = async (proxy: TcpProxy) => {
  proxy.lift();
  await proxy.cut();
};

describeWith("postgres")("postgresPins timeoutMs", () => {
  let schema: string;
  let admin: pg.Client;
  const cleanup = new Cleanup();
  beforeEach(async () => {
    schema = `strata_timeout_${uniqueId()}`;
    admin = cleanup.add(new pg.Client({ connectionString: PG_URL }), (c) => c.end());
    await admin.connect();
    // The schema exists before each test, so a test's first call is not the migration.
    const seed = postgresPins({ connectionString: PG_URL, schema });
    await seed.pinIfAbsent("kept", "2024-06-01");
    await seed.close!();
  });
  afterEach(async () => {
    await cleanup.run();
    await dropSchema(schema);
  });

  it("rejects a query stuck past the deadline and destroys its connection instead of reusing it", async () => {
    const pool = cleanup.add(new pg.Pool({ connectionString: PG_URL, max: 1 }), (p) => p.end());
    pool.on("error", () => undefined);
    const store = cleanup.add(postgresPins({ pool, schema, timeoutMs: TIMEOUT_MS }), closeStore);
    expect(await store.get("kept")).toMatchObject({ version: "2024-06-01" });

    // The store's next query waits on this lock: in flight, with no answer coming.
    await admin.query("BEGIN");
    await admin.query(`LOCK TABLE "${schema}".pins IN ACCESS EXCLUSIVE MODE`);
    const { error, ms } = await rejection(store.get("kept"));
    expect(error).toBeInstanceOf(PinStoreTimeoutError);
    expect(error).toMatchObject({ code: "ETIMEDOUT", operation: "postgresPins: get", timeoutMs: TIMEOUT_MS });
    expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    expect(pool.totalCount).toBe(0); // destroyed, not handed back

    // The pool's only slot is free again: a call that does not need the lock goes through.
    expect(await store.history("kept")).toHaveLength(1);
    await admin.query("ROLLBACK");
    expect(await store.get("kept")).toMatchObject({ version: "2024-06-01" });
  });

  it("gives a connection that completes after the deadline back to the pool", async () => {
    const proxy = cleanup.add(await startProxy(PG_URL), stopProxy);
    // An app's pool with no connect timeout of its own, and a single connection to give.
    const pool = cleanup.add(new pg.Pool({ connectionString: via(PG_URL, proxy), max: 1 }), (p) => p.end());
    pool.on("error", () => undefined);
    const store = cleanup.add(postgresPins({ pool, schema, timeoutMs: TIMEOUT_MS }), closeStore);

    proxy.blackhole();
    const { error, ms } = await rejection(store.get("kept"));
    expect(error).toBeInstanceOf(PinStoreTimeoutError);
    expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    expect(pool.idleCount).toBe(0);

    proxy.lift(); // the connect completes now, long after its caller gave up
    await until(() => pool.idleCount === 1);
    expect(await store.get("kept")).toMatchObject({ version: "2024-06-01" });
    expect(pool.totalCount).toBe(1); // the same connection, not a leaked one plus a new one
  });

  it("bounds subscribe, then subscribes once the network is back", async () => {
    const proxy = cleanup.add(await startProxy(PG_URL), stopProxy);
    const store = cleanup.add(postgresPins({ connectionString: via(PG_URL, proxy), schema, timeoutMs: TIMEOUT_MS, onError: () => undefined }), closeStore);
    proxy.blackhole();
    const { error, ms } = await rejection(store.subscribe!(() => undefined));
    expect(error).toBeInstanceOf(PinStoreTimeoutError);
    expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);

    proxy.lift();
    const heard = new Heard();
    await store.subscribe!(heard.listener);
    await store.set("kept", "2025-01-15", { actor: "admin" });
    await heard.waitFor("kept");
  });
});

describeWith("redis")("redisPins timeoutMs", () => {
  let prefix: string;
  const cleanup = new Cleanup();
  beforeEach(() => {
    prefix = `strata-timeout:${uniqueId()}:`;
  });
  afterEach(async () => {
    await cleanup.run();
    await deleteKeys(prefix);
  });

  it("bounds calls on an app's client that has no timeouts of its own, which works again afterwards", async () => {
    const proxy = cleanup.add(await startProxy(REDIS_URL), stopProxy);
    // ioredis defaults: no command timeout, 20 retries per command.
    const client = cleanup.add(new Redis(via(REDIS_URL, proxy)), (c) => c.quit());
    const store = cleanup.add(redisPins({ client, prefix, timeoutMs: TIMEOUT_MS }), closeStore);
    await store.pinIfAbsent("kept", "2024-06-01");

    proxy.blackhole();
    for (const call of [store.get("kept"), store.pinIfAbsent("new", "2024-06-01"), store.usage()]) {
      const { error, ms } = await rejection(call);
      expect(error).toBeInstanceOf(PinStoreTimeoutError);
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    }

    proxy.lift();
    expect(await store.get("kept")).toMatchObject({ version: "2024-06-01" });
    expect(client.status).toBe("ready");
  });

  it("bounds calls on the client it creates while the network is silent", async () => {
    const proxy = cleanup.add(await startProxy(REDIS_URL), stopProxy);
    const store = cleanup.add(redisPins({ url: via(REDIS_URL, proxy), prefix, timeoutMs: TIMEOUT_MS, onError: () => undefined }), closeStore);
    proxy.blackhole(); // before the first connection: TCP accepts, nothing else ever does
    const { error, ms } = await rejection(store.get("kept"));
    expect(error).toBeInstanceOf(PinStoreTimeoutError);
    expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    await expect(store.subscribe!(() => undefined)).rejects.toBeInstanceOf(PinStoreTimeoutError);

    proxy.lift();
    let pin: unknown;
    for (let i = 0; i < 30 && pin === undefined; i++) {
      pin = await store.pinIfAbsent("kept", "2024-06-01").catch(() => sleep(100).then(() => undefined));
    }
    expect(pin).toMatchObject({ created: true });
    // ioredis's ready check timed out during the blackhole; tearing down that connection
    // arms a 2 s timer (not unref'd): wait it out so jest does not report a lingering handle.
    await sleep(2100);
  });
});
