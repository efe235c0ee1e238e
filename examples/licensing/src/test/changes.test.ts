/** Each change of the changelog, at the version before it and at its own, both directions. */
import { renderChangelog } from "@strata/core";
import { testApi, type TestApi } from "./harness";

let api: TestApi;
beforeEach(() => (api = testApi()));
afterEach(async () => {
  expect(api.failures).toEqual([]);
  await api.stop();
});

const policyBody = (api: TestApi, attributes: Record<string, unknown>) => ({
  data: {
    type: "policies",
    attributes: { name: "P", floating: true, maxMachines: 2, ...attributes },
    relationships: { product: { data: { type: "products", id: api.seed.product.id } } },
  },
});
const activate = (version: string, license: string, fingerprint: string) =>
  api
    .as(version)
    .post("machines", { data: { type: "machines", attributes: { fingerprint }, relationships: { license: { data: { type: "licenses", id: license } } } } });

describe("1.2: overage strategies replace `concurrent`", () => {
  test("1.1 clients send and receive `concurrent`; 1.2 clients `overageStrategy`", async () => {
    const old = await api.as("1.1").post("policies", policyBody(api, { concurrent: false }));
    expect(old.status).toBe(201);
    expect(old.body.data.attributes).toMatchObject({ concurrent: false });
    expect(old.body.data.attributes).not.toHaveProperty("overageStrategy");
    const now = await api.as("1.2").get(`policies/${old.body.data.id}`);
    expect(now.body.data.attributes).toMatchObject({ overageStrategy: "NO_OVERAGE" });
    expect(now.body.data.attributes).not.toHaveProperty("concurrent");
    // A 1.2 strategy with any overage is `concurrent: true` for 1.1.
    await api.as("1.2").patch(`policies/${old.body.data.id}`, { data: { type: "policies", attributes: { overageStrategy: "ALLOW_1_5X_OVERAGE" } } });
    expect((await api.as("1.1").get(`policies/${old.body.data.id}`)).body.data.attributes.concurrent).toBe(true);
  });

  test("`concurrent` is refused in the words of the version that has it", async () => {
    const wrongType = await api.as("1.1").post("policies", policyBody(api, { concurrent: "yes" }));
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors[0]).toMatchObject({ code: "PARAMETER_INVALID", source: { pointer: "/data/attributes/concurrent" } });
    const tooNew = await api.as("1.2").post("policies", policyBody(api, { concurrent: true }));
    expect(tooNew.status).toBe(400);
    expect(tooNew.body.errors[0]).toMatchObject({ code: "PARAMETER_UNPERMITTED", source: { pointer: "/data/attributes/concurrent" } });
  });

  test("the validation result is `meta.constant` before 1.2, and an overage the policy tolerates is invalid there", async () => {
    const policy = await api.as("1.6").post("policies", policyBody(api, { maxMachines: 1, overageStrategy: "ALLOW_2X_OVERAGE" }));
    const license = await api
      .as("1.6")
      .post("licenses", { data: { type: "licenses", relationships: { policy: { data: { type: "policies", id: policy.body.data.id } } } } });
    const id = license.body.data.id as string;
    expect((await activate("1.6", id, "one")).status).toBe(201);
    expect((await activate("1.6", id, "two")).status).toBe(201); // the 2x overage allows a second machine...
    expect((await activate("1.6", id, "three")).body.errors[0].code).toBe("MACHINE_LIMIT_EXCEEDED"); // ...not a third
    const validate = (version: string) => api.as(version).post(`licenses/${id}/actions/validate`, {});
    expect((await validate("1.2")).body.meta).toMatchObject({ valid: true, code: "TOO_MANY_MACHINES" });
    const old = (await validate("1.1")).body.meta;
    expect(old).toMatchObject({ valid: false, constant: "TOO_MANY_MACHINES" });
    expect(old).not.toHaveProperty("code");
    // VALID is valid in every version.
    expect((await api.as("1.0").post(`licenses/${api.seed.license.id}/actions/validate`, {})).body.meta).toMatchObject({ valid: true, constant: "VALID" });
  });
});

