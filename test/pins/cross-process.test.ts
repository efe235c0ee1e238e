/**
 * Two real processes against one backing store: the only way to show that pinIfAbsent is
 * atomic across processes and that subscribe hears other processes' changes.
 */
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { PinStore } from "@strata/core";
import { postgresPins } from "@strata/store-postgres";
import { redisPins } from "@strata/store-redis";
import { sqlitePins } from "@strata/store-sqlite";
import { deleteKeys, dropSchema, PG_URL, REDIS_URL, tempSqliteFile, uniqueId } from "./helpers";
import { describeEachWithServices } from "./services";

type Reply = { type: string; [key: string]: unknown };

/** One child process holding a store; messages it sends are queued until awaited. */
class Child {
  private readonly process: ChildProcess;
  private readonly inbox: Reply[] = [];
  private readonly waiting: Array<() => void> = [];
  readonly heard: Array<{ account: string; at: number }> = [];
  readonly exited: Promise<number | null>;

  constructor(kind: string, options: unknown) {
    this.process = fork(join(__dirname, "fixtures", "pin-child.js"), [JSON.stringify({ kind, options })], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.exited = new Promise((resolve) => this.process.once("exit", (code) => resolve(code)));
    this.process.on("message", (message: Reply) => {
      if (message.type === "heard") this.heard.push({ account: message.account as string, at: Date.now() });
      else this.inbox.push(message);
      this.waiting.splice(0).forEach((wake) => wake());
    });
  }

  /** The next reply of `type`; an error reply from the child fails the test with its stack. */
  async next(type: string, timeoutMs = 20_000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex((m) => m.type === type || m.type === "error");
      if (index >= 0) {
        const [message] = this.inbox.splice(index, 1);
        if (message!.type === "error") throw new Error(`child failed: ${message!.message}`);
        return message!;
      }
      if (Date.now() > deadline) throw new Error(`child sent no ${type} within ${timeoutMs} ms`);
      await new Promise<void>((wake) => {
        this.waiting.push(wake);
        setTimeout(wake, 50);
      });
    }
  }

  send(command: Record<string, unknown>): void {
    this.process.send(command);
  }

  /** Asks the child to close its store and waits for it to exit by itself. */
  async close(): Promise<void> {
    if (this.process.exitCode !== null || !this.process.connected) return;
    this.process.send({ cmd: "close" }, (error) => error && this.process.kill("SIGKILL"));
    const timer = setTimeout(() => this.process.kill("SIGKILL"), 10_000);
    const code = await this.exited;
    clearTimeout(timer);
    expect(code).toBe(0); // killed (null) means the store left something open
  }
}

interface Backend {
  kind: string;
  setup: () => { options: unknown; open: () => PinStore; cleanup: () => Promise<void> };
}

const backends: Backend[] = [
  {
    kind: "postgres",
    setup: () => {
      const schema = `strata_test_${uniqueId()}`;
      const options = { connectionString: PG_URL, schema };
      return { options, open: () => postgresPins(options), cleanup: () => dropSchema(schema) };
    },
  },
  {
    kind: "redis",
    setup: () => {
      const prefix = `strata-test:${uniqueId()}:`;
      const options = { url: REDIS_URL, prefix };
      return { options, open: () => redisPins(options), cleanup: () => deleteKeys(prefix) };
    },
  },
  {
    kind: "sqlite",
    setup: () => {
      const file = tempSqliteFile();
      const options = { filename: file.filename };
      return { options, open: () => sqlitePins(options), cleanup: file.remove };
    },
  },
];

describeEachWithServices(backends, (b) => b.kind)("two processes sharing a $kind pin store", ({ kind, setup }) => {
  let backing: ReturnType<Backend["setup"]>;
  let a: Child;
  let b: Child;
  let local: PinStore;

  beforeAll(async () => {
    backing = setup();
    local = backing.open();
    await local.get("__warm_up__"); // create the schema before two children race to
    a = new Child(kind, backing.options);
    b = new Child(kind, backing.options);
    await Promise.all([a.next("ready"), b.next("ready")]);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([a?.close(), b?.close()]);
    await local?.close?.();
    await backing?.cleanup();
  }, 30_000);

  it("lets exactly one of 50 concurrent first pins (25 per process) win", async () => {
    const account = `acct_race_${uniqueId()}`;
    const versions = (p: string) => Array.from({ length: 25 }, (_, i) => `2024-${p}-${String(i + 1).padStart(2, "0")}`);
    const startAt = Date.now() + 300;
    a.send({ cmd: "race", account, versions: versions("01"), startAt });
    b.send({ cmd: "race", account, versions: versions("02"), startAt });
    const [ra, rb] = await Promise.all([a.next("raced"), b.next("raced")]);
    const results = [...(ra.results as Array<{ created: boolean; version: string }>), ...(rb.results as Array<{ created: boolean; version: string }>)];
    expect(results).toHaveLength(50);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)!.version;
    expect(new Set(results.map((r) => r.version))).toEqual(new Set([winner]));
    expect(await local.get(account)).toMatchObject({ version: winner });
    expect(await local.history(account)).toEqual([expect.objectContaining({ from: null, to: winner, actor: "first-request" })]);
  });

  it("tells a subscribed process about another process's change within a second", async () => {
    a.send({ cmd: "subscribe" });
    await a.next("subscribed");
    const account = `acct_moved_${uniqueId()}`;
    const sent = Date.now();
    b.send({ cmd: "set", account, version: "2025-01-15" });
    await b.next("set");
    const deadline = Date.now() + 2000;
    while (!a.heard.some((h) => h.account === account) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const heard = a.heard.find((h) => h.account === account);
    expect(heard).toBeDefined();
    expect(heard!.at - sent).toBeLessThan(1000);
  });
});
