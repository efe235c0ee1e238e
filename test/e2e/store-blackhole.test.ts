import express from "express";
import request from "supertest";
import { defineVersions, type PinStore } from "@strata/core";
import { versioning } from "@strata/express";
import { postgresPins } from "@strata/store-postgres";
import { redisPins } from "@strata/store-redis";
import { deleteKeys, dropSchema, PG_URL, REDIS_URL, uniqueId } from "../pins/helpers";
import { describeEachWithServices } from "../pins/services";
import { TcpProxy } from "./tcp-proxy";

// The network between the app and its pin store starts dropping packets: no error, no
// close, just silence. A fail-closed app must still answer (503) promptly, and serve again
// once the network heals, without a restart. Issue 11, item 17.

const versions = defineVersions({ versions: [{ id: "2025-09-01" }, { id: "2025-01-15" }, { id: "2024-06-01" }] });
/** What the issue asks of a fail-closed answer while the store is unreachable. */
const ANSWER_WITHIN_MS = 2000;
/** Longer than any acceptable answer, so a hung request fails the test instead of stalling it. */
const GIVE_UP_MS = 4000;
const PINNED = "2024-06-01";
const ACCOUNTS = ["acct_a", "acct_b", "acct_c", "acct_d"];

interface Backend {
  name: string;
  url: URL;
  /** A store reaching the server through `port` (the proxy), or directly when omitted. */
  open: (ns: string, port?: number) => PinStore;
  drop: (ns: string) => Promise<void>;
  namespace: () => string;
}

const through = (url: URL, port?: number): string => {
  const copy = new URL(url.toString());
  if (port !== undefined) copy.port = String(port);
  return copy.toString();
};

const backends: Backend[] = [
  {
    name: "PostgreSQL",
    url: new URL(PG_URL),
    open: (schema, port) => postgresPins({ connectionString: through(new URL(PG_URL), port), schema, onError: () => undefined }),
    drop: dropSchema,
    namespace: () => `strata_blackhole_${uniqueId()}`,
  },
  {
    name: "Redis",
    url: new URL(REDIS_URL),
    open: (prefix, port) => redisPins({ url: through(new URL(REDIS_URL), port), prefix, onError: () => undefined }),
    drop: deleteKeys,
    namespace: () => `strata-blackhole:${uniqueId()}:`,
  },
];

function appWith(pins: PinStore) {
  const app = express();
  const mw = versioning({ versions, pins, account: (req) => req.get("x-account"), cache: false, onStoreError: "fail-closed" });
  app.use(mw);
  app.get("/whoami", (req, res) => void res.json({ version: req.apiVersion.id }));
  return { app, mw };
}

interface Answer {
  status: number;
  type?: string;
  code?: string;
  version?: string;
  ms: number;
}

/** One request, timed; a request still unanswered after GIVE_UP_MS comes back as status 0. */
async function ask(app: express.Express, account: string): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await request(app).get("/whoami").set("x-account", account).timeout(GIVE_UP_MS);
    return { status: res.status, type: res.headers["content-type"], code: res.body.code, version: res.body.version, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

/** Asserts a prompt fail-closed answer; returns its latency. */
function expectPrompt503(answer: Answer): number {
  expect({ status: answer.status, code: answer.code }).toEqual({ status: 503, code: "pin_store_unavailable" });
  expect(answer.type).toMatch(/^application\/problem\+json/);
  expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
  return answer.ms;
}

/** Polls until `account` is served 200 again; returns that answer (or the last failure). */
async function waitForService(app: express.Express, account: string, withinMs = 8000): Promise<Answer> {
  const deadline = Date.now() + withinMs;
  let answer: Answer;
  do {
    answer = await ask(app, account);
    if (answer.status === 200) return answer;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() < deadline);
  return answer;
}

/** Latencies seen by the tests, printed at the end when STRATA_TEST_REPORT is set. */
const seen: Record<string, number[]> = {};
const record = (label: string, ms: number): void => void (seen[label] ??= []).push(ms);
afterAll(() => {
  if (!process.env.STRATA_TEST_REPORT) return;
  for (const [label, values] of Object.entries(seen)) {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0);
    process.stdout.write(`${label}: n=${sorted.length} p50=${at(0.5)} ms p99=${at(0.99)} ms max=${at(1)} ms\n`);
  }
});

