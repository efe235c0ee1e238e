/**
 * One database, both published clients: keys written through v1 are read through v2 and the
 * other way round, and a workspace's pin (or the Unkey-Version header) picks the v2 date.
 */
import request from "supertest";
import { Unkey as UnkeyV1 } from "unkey-v1";
import { Unkey as UnkeyV2 } from "unkey-v2";
import { ROOT_KEY, WORKSPACE, auth, testServer } from "./harness";

let server: Awaited<ReturnType<typeof testServer>>;
let v1: UnkeyV1;
let v2: UnkeyV2;
let apiId: string;

beforeAll(async () => {
  server = await testServer();
  v1 = new UnkeyV1({ rootKey: ROOT_KEY, baseUrl: server.base, retry: { attempts: 0 }, disableTelemetry: true });
  v2 = new UnkeyV2({ rootKey: ROOT_KEY, serverURL: server.base, retryConfig: { strategy: "none" } });
  apiId = (await v1.apis.create({ name: "shared" })).result!.apiId;
});
afterAll(() => server.close());

describe("cross-version > the same data through both clients", () => {
  test("a key created with v1 reads through v2", async () => {
    const { keyId, key } = (
      await v1.keys.create({
        apiId,
        ownerId: "acme",
        remaining: 10,
        refill: { interval: "monthly", amount: 10, refillDay: 15 },
        ratelimit: { async: false, limit: 5, duration: 1000 },
      })
    ).result!;
    const { data } = await v2.keys.getKey({ keyId });
    expect(data).toMatchObject({
      keyId,
      identity: { externalId: "acme" },
      credits: { remaining: 10, refill: { interval: "monthly", amount: 10, refillDay: 15 } },
      ratelimits: [{ name: "default", limit: 5, duration: 1000, autoApply: true }],
    });
    expect((await v2.keys.verifyKey({ key })).data).toMatchObject({ valid: true, credits: 9 });
    expect((await v1.keys.verify({ key })).result).toMatchObject({ valid: true, remaining: 8, ownerId: "acme", ratelimit: { limit: 5, remaining: 3 } });
  });

  test("a key created with v2 reads through v1", async () => {
    const { keyId, key } = (
      await v2.keys.createKey({
        apiId,
        externalId: "globex",
        credits: { remaining: 2, refill: { interval: "daily", amount: 2 } },
        ratelimits: [
          { name: "burst", limit: 1, duration: 1000 },
          { name: "default", limit: 50, duration: 60_000, autoApply: true },
        ],
      })
    ).data;
    expect((await v1.keys.get({ keyId })).result).toMatchObject({
      id: keyId,
      apiId,
      workspaceId: WORKSPACE,
      ownerId: "globex",
      remaining: 2,
      refill: { interval: "daily", amount: 2 },
      ratelimit: { limit: 50, duration: 60_000 },
    });
    expect((await v1.keys.verify({ key, apiId })).result).toMatchObject({ valid: true, remaining: 1 });
  });

  test("a v1 ratelimit update keeps the named ratelimits v1 cannot see", async () => {
    const { keyId } = (
      await v2.keys.createKey({
        apiId,
        ratelimits: [
          { name: "burst", limit: 1, duration: 1000 },
          { name: "default", limit: 50, duration: 60_000, autoApply: true },
        ],
      })
    ).data;
    await v1.keys.update({ keyId, ratelimit: { limit: 7, duration: 2000 } });
    const names = (await v2.keys.getKey({ keyId })).data.ratelimits?.map((r) => `${r.name}:${r.limit}`);
    expect(names).toEqual(["burst:1", "default:7"]);
    await v1.keys.update({ keyId, ratelimit: null });
    expect((await v2.keys.getKey({ keyId })).data.ratelimits?.map((r) => r.name)).toEqual(["burst"]);
  });

  test("v1 listKeys and v2 listKeys see the same keys", async () => {
    const old = (await v1.apis.listKeys({ apiId, limit: 100 })).result!;
    const now = (await v2.apis.listKeys({ apiId })).result.data;
    expect(old.total).toBe(now.length);
    expect(old.keys.map((k) => k.id)).toEqual(now.map((k) => k.keyId));
  });
});

describe("cross-version > versions: URL major, header, pin", () => {
  const getKey = (keyId: string, version?: string) => {
    const r = request(server.app).post("/v2/keys.getKey").set(auth);
    return (version ? r.set("Unkey-Version", version) : r).send({ keyId });
  };

  test("/v1 is served at 2024-01-01, /v2 at the header's or pin's date; the version is echoed", async () => {
    const old = await request(server.app).get("/v1/apis.getApi").query({ apiId }).set(auth);
    expect(old.headers["unkey-version"]).toBe("2024-01-01");
    const now = await request(server.app).post("/v2/apis.getApi").set(auth).set("Unkey-Version", "2025-07-01").send({ apiId });
    expect(now.headers["unkey-version"]).toBe("2025-07-01");
    // Only /v2 answers depend on the header (the URL fixes /v1's version).
    expect(now.headers.vary).toMatch(/Unkey-Version/i);
  });

  test("the first /v2 call pins the workspace to the latest version", async () => {
    expect(await server.pins.get(WORKSPACE)).toMatchObject({ version: "2025-10-01" });
  });

  test("a workspace pinned to 2025-07-01 gets keys without lastUsedAt; the header overrides the pin", async () => {
    const { keyId, key } = (await v2.keys.createKey({ apiId })).data;
    await v2.keys.verifyKey({ key });
    expect((await getKey(keyId)).body.data.lastUsedAt).toEqual(expect.any(Number));

    // An admin moves the pin; the middleware hears it from the store and drops its cached pin.
    await server.pins.set(WORKSPACE, "2025-07-01", { actor: "test" });
    const pinned = await getKey(keyId);
    expect(pinned.headers["unkey-version"]).toBe("2025-07-01");
    expect(pinned.body.data.keyId).toBe(keyId);
    expect(pinned.body.data.lastUsedAt).toBeUndefined();
    // The v2 SDK keeps working at the older date: its schema does not need lastUsedAt.
    expect((await v2.keys.getKey({ keyId })).data.lastUsedAt).toBeUndefined();

    const latest = await getKey(keyId, "2025-10-01");
    expect(latest.headers["unkey-version"]).toBe("2025-10-01");
    expect(latest.body.data.lastUsedAt).toEqual(expect.any(Number));
    await server.pins.set(WORKSPACE, "2025-10-01", { actor: "test" });
  });

  test("a v1 date on /v2, or a v2 date on /v1, is a 400 naming the mismatch", async () => {
    const onV2 = await getKey("key_x", "2024-01-01");
    expect(onV2.status).toBe(400);
    expect(onV2.body.detail).toMatch(/2024-01-01 is not served under \/v2/);
    const onV1 = await request(server.app).get("/v1/keys.getKey?keyId=key_x").set(auth).set("Unkey-Version", "2025-10-01");
    expect(onV1.status).toBe(400);
  });

  test("an unknown version is a 400 listing the supported ones", async () => {
    const res = await getKey("key_x", "2023-01-01");
    expect(res.status).toBe(400);
    expect(res.body.supported).toEqual(["2025-10-01", "2025-07-01", "2024-01-01"]);
  });
});
