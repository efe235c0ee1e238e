/**
 * Webhook events are rendered per endpoint, at the endpoint's own version, by the chain that
 * serves responses: what an endpoint at version V receives is what a GET at V answers.
 * Deliveries are real HTTP to a receiver on 127.0.0.1.
 */
import { ALL_VERSIONS, endpointFor, receiver, testApi, type Delivery, type TestApi } from "./harness";

type Receiver = Awaited<ReturnType<typeof receiver>>;

const byVersion = (deliveries: Delivery[], event: string) =>
  new Map(deliveries.filter((d) => d.event.data.attributes.event === event).map((d) => [d.event.data.attributes.apiVersion, d]));

describe("an endpoint per version", () => {
  let api: TestApi;
  let hooks: Receiver;

  beforeAll(async () => {
    api = testApi();
    hooks = await receiver();
    for (const version of ALL_VERSIONS) await endpointFor(api, hooks.url, { apiVersion: version });
  });
  afterAll(async () => {
    await api.stop();
    await hooks.close();
  });

  test("each receives license.created as a GET at its version answers it", async () => {
    const created = await api.as().post("licenses", {
      data: {
        type: "licenses",
        attributes: { name: "Team", metadata: { plan: { seatCount: 5, billingCycle: "yearly" } } },
        relationships: { policy: { data: { type: "policies", id: api.seed.policy.id } }, owner: { data: { type: "users", id: api.seed.user.id } } },
      },
    });
    expect(created.status).toBe(201);
    await api.webhooks.settled();
    const events = byVersion(hooks.deliveries, "license.created");
    expect([...events.keys()].sort()).toEqual([...ALL_VERSIONS]);
    for (const version of ALL_VERSIONS) {
      const read = await api.as(version).get(`licenses/${created.body.data.id}`);
      expect({ version, data: events.get(version)!.payload.data }).toEqual({ version, data: read.body.data });
    }
    // And the versions do differ: the owner was the license's `user` before 1.6, metadata was snake_case before 1.5.
    expect(events.get("1.5")!.payload.data.relationships).toHaveProperty("user");
    expect(events.get("1.6")!.payload.data.relationships).toHaveProperty("owner");
    expect(events.get("1.4")!.payload.data.attributes).toMatchObject({ metadata: { plan: { seat_count: 5, billing_cycle: "yearly" } } });
    expect(events.get("1.5")!.payload.data.attributes).toMatchObject({ metadata: { plan: { seatCount: 5, billingCycle: "yearly" } } });
  });

  test("each receives machine.created as a GET at its version answers it, the 1.5 `user` looked up", async () => {
    const other = api.db.users.insert({ ...api.seed.user, id: "3f6c2a1e-0000-4000-8000-000000000001", email: "grace@example.com", firstName: "Grace" });
    const created = await api.as().post("machines", {
      data: {
        type: "machines",
        attributes: { fingerprint: "fp-every-version", platform: "Linux" },
        relationships: { license: { data: { type: "licenses", id: api.seed.license.id } }, owner: { data: { type: "users", id: other.id } } },
      },
    });
    expect(created.status).toBe(201);
    await api.webhooks.settled();
    const events = byVersion(hooks.deliveries, "machine.created");
    for (const version of ALL_VERSIONS) {
      const read = await api.as(version).get(`machines/${created.body.data.id}`);
      expect({ version, data: events.get(version)!.payload.data }).toEqual({ version, data: read.body.data });
    }
    // 1.6: the machine's own owner; before it, the license's owner as `user`.
    expect(events.get("1.6")!.payload.data.relationships).toMatchObject({ owner: { data: { type: "users", id: other.id } } });
    expect(events.get("1.5")!.payload.data.relationships).toMatchObject({ user: { data: { type: "users", id: api.seed.user.id } } });
    expect(events.get("1.5")!.payload.data.relationships).not.toHaveProperty("owner");
  });

  test("each delivery says its version: in the event, in Keygen-Version, in the payload's shapes", async () => {
    for (const d of hooks.deliveries) {
      expect(d.headers["keygen-version"]).toBe(d.event.data.attributes.apiVersion);
      expect(d.headers["content-type"]).toBe("application/vnd.api+json");
      expect(d.event.data).toMatchObject({ type: "webhook-events", attributes: { status: "DELIVERING", endpoint: hooks.url } });
    }
    expect(api.failures).toEqual([]);
  });
});

