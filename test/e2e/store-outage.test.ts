import express from "express";
import request from "supertest";
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import Redis from "ioredis";
import { defineVersions, type PinStore } from "@strata/core";
import { versioning, type VersioningOptions } from "@strata/express";
import { postgresPins } from "@strata/store-postgres";
import { redisPins } from "@strata/store-redis";
import { describeEachWithServices } from "../pins/services";
import { TcpProxy } from "./tcp-proxy";

// The store goes away mid-life (its TCP connections cut by a proxy), then comes back.
const PG = new URL(process.env.STRATA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test");
const REDIS = new URL(process.env.STRATA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379");

const versions = defineVersions({ versions: [{ id: "2025-09-01" }, { id: "2025-01-15" }, { id: "2024-06-01" }] });

interface Backend {
  name: string;
  target: URL;
  defaultPort: number;
  open: (proxyPort: number, ns: string) => PinStore;
  drop: (ns: string) => Promise<void>;
}

const backends: Backend[] = [
  {
    name: "PostgreSQL",
    target: PG,
    defaultPort: 5432,
    open: (port, ns) => {
      const url = new URL(PG.toString());
      url.port = String(port);
      return postgresPins({ connectionString: url.toString(), schema: ns, onError: () => undefined });
    },
    drop: async (ns) => {
      const c = new Client({ connectionString: PG.toString() });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${ns}" CASCADE`);
      await c.end();
    },
  },
  {
    name: "Redis",
    target: REDIS,
    defaultPort: 6379,
    open: (port, ns) => {
      const url = new URL(REDIS.toString());
      url.port = String(port);
      return redisPins({ url: url.toString(), prefix: ns });
    },
    drop: async (ns) => {
      const r = new Redis(REDIS.toString());
      const keys = await r.keys(`${ns}*`);
      if (keys.length) await r.del(...keys);
      r.disconnect();
    },
  },
];

function appWith(pins: PinStore, extra: Partial<VersioningOptions>) {
  const app = express();
  const mw = versioning({ versions, pins, account: (req) => req.get("x-account"), cache: false, ...extra });
  app.use(mw);
  app.get("/whoami", (req, res) => void res.json({ version: req.apiVersion.id }));
  return { app, mw };
}

describeEachWithServices(backends, (b) => (b.name === "PostgreSQL" ? "postgres" : "redis"))("when $name becomes unreachable", (backend) => {
  const ns = backend.name === "Redis" ? `strata-outage:${randomBytes(4).toString("hex")}:` : `strata_outage_${randomBytes(4).toString("hex")}`;
  let proxy: TcpProxy;
  let pins: PinStore;

  beforeAll(async () => {
    proxy = new TcpProxy(backend.target.hostname, Number(backend.target.port || backend.defaultPort));
    await proxy.start();
    pins = backend.open(proxy.port, ns);
    await pins.pinIfAbsent("acct_old", "2024-06-01");
  });

  afterAll(async () => {
    await Promise.race([pins.close?.(), new Promise((r) => setTimeout(r, 2000).unref())]);
    await proxy.cut().catch(() => undefined);
    await backend.drop(ns);
  });

  it("fails closed with a 503 problem and Retry-After, then recovers with nothing lost", async () => {
    const { app, mw } = appWith(pins, { onStoreError: "fail-closed", retryAfter: 7 });
    expect((await request(app).get("/whoami").set("x-account", "acct_old")).body.version).toBe("2024-06-01");

    await proxy.cut();
    const down = await request(app).get("/whoami").set("x-account", "acct_old");
    expect(down.status).toBe(503);
    expect(down.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(down.headers["retry-after"]).toBe("7");
    expect(down.body).toMatchObject({ code: "pin_store_unavailable", status: 503 });

    await proxy.restore();
    let version: string | undefined;
    for (let i = 0; i < 50 && version === undefined; i++) {
      const res = await request(app).get("/whoami").set("x-account", "acct_old");
      if (res.status === 200) version = res.body.version;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(version).toBe("2024-06-01");
    await mw.close();
  });

  it("serves the default version with a warning when configured to, then recovers", async () => {
    const { app, mw } = appWith(pins, { onStoreError: "serve-default", default: "latest" });
    await proxy.cut();
    const down = await request(app).get("/whoami").set("x-account", "acct_old");
    expect(down.status).toBe(200);
    expect(down.body.version).toBe("2025-09-01");
    expect(down.headers["strata-warning"]).toMatch(/pin store unavailable/);

    await proxy.restore();
    let version: string | undefined;
    for (let i = 0; i < 50; i++) {
      const res = await request(app).get("/whoami").set("x-account", "acct_old");
      if (!res.headers["strata-warning"]) {
        version = res.body.version;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(version).toBe("2024-06-01");
    expect((await pins.history("acct_old")).length).toBe(1);
    await mw.close();
  });
});
