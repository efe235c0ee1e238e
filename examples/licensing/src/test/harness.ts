import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { createApp, type LicensingApi } from "../app";
import { openDb, type Db } from "../db";
import { seedAccount, type Seeded } from "../seed";
import type { DeliveryOptions } from "../webhooks";

export const TOKEN = "admin-test-acme";

/** Retries in milliseconds, no jitter: a suite sees every retry within a few tens of ms. */
export const FAST_RETRIES: DeliveryOptions = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40, jitter: 0, timeoutMs: 2000 };

export interface TestApi extends LicensingApi {
  db: Db;
  seed: Seeded;
  /** Server-side failures reported by the app: a test that expects none checks this is empty. */
  failures: unknown[];
  /**
   * Requests with an admin token (acme's by default) and the version header when given. Paths
   * without a leading `/` are under `/v1/accounts/<account>/`.
   */
  as(version?: string, who?: { account?: string; token?: string | null }): Client;
  stop(): Promise<void>;
}

type Method = "get" | "post" | "patch" | "put" | "delete";
export type Client = Record<Method, (path: string, body?: object) => request.Test>;

/** A fresh API over an in-memory database, with the seeded account `acme`. */
export function testApi(options: { webhooks?: DeliveryOptions } = {}): TestApi {
  const db = openDb(":memory:");
  const failures: unknown[] = [];
  const api = createApp({ db, webhooks: { ...FAST_RETRIES, ...options.webhooks }, onError: (err) => failures.push(err) });
  const seed = seedAccount(db, { slug: "acme", adminToken: TOKEN });
  const client = (version?: string, who: { account?: string; token?: string | null } = {}): Client => {
    const token = who.token === undefined ? TOKEN : who.token;
    const call = (method: Method) => (path: string, body?: object) => {
      let r = request(api.app)[method](path.startsWith("/") ? path : `/v1/accounts/${who.account ?? "acme"}/${path}`);
      if (token) r = r.set("Authorization", `Bearer ${token}`);
      if (version) r = r.set("Keygen-Version", version);
      if (body !== undefined) r = r.set("Content-Type", "application/vnd.api+json").send(JSON.stringify(body));
      return r;
    };
    return { get: call("get"), post: call("post"), patch: call("patch"), put: call("put"), delete: call("delete") };
  };
  return {
    ...api,
    db,
    seed,
    failures,
    as: (version, who) => client(version, who),
    stop: async () => {
      await api.close();
      db.close();
    },
  };
}

export interface Delivery {
  headers: IncomingMessage["headers"];
  /** The raw body, as signed. */
  body: string;
  /** Parsed: the webhook-events document. */
  event: { data: { id: string; attributes: { event: string; apiVersion: string; payload: string } }; meta: { idempotencyToken: string } };
  /** Its `payload`, parsed: the resource document at the endpoint's version. */
  payload: { data: Record<string, unknown>; meta?: Record<string, unknown> };
}

/**
 * A webhook receiver on 127.0.0.1 (port 0). `answer` decides each response's status (default 200);
 * every request is recorded, in arrival order.
 */
export async function receiver(answer: (n: number, delivery: Delivery) => number = () => 200): Promise<{
  url: string;
  deliveries: Delivery[];
  close(): Promise<void>;
}> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const event = JSON.parse(body) as Delivery["event"];
      const delivery = { headers: req.headers, body, event, payload: JSON.parse(event.data.attributes.payload) as Delivery["payload"] };
      deliveries.push(delivery);
      const status = answer(deliveries.length, delivery);
      res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "not now");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A webhook endpoint for `url`, at `apiVersion` when given (else the account's pin). */
export async function endpointFor(
  api: TestApi,
  url: string,
  attributes: Record<string, unknown> = {},
  version?: string,
): Promise<{ id: string; apiVersion: string; signingSecret?: string }> {
  const res = await api.as(version).post("webhook-endpoints", { data: { type: "webhook-endpoints", attributes: { url, ...attributes } } });
  if (res.status !== 201) throw new Error(`endpoint not created: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.data.id, apiVersion: res.body.data.attributes.apiVersion, signingSecret: res.body.meta?.signingSecret };
}

/** Every version id, oldest first. */
export const ALL_VERSIONS = ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6"] as const;
