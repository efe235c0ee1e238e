import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Client } from "pg";
import Redis from "ioredis";
import { postgresPins } from "@strata/store-postgres";
import { redisPins } from "@strata/store-redis";
import type { PinStore } from "@strata/core";
import { describeEachWithServices } from "../pins/services";

// Two real server processes share one store: first-request pinning must be atomic across
// them, and an admin's pin change on one must reach the other's cache within a second.
const PG_URL = process.env.STRATA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.STRATA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const root = join(__dirname, "..", "..");
const script = join(__dirname, "fixtures", "pinned-server.js");

interface Instance {
  child: ChildProcess;
  url: string;
}

function startInstance(env: Record<string, string>): Promise<Instance> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    const timer = setTimeout(() => reject(new Error("server did not start within 15 s")), 15_000);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve({ child, url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}` });
    });
  });
}

async function stopInstance(i: Instance | undefined): Promise<void> {
  if (!i || i.child.exitCode !== null) return;
  const exited = new Promise((r) => i.child.once("exit", r));
  i.child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
  clearTimeout(timer);
  if (i.child.exitCode === null) i.child.kill("SIGKILL");
}

async function whoami(i: Instance, account: string): Promise<{ version: string; source: string; header: string | null }> {
  const res = await fetch(`${i.url}/whoami`, { headers: { "x-account": account } });
  const body = (await res.json()) as { version: string; source: string };
  return { ...body, header: res.headers.get("api-version") };
}

interface Backend {
  name: string;
  env: (ns: string) => Record<string, string>;
  open: (ns: string) => PinStore;
  drop: (ns: string) => Promise<void>;
}

const backends: Backend[] = [
  {
    name: "PostgreSQL",
    env: (ns) => ({ STORE: "postgres", STORE_URL: PG_URL, STORE_NAMESPACE: ns }),
    open: (ns) => postgresPins({ connectionString: PG_URL, schema: ns }),
    drop: async (ns) => {
      const c = new Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${ns}" CASCADE`);
      await c.end();
    },
  },
  {
    name: "Redis",
    env: (ns) => ({ STORE: "redis", STORE_URL: REDIS_URL, STORE_NAMESPACE: ns }),
    open: (ns) => redisPins({ url: REDIS_URL, prefix: ns }),
    drop: async (ns) => {
      const r = new Redis(REDIS_URL);
      const keys = await r.keys(`${ns}*`);
      if (keys.length) await r.del(...keys);
      r.disconnect();
    },
  },
];

const built = ["core", "express", "store-postgres", "store-redis"].every((p) => existsSync(join(root, "packages", p, "dist", "index.js")));

describeEachWithServices(backends, (b) => (b.name === "PostgreSQL" ? "postgres" : "redis"))("two server processes sharing $name", (backend) => {
  const ns = backend.name === "Redis" ? `strata-e2e:${randomBytes(4).toString("hex")}:` : `strata_e2e_${randomBytes(4).toString("hex")}`;
  let a: Instance | undefined;
  let b: Instance | undefined;
  let admin: PinStore;

  beforeAll(async () => {
    if (!built) throw new Error("Build first (npm test does): these tests run the built packages in child processes.");
    admin = backend.open(ns);
    await admin.usage(); // creates the schema before two processes race to
    [a, b] = await Promise.all([startInstance(backend.env(ns)), startInstance(backend.env(ns))]);
  });

  afterAll(async () => {
    await Promise.all([stopInstance(a), stopInstance(b)]);
    await admin?.close?.();
    await backend.drop(ns);
  });

  it("pins an account exactly once when its first requests race on both instances", async () => {
    const account = `acct_race_${randomBytes(3).toString("hex")}`;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => whoami(i % 2 ? a! : b!, account)));
    const pin = await admin.get(account);
    expect(pin?.version).toBe("2025-09-01");
    expect(new Set(results.map((r) => r.version))).toEqual(new Set([pin!.version]));
    expect(new Set(results.map((r) => r.header))).toEqual(new Set([pin!.version]));
    const history = await admin.history(account);
    expect(history.filter((h) => h.from === null)).toHaveLength(1);
    expect(results.filter((r) => r.source === "first-request").length).toBeLessThanOrEqual(2);
  });

  it("shows an admin's pin change on the other instance within one second", async () => {
    const account = `acct_move_${randomBytes(3).toString("hex")}`;
    await admin.pinIfAbsent(account, "2024-06-01");
    expect((await whoami(a!, account)).version).toBe("2024-06-01"); // now cached on both
    expect((await whoami(b!, account)).version).toBe("2024-06-01");
    const started = Date.now();
    await admin.set(account, "2025-01-15", { actor: "admin_1", reason: "upgrade" });
    let seen: string | undefined;
    while (Date.now() - started < 3000) {
      const [ra, rb] = await Promise.all([whoami(a!, account), whoami(b!, account)]);
      if (ra.version === "2025-01-15" && rb.version === "2025-01-15") {
        seen = rb.version;
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    const elapsed = Date.now() - started;
    expect(seen).toBe("2025-01-15");
    expect(elapsed).toBeLessThan(1000);
  });
});