describe("endpoints at 1.0 and 1.4 receive their own shapes of the same event", () => {
  let api: TestApi;
  let hooks: Receiver;

  beforeAll(async () => {
    api = testApi();
    hooks = await receiver();
    await endpointFor(api, hooks.url, { apiVersion: "1.0" });
    await endpointFor(api, hooks.url, { apiVersion: "1.4" });
  });
  afterAll(async () => {
    await api.stop();
    await hooks.close();
  });

  test("policy.created: `concurrent` and fingerprint* names at 1.0, overage and machine* names at 1.4", async () => {
    const created = await api.as().post("policies", {
      data: {
        type: "policies",
        attributes: { name: "Overage", floating: true, maxMachines: 1, overageStrategy: "ALWAYS_ALLOW_OVERAGE", machineMatchingStrategy: "MATCH_TWO" },
        relationships: { product: { data: { type: "products", id: api.seed.product.id } } },
      },
    });
    expect(created.status).toBe(201);
    await api.webhooks.settled();
    const events = byVersion(hooks.deliveries, "policy.created");
    const at10 = events.get("1.0")!.payload.data.attributes as Record<string, unknown>;
    const at14 = events.get("1.4")!.payload.data.attributes as Record<string, unknown>;
    expect(at10).toMatchObject({ concurrent: true, fingerprintMatchingStrategy: "MATCH_TWO", fingerprintUniquenessStrategy: "UNIQUE_PER_LICENSE" });
    expect(at10).not.toHaveProperty("overageStrategy");
    expect(at14).toMatchObject({ overageStrategy: "ALWAYS_ALLOW_OVERAGE", machineMatchingStrategy: "MATCH_TWO" });
    expect(at14).not.toHaveProperty("concurrent");
    expect(at14).not.toHaveProperty("fingerprintMatchingStrategy");
  });

  test("license.validated: a tolerated overage is `valid: false` with `constant` at 1.0, `valid: true` with `code` at 1.4", async () => {
    const policy = api.db.policies.list(api.seed.account.id).find((p) => p.name === "Overage")!;
    const license = await api.as().post("licenses", { data: { type: "licenses", relationships: { policy: { data: { type: "policies", id: policy.id } } } } });
    for (const fingerprint of ["fp-a", "fp-b"]) {
      const machine = await api.as().post("machines", {
        data: { type: "machines", attributes: { fingerprint }, relationships: { license: { data: { type: "licenses", id: license.body.data.id } } } },
      });
      expect(machine.status).toBe(201);
    }
    const validated = await api.as().post(`licenses/${license.body.data.id}/actions/validate`, {});
    expect(validated.body.meta).toMatchObject({ valid: true, code: "TOO_MANY_MACHINES" });
    await api.webhooks.settled();
    const events = byVersion(hooks.deliveries, "license.validated");
    expect(events.get("1.0")!.payload.meta).toMatchObject({ valid: false, constant: "TOO_MANY_MACHINES", detail: "has too many associated machines" });
    expect(events.get("1.0")!.payload.meta).not.toHaveProperty("code");
    expect(events.get("1.4")!.payload.meta).toMatchObject({ valid: true, code: "TOO_MANY_MACHINES" });
    // Both documents carry the same license, each in its version's shape.
    expect(events.get("1.0")!.payload.data).toMatchObject({ id: license.body.data.id, relationships: { user: { data: null } } });
    expect(api.failures).toEqual([]);
  });
});

describe("an endpoint's version", () => {
  let api: TestApi;
  let hooks: Receiver;

  beforeAll(async () => {
    api = testApi();
    hooks = await receiver();
    // acme signed up when 1.2 was current.
    await api.pins.pinIfAbsent(api.seed.account.id, "1.2");
  });
  afterAll(async () => {
    await api.stop();
    await hooks.close();
  });

  test("is the account's pin when not given, even on a request that overrides the version", async () => {
    expect((await endpointFor(api, hooks.url)).apiVersion).toBe("1.2");
    expect((await endpointFor(api, hooks.url, {}, "1.6")).apiVersion).toBe("1.2");
    expect((await endpointFor(api, hooks.url, { apiVersion: "1.5" })).apiVersion).toBe("1.5");
  });

  test("moves with PATCH, and later events follow it", async () => {
    const own = await receiver();
    const endpoint = await endpointFor(api, own.url, { subscriptions: ["license.updated"] });
    const patch = (apiVersion: string) =>
      api.as().patch(`webhook-endpoints/${endpoint.id}`, { data: { type: "webhook-endpoints", attributes: { apiVersion } } });
    const update = (name: string) => api.as().patch(`licenses/${api.seed.license.id}`, { data: { type: "licenses", attributes: { name } } });
    await update("before");
    expect((await patch("1.6")).body.data.attributes.apiVersion).toBe("1.6");
    await update("after");
    await api.webhooks.settled();
    await own.close();
    expect(own.deliveries.map((d) => d.event.data.attributes.apiVersion)).toEqual(["1.2", "1.6"]);
    expect(own.deliveries[0]!.payload.data.relationships).toHaveProperty("user");
    expect(own.deliveries[1]!.payload.data.relationships).toHaveProperty("owner");
  });

  test("is a supported version, written without `v`", async () => {
    const bad = await api.as().post("webhook-endpoints", { data: { type: "webhook-endpoints", attributes: { url: hooks.url, apiVersion: "v1.4" } } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ code: "API_VERSION_INVALID", source: { pointer: "/data/attributes/apiVersion" } });
    expect(bad.body.errors[0].detail).toContain('drop the "v": "1.4"');
    const unknown = await api.as().post("webhook-endpoints", { data: { type: "webhook-endpoints", attributes: { url: hooks.url, apiVersion: "1.9" } } });
    expect(unknown.status).toBe(422);
  });

  test("subscriptions filter what an endpoint receives", async () => {
    const quiet = await receiver();
    await endpointFor(api, quiet.url, { subscriptions: ["machine.deleted"] });
    await api.as().post("licenses", { data: { type: "licenses", relationships: { policy: { data: { type: "policies", id: api.seed.policy.id } } } } });
    await api.webhooks.settled();
    expect(quiet.deliveries).toEqual([]);
    await quiet.close();
    expect(api.failures).toEqual([]);
  });
});