describe("1.3: activation starts the heartbeat (a behaviour change the handler asks about)", () => {
  test("a machine a 1.2 client activates waits for its first ping, in every later read too", async () => {
    const old = await activate("1.2", api.seed.license.id, "fp-old");
    const now = await activate("1.3", api.seed.license.id, "fp-new");
    expect(old.body.data.attributes).toMatchObject({ heartbeatStatus: "NOT_STARTED", lastHeartbeat: null, nextHeartbeat: null });
    expect(now.body.data.attributes).toMatchObject({ heartbeatStatus: "ALIVE", lastHeartbeat: expect.any(String) });
    expect((await api.as("1.6").get(`machines/${old.body.data.id}`)).body.data.attributes.heartbeatStatus).toBe("NOT_STARTED");
    const scoped = (fingerprint: string) => api.as("1.6").post(`licenses/${api.seed.license.id}/actions/validate`, { meta: { scope: { fingerprint } } });
    expect((await scoped("fp-old")).body.meta).toMatchObject({ valid: false, code: "HEARTBEAT_NOT_STARTED" });
    expect((await scoped("fp-new")).body.meta).toMatchObject({ valid: true, code: "VALID" });
    await api.as("1.2").post(`machines/${old.body.data.id}/actions/ping`);
    expect((await scoped("fp-old")).body.meta).toMatchObject({ valid: true, code: "VALID" });
  });
});

describe("1.4: machine strategies are named after machines", () => {
  test("1.3 clients send and receive fingerprint* names; the handler stores machine* ones", async () => {
    const old = await api
      .as("1.3")
      .post("policies", policyBody(api, { fingerprintUniquenessStrategy: "UNIQUE_PER_ACCOUNT", fingerprintMatchingStrategy: "MATCH_MOST" }));
    expect(old.status).toBe(201);
    expect(old.body.data.attributes).toMatchObject({ fingerprintUniquenessStrategy: "UNIQUE_PER_ACCOUNT", fingerprintMatchingStrategy: "MATCH_MOST" });
    expect(api.db.policies.get(api.seed.account.id, old.body.data.id)).toMatchObject({
      machineUniquenessStrategy: "UNIQUE_PER_ACCOUNT",
      machineMatchingStrategy: "MATCH_MOST",
    });
    const now = await api.as("1.4").get(`policies/${old.body.data.id}`);
    expect(now.body.data.attributes).toMatchObject({ machineUniquenessStrategy: "UNIQUE_PER_ACCOUNT", machineMatchingStrategy: "MATCH_MOST" });
    expect(now.body.data.attributes).not.toHaveProperty("fingerprintMatchingStrategy");
  });
});

describe("1.5: nested metadata keys keep their case", () => {
  test("1.4 reads them in snake_case, in single documents and lists; top-level keys never change", async () => {
    await api.as("1.6").patch(`licenses/${api.seed.license.id}`, {
      data: { type: "licenses", attributes: { metadata: { customerId: "c_1", billing: { seatCount: 5, contacts: [{ emailAddress: "ops@example.com" }] } } } },
    });
    const old = await api.as("1.4").get(`licenses/${api.seed.license.id}`);
    expect(old.body.data.attributes.metadata).toEqual({ customerId: "c_1", billing: { seat_count: 5, contacts: [{ email_address: "ops@example.com" }] } });
    const list = await api.as("1.4").get("licenses");
    expect(list.body.data[0].attributes.metadata.billing).toEqual({ seat_count: 5, contacts: [{ email_address: "ops@example.com" }] });
    expect((await api.as("1.5").get(`licenses/${api.seed.license.id}`)).body.data.attributes.metadata.billing).toEqual({
      seatCount: 5,
      contacts: [{ emailAddress: "ops@example.com" }],
    });
  });
});