describeEachWithServices(backends, (b) => (b.name === "PostgreSQL" ? "postgres" : "redis"))("when the network to $name turns into a blackhole", (backend) => {
  let ns: string;
  let proxy: TcpProxy;
  let pins: PinStore | undefined;
  let close: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    ns = backend.namespace();
    proxy = new TcpProxy(backend.url.hostname, Number(backend.url.port));
    await proxy.start();
    // Seed the pins directly, not through the proxy, so every test starts from known pins.
    const seed = backend.open(ns);
    for (const account of ACCOUNTS) await seed.pinIfAbsent(account, PINNED);
    await seed.close?.();
  });

  afterEach(async () => {
    // Heal the network first (a test that failed may have left it broken), so the store can
    // close politely; cutting first would leave ioredis a 2 s timer to tear its socket down.
    proxy.lift();
    await close?.();
    await Promise.race([pins?.close?.(), new Promise((r) => setTimeout(r, 3000).unref())]);
    await proxy.cut();
    pins = close = undefined;
    await backend.drop(ns);
  });

  function serve() {
    pins = backend.open(ns, proxy.port);
    const { app, mw } = appWith(pins);
    close = () => mw.close();
    return app;
  }

  it("answers 503 within 2 s while established connections go silent, then serves the pin again", async () => {
    const app = serve();
    // Warm up: one connection per account, so the blackhole catches queries in flight.
    for (const answer of await Promise.all(ACCOUNTS.map((a) => ask(app, a)))) expect(answer).toMatchObject({ status: 200, version: PINNED });

    proxy.blackhole();
    for (const account of ACCOUNTS.slice(0, 2)) record(`${backend.name} silent, sequential`, expectPrompt503(await ask(app, account)));
    for (const answer of await Promise.all(ACCOUNTS.map((a) => ask(app, a)))) {
      record(`${backend.name} silent, concurrent`, expectPrompt503(answer));
    }

    proxy.lift();
    for (const account of ACCOUNTS) expect(await waitForService(app, account)).toMatchObject({ status: 200, version: PINNED });
  });

  it("answers 503 within 2 s when no connection ever completes, then serves the pin once it can", async () => {
    proxy.blackhole(); // before the store's first connection: TCP accepts, nothing else ever does
    const app = serve();
    for (const account of ACCOUNTS.slice(0, 2)) record(`${backend.name} never connects, sequential`, expectPrompt503(await ask(app, account)));
    for (const answer of await Promise.all(ACCOUNTS.map((a) => ask(app, a)))) {
      record(`${backend.name} never connects, concurrent`, expectPrompt503(answer));
    }

    proxy.lift();
    for (const account of ACCOUNTS) expect(await waitForService(app, account)).toMatchObject({ status: 200, version: PINNED });
  });

  if (backend.name === "Redis") {
    it("answers well under 2 s while connections are refused, then serves the pin again", async () => {
      const app = serve();
      expect(await ask(app, ACCOUNTS[0]!)).toMatchObject({ status: 200, version: PINNED });

      await proxy.cut();
      // Long enough for ioredis's default reconnect backoff (50 ms more per attempt) to grow.
      const until = Date.now() + 4000;
      while (Date.now() < until) {
        const answer = await ask(app, ACCOUNTS[0]!);
        record("Redis refused", answer.ms);
        expect({ status: answer.status, code: answer.code }).toEqual({ status: 503, code: "pin_store_unavailable" });
        expect(answer.ms).toBeLessThan(500);
      }

      await proxy.restore();
      expect(await waitForService(app, ACCOUNTS[0]!)).toMatchObject({ status: 200, version: PINNED });
    });
  }
});
