/**
 * Delivery: signed, retried with backoff, logged per attempt, never lost while the process
 * runs (nor across a restart: the log is the queue), and never wedged on a slow receiver.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "../app";
import { parseSignatureHeader, verifyDelivery } from "../webhooks";
import { endpointFor, receiver, testApi, type TestApi } from "./harness";

const createLicense = (api: TestApi) =>
  api.as().post("licenses", { data: { type: "licenses", relationships: { policy: { data: { type: "policies", id: api.seed.policy.id } } } } });

/** The logged events of one endpoint, as the API lists them. */
const logOf = async (api: TestApi, endpointId: string) => {
  const list = await api.as().get("webhook-events");
  return (list.body.data as { id: string; attributes: Record<string, unknown>; relationships: { endpoint: { data: { id: string } } } }[]).filter(
    (e) => e.relationships.endpoint.data.id === endpointId,
  );
};

describe("signatures", () => {
  let api: TestApi;
  beforeAll(() => (api = testApi()));
  afterAll(() => api.stop());

  test("Ed25519 (the default) verifies with the account's public key, over timestamp.body", async () => {
    const hooks = await receiver();
    await endpointFor(api, hooks.url, { subscriptions: ["license.created"] });
    await createLicense(api);
    await api.webhooks.settled();
    await hooks.close();
    const [delivery] = hooks.deliveries;
    const header = delivery!.headers["keygen-signature"] as string;
    expect(parseSignatureHeader(header)).toMatchObject({ keyid: api.seed.account.id, algorithm: "ed25519" });
    const { publicKey } = (await api.as().get("/v1/accounts/acme")).body.data.attributes;
    expect(verifyDelivery({ body: delivery!.body, header, key: publicKey })).toBeUndefined();
    // Any change to the bytes, or a replay long after, fails.
    expect(verifyDelivery({ body: delivery!.body.replace("DELIVERING", "DELIVERED"), header, key: publicKey })).toBe("signature does not verify");
    expect(verifyDelivery({ body: delivery!.body, header, key: publicKey, now: new Date(Date.now() + 3_600_000) })).toMatch(/timestamp is \d+ s away/);
  });

  test("HMAC-SHA256 verifies with the secret shown once, when the endpoint was created", async () => {
    const hooks = await receiver();
    const endpoint = await endpointFor(api, hooks.url, { subscriptions: ["license.created"], signatureAlgorithm: "hmac-sha256" });
    expect(endpoint.signingSecret).toMatch(/^whsec_/);
    const read = await api.as().get(`webhook-endpoints/${endpoint.id}`);
    expect(JSON.stringify(read.body)).not.toContain(endpoint.signingSecret);
    await createLicense(api);
    await api.webhooks.settled();
    await hooks.close();
    const [delivery] = hooks.deliveries;
    const header = delivery!.headers["keygen-signature"] as string;
    expect(parseSignatureHeader(header).algorithm).toBe("hmac-sha256");
    expect(verifyDelivery({ body: delivery!.body, header, key: endpoint.signingSecret! })).toBeUndefined();
    expect(verifyDelivery({ body: delivery!.body, header, key: "whsec_wrong" })).toBe("signature does not verify");
  });
});

describe("retries", () => {
  let api: TestApi;
  beforeAll(() => (api = testApi()));
  afterAll(() => api.stop());

  test("a receiver that answers 500 twice, then 200, gets the event on the third attempt, and the log says so", async () => {
    const hooks = await receiver((n) => (n <= 2 ? 500 : 200));
    const endpoint = await endpointFor(api, hooks.url, { subscriptions: ["license.created"] });
    await createLicense(api);
    await api.webhooks.settled();
    await hooks.close();

    expect(hooks.deliveries).toHaveLength(3);
    // The same event each time: same bytes, same id, same idempotency token.
    expect(new Set(hooks.deliveries.map((d) => d.body)).size).toBe(1);
    const [event] = await logOf(api, endpoint.id);
    expect(event!.attributes).toMatchObject({
      event: "license.created",
      status: "DELIVERED",
      attempts: 3,
      lastResponseCode: 200,
      lastError: "HTTP 500",
      lastResponseBody: "ok",
    });
    const detail = await api.as().get(`webhook-events/${event!.id}`);
    const attempts = detail.body.meta.attempts as { attempt: number; at: string; responseCode: number; error: string | null }[];
    expect(attempts.map((a) => [a.attempt, a.responseCode, a.error])).toEqual([
      [1, 500, "HTTP 500"],
      [2, 500, "HTTP 500"],
      [3, 200, null],
    ]);
    // Exponential backoff: 5 ms, then 10 ms (FAST_RETRIES), at least.
    const gaps = attempts.slice(1).map((a, i) => Date.parse(a.at) - Date.parse(attempts[i]!.at));
    expect(gaps[0]).toBeGreaterThanOrEqual(5);
    expect(gaps[1]).toBeGreaterThanOrEqual(10);
  });

  test("after the last attempt an event is FAILED, with the reason: a refused connection", async () => {
    const gone = await receiver();
    const url = gone.url;
    await gone.close(); // nobody listens there any more
    const endpoint = await endpointFor(api, url, { subscriptions: ["license.created"] });
    await createLicense(api);
    await api.webhooks.settled();
    const [event] = await logOf(api, endpoint.id);
    expect(event!.attributes).toMatchObject({ status: "FAILED", attempts: 4, lastResponseCode: null, lastError: "connection refused", nextAttemptAt: null });
  });

  test("a receiver that never answers is timed out, not waited on", async () => {
    const slow = testApi({ webhooks: { timeoutMs: 100, maxAttempts: 2 } });
    const stalled = new Set<import("node:net").Socket>();
    const server = createServer((req) => stalled.add(req.socket)); // reads the request, never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = await endpointFor(slow, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { subscriptions: ["license.created"] });
    const started = Date.now();
    await createLicense(slow);
    await slow.webhooks.settled();
    expect(Date.now() - started).toBeLessThan(2000);
    const [event] = await logOf(slow, endpoint.id);
    expect(event!.attributes).toMatchObject({ status: "FAILED", attempts: 2, lastError: "timed out after 100 ms" });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await slow.stop();
  });

  test("a pending retry survives a restart: the new process resumes it from the log", async () => {
    let down = true;
    const hooks = await receiver(() => (down ? 503 : 200));
    const first = testApi({ webhooks: { baseDelayMs: 40 } });
    const endpoint = await endpointFor(first, hooks.url, { subscriptions: ["license.created"] });
    await createLicense(first);
    // Wait for the first attempt (503), then stop that process before its retry is due.
    for (let i = 0; i < 100 && hooks.deliveries.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await first.close();
    const [pending] = first.db.webhookEvents.list(first.seed.account.id, { endpoint_id: endpoint.id });
    expect(pending).toMatchObject({ status: "FAILING", attempts: 1, lastResponseCode: 503 });

    down = false;
    const second = createApp({ db: first.db, webhooks: { baseDelayMs: 5, jitter: 0 }, onError: (err) => first.failures.push(err) });
    await second.webhooks.settled();
    expect(first.db.webhookEvents.byId(pending!.id)).toMatchObject({ status: "DELIVERED", attempts: 2, lastResponseCode: 200 });
    expect(hooks.deliveries).toHaveLength(2);
    await second.close();
    first.db.close();
    await hooks.close();
    expect(first.failures).toEqual([]);
  });
});