describe("1.6: a license's user is its owner; machines have their own", () => {
  test("1.5 clients set and read `user`, at `/licenses/:id/user`", async () => {
    const created = await api.as("1.5").post("licenses", {
      data: {
        type: "licenses",
        relationships: { policy: { data: { type: "policies", id: api.seed.policy.id } }, user: { data: { type: "users", id: api.seed.user.id } } },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    expect(created.body.data.relationships.user.links.related).toMatch(new RegExp(`/licenses/${id}/user$`));
    expect(api.db.licenses.get(api.seed.account.id, id)!.ownerId).toBe(api.seed.user.id);

    const user = await api.as("1.5").get(`licenses/${id}/user`);
    expect(user.body.data).toMatchObject({ type: "users", id: api.seed.user.id });
    expect((await api.as("1.6").get(`licenses/${id}/user`)).status).toBe(404); // moved
    expect((await api.as("1.6").get(`licenses/${id}/owner`)).body.data.id).toBe(api.seed.user.id);

    const cleared = await api.as("1.5").put(`licenses/${id}/user`, { data: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.data.relationships.user.data).toBeNull();
  });

  test("an unknown owner is USER_NOT_FOUND at /data/relationships/user for 1.5, OWNER_NOT_FOUND at .../owner for 1.6", async () => {
    const body = (rel: string) => ({
      data: {
        type: "licenses",
        relationships: { policy: { data: { type: "policies", id: api.seed.policy.id } }, [rel]: { data: { type: "users", id: "nobody" } } },
      },
    });
    const old = await api.as("1.5").post("licenses", body("user"));
    expect(old.status).toBe(422);
    expect(old.body.errors[0]).toMatchObject({ code: "USER_NOT_FOUND", source: { pointer: "/data/relationships/user" } });
    const now = await api.as("1.6").post("licenses", body("owner"));
    expect(now.body.errors[0]).toMatchObject({ code: "OWNER_NOT_FOUND", source: { pointer: "/data/relationships/owner" } });
    const put = await api.as("1.5").put(`licenses/${api.seed.license.id}/user`, { data: { type: "users", id: "nobody" } });
    expect(put.body.errors[0]).toMatchObject({ code: "USER_NOT_FOUND", source: { pointer: "/data" } });
  });

  test("a 1.5 machine's `user` is its license's owner, whoever owns the machine", async () => {
    const other = api.db.users.insert({ ...api.seed.user, id: "0e1f2a3b-0000-4000-8000-000000000002", email: "grace@example.com" });
    const machine = await api.as("1.6").post("machines", {
      data: {
        type: "machines",
        attributes: { fingerprint: "fp" },
        relationships: { license: { data: { type: "licenses", id: api.seed.license.id } }, owner: { data: { type: "users", id: other.id } } },
      },
    });
    const old = await api.as("1.5").get(`machines/${machine.body.data.id}`);
    expect(old.body.data.relationships.user).toEqual({ data: { type: "users", id: api.seed.user.id } });
    expect(old.body.data.relationships).not.toHaveProperty("owner");
    // What 1.5 clients echo back (`user`) is not theirs to set: dropped, not refused.
    const echoed = await api.as("1.5").post("machines", {
      data: {
        type: "machines",
        attributes: { fingerprint: "fp-2" },
        relationships: { license: { data: { type: "licenses", id: api.seed.license.id } }, user: old.body.data.relationships.user },
      },
    });
    expect(echoed.status).toBe(201);
  });
});

test("the changelog reads like Keygen's, newest first", () => {
  const markdown = renderChangelog(api.versions.changelog());
  expect(markdown.indexOf("## 1.6")).toBeLessThan(markdown.indexOf("## 1.2"));
  expect(markdown).toContain("`fingerprintUniquenessStrategy` on policies is renamed to `machineUniquenessStrategy`.");
  expect(api.versions.changelog({ from: "1.3" }).map((e) => e.version)).toEqual(["1.6", "1.5", "1.4"]);
});
