/**
 * The point of the example: clients of three versions at once, against the one set of 1.6
 * handlers. acme's integration still sends `Keygen-Version: 1.0`; legacy's account is pinned
 * at 1.3 and sends no header; and legacy's new build sends `Keygen-Version: 1.6` while it
 * upgrades.
 */
import { seedAccount, type Seeded } from "../seed";
import { testApi, type TestApi } from "./harness";

describe("a 1.0 client, an account pinned at 1.3 and a 1.6 override, at the same time", () => {
  let api: TestApi;
  let legacy: Seeded;
  const v10 = () => api.as("1.0");
  const pinned = () => api.as(undefined, { account: "legacy", token: legacy.adminToken });
  const override = () => api.as("1.6", { account: "legacy", token: legacy.adminToken });

  beforeAll(async () => {
    api = testApi();
    legacy = seedAccount(api.db, { slug: "legacy", adminToken: "admin-test-legacy" });
    // As if legacy had made its first request back when 1.3 was current.
    await api.pins.pinIfAbsent(legacy.account.id, "1.3");
  });
  afterAll(() => api.stop());

  const policyBody = (product: string, attributes: Record<string, unknown>) => ({
    data: {
      type: "policies",
      attributes: { floating: true, maxMachines: 2, ...attributes },
      relationships: { product: { data: { type: "products", id: product } } },
    },
  });

  test("each creates a policy in its own words and reads it back in them", async () => {
    const [old, mid, latest] = await Promise.all([
      v10().post("policies", policyBody(api.seed.product.id, { name: "Old", concurrent: true, fingerprintUniquenessStrategy: "UNIQUE_PER_POLICY" })),
      pinned().post(
        "policies",
        policyBody(legacy.product.id, { name: "Pinned", overageStrategy: "ALLOW_2X_OVERAGE", fingerprintMatchingStrategy: "MATCH_ALL" }),
      ),
      override().post(
        "policies",
        policyBody(legacy.product.id, { name: "New", overageStrategy: "NO_OVERAGE", machineUniquenessStrategy: "UNIQUE_PER_PRODUCT" }),
      ),
    ]);
    expect([old.status, mid.status, latest.status]).toEqual([201, 201, 201]);
    expect([old, mid, latest].map((r) => r.headers["keygen-version"])).toEqual(["1.0", "1.3", "1.6"]);

    // 1.0: `concurrent`, fingerprint* names.
    expect(old.body.data.attributes).toMatchObject({
      concurrent: true,
      fingerprintUniquenessStrategy: "UNIQUE_PER_POLICY",
      fingerprintMatchingStrategy: "MATCH_ANY",
    });
    expect(old.body.data.attributes).not.toHaveProperty("overageStrategy");
    expect(old.body.data.attributes).not.toHaveProperty("machineUniquenessStrategy");
    // 1.3: overage strategies, still fingerprint* names.
    expect(mid.body.data.attributes).toMatchObject({ overageStrategy: "ALLOW_2X_OVERAGE", fingerprintMatchingStrategy: "MATCH_ALL" });
    expect(mid.body.data.attributes).not.toHaveProperty("concurrent");
    expect(mid.body.data.attributes).not.toHaveProperty("machineMatchingStrategy");
    // 1.6: machine* names.
    expect(latest.body.data.attributes).toMatchObject({ overageStrategy: "NO_OVERAGE", machineUniquenessStrategy: "UNIQUE_PER_PRODUCT" });
    expect(latest.body.data.attributes).not.toHaveProperty("fingerprintUniquenessStrategy");

    // One handler stored all three the 1.6 way.
    const stored = (id: string, account: string) => api.db.policies.get(account, id)!;
    expect(stored(old.body.data.id, api.seed.account.id)).toMatchObject({
      overageStrategy: "ALWAYS_ALLOW_OVERAGE",
      machineUniquenessStrategy: "UNIQUE_PER_POLICY",
    });
    expect(stored(mid.body.data.id, legacy.account.id)).toMatchObject({ overageStrategy: "ALLOW_2X_OVERAGE", machineMatchingStrategy: "MATCH_ALL" });
  });

  test("each reads a license and validates it, concurrently, in its own shapes", async () => {
    const reads = await Promise.all([
      v10().get(`licenses/${api.seed.license.id}`),
      pinned().get(`licenses/${legacy.license.id}`),
      override().get(`licenses/${legacy.license.id}`),
      v10().post(`licenses/${api.seed.license.id}/actions/validate`, {}),
      pinned().post(`licenses/${legacy.license.id}/actions/validate`, {}),
      override().post(`licenses/${legacy.license.id}/actions/validate`, {}),
    ]);
    const [old, mid, latest, oldCheck, midCheck, latestCheck] = reads;
    for (const r of reads) expect(r.status).toBe(200);

    // The license's single user (1.0, 1.3) is 1.6's owner.
    expect(old.body.data.relationships.user).toEqual({
      data: { type: "users", id: api.seed.user.id },
      links: { related: `/v1/accounts/${api.seed.account.id}/licenses/${api.seed.license.id}/user` },
    });
    expect(mid.body.data.relationships).toHaveProperty("user");
    expect(mid.body.data.relationships).not.toHaveProperty("owner");
    expect(latest.body.data.relationships.owner.data).toEqual({ type: "users", id: legacy.user.id });
    // Nested metadata keys: snake_case up to 1.4, as written from 1.5.
    expect(old.body.data.attributes.metadata).toEqual({ seats: { reserved_for: "ops" } });
    expect(mid.body.data.attributes.metadata).toEqual({ seats: { reserved_for: "ops" } });
    expect(latest.body.data.attributes.metadata).toEqual({ seats: { reservedFor: "ops" } });
    // The validation result: `constant` before 1.2, `code` after.
    expect(oldCheck.body.meta).toMatchObject({ valid: true, constant: "VALID", detail: "is valid" });
    expect(oldCheck.body.meta).not.toHaveProperty("code");
    expect(midCheck.body.meta).toMatchObject({ valid: true, code: "VALID" });
    expect(latestCheck.body.meta).toMatchObject({ valid: true, code: "VALID" });
  });

  test("the override did not move legacy's pin; acme was pinned to 1.6 by its first request", async () => {
    expect((await api.pins.get(legacy.account.id))?.version).toBe("1.3");
    expect((await api.pins.get(api.seed.account.id))?.version).toBe("1.6");
    const plain = await api.as().get(`licenses/${api.seed.license.id}`);
    expect(plain.headers["keygen-version"]).toBe("1.6");
    expect(plain.body.data.relationships).toHaveProperty("owner");
    expect(api.failures).toEqual([]);
  });
});
