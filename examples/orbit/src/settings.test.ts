import request from "supertest";
import { memoryPins } from "@strata/core";
import { createApp } from "./app";
import { ACME_ADMIN_KEY, LEGACY_ADMIN_KEY } from "./settings/keys";

const KEYS = "/api/v1/settings/api-keys";
const WHOAMI = "/api/v1/settings/whoami";

function mint(app: ReturnType<typeof createApp>, adminKey: string, body: object, version?: string) {
  const req = request(app).post(KEYS).set("X-API-Key", adminKey);
  if (version) req.set("Orbit-Version", version);
  return req.send(body);
}

function expectProblem(res: request.Response, status: number, code: string, field?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
  if (field) expect(res.body.field).toBe(field);
}

describe("Settings API: scopes are required from 2026-08-01", () => {
  it("a tenant pinned before 2026-08-01 can mint an empty-scope key, which is a viewer", async () => {
    const app = createApp();
    const res = await mint(app, LEGACY_ADMIN_KEY, { name: "legacy" });
    expect(res.status).toBe(201);
    expect(res.headers["orbit-version"]).toBe("2026-01-01");
    expect(res.headers["deprecation"]).toMatch(/^@\d+$/);
    expect(res.body).toMatchObject({ object: "api_key", name: "legacy", scopes: [], role: "viewer", type: "secret", mode: "live" });
    const who = await request(app).get(WHOAMI).set("X-API-Key", res.body.key).expect(200);
    expect(who.body).toMatchObject({ tenant: "ten_legacy", api_version: "2026-01-01", api_version_source: "pin", api_key: { role: "viewer" } });
  });

  it("a tenant pinned at 2026-08-01 gets a 400 naming `scopes` when they are missing or empty", async () => {
    const app = createApp();
    const missing = await mint(app, ACME_ADMIN_KEY, { name: "ci" });
    expectProblem(missing, 400, "invalid_field", "scopes");
    expect(missing.headers["orbit-version"]).toBe("2026-08-01");
    expect(missing.body.detail).toContain("2026-08-01");
    expectProblem(await mint(app, ACME_ADMIN_KEY, { name: "ci", scopes: [] }), 400, "invalid_field", "scopes");
    const ok = await mint(app, ACME_ADMIN_KEY, { name: "ci", scopes: ["messages:write", "messages:write"] });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ scopes: ["messages:write"], role: "scoped" });
  });

  it("the Orbit-Version header overrides the pin, per request, both ways", async () => {
    const app = createApp();
    expectProblem(await mint(app, LEGACY_ADMIN_KEY, { name: "x" }, "2026-08-01"), 400, "invalid_field", "scopes");
    const old = await mint(app, ACME_ADMIN_KEY, { name: "x" }, "2026-01-01");
    expect(old.status).toBe(201);
    expect(old.body.role).toBe("viewer");
    // The override did not move either pin.
    expect((await mint(app, LEGACY_ADMIN_KEY, { name: "y" })).status).toBe(201);
    expectProblem(await mint(app, ACME_ADMIN_KEY, { name: "y" }), 400, "invalid_field", "scopes");
  });

  it("uses the pins of the store it is given", async () => {
    const pins = memoryPins();
    await pins.set("ten_acme", "2026-01-01", { actor: "admin_1", reason: "rollback" });
    const app = createApp({ settingsPins: pins });
    const res = await mint(app, ACME_ADMIN_KEY, { name: "x" });
    expect(res.status).toBe(201);
    expect(res.body.role).toBe("viewer");
    expect((await pins.get("ten_legacy"))?.version).toBe("2026-01-01");
  });

  it("refuses unknown or malformed versions with the supported list", async () => {
    const res = await mint(createApp(), ACME_ADMIN_KEY, { name: "x", scopes: ["a:b"] }, "2025-02-30");
    expect(res.status).toBe(400);
    expect(res.body.supported).toEqual(["2026-08-01", "2026-01-01"]);
  });
});

describe("Settings API: the key value is shown once", () => {
  it("returns it only in the creation response, with Cache-Control: no-store", async () => {
    const app = createApp();
    const created = await mint(app, ACME_ADMIN_KEY, { name: "server", scopes: ["messages:write"], mode: "test", expiresIn: "90d" });
    expect(created.status).toBe(201);
    expect(created.headers["cache-control"]).toBe("no-store");
    const secret: string = created.body.key;
    expect(secret).toMatch(/^dv_test_sk_[A-Za-z0-9_-]{32}$/);
    expect(created.body.prefix).toBe(`${secret.slice(0, 15)}...`);
    const days = (Date.parse(created.body.expires_at) - Date.parse(created.body.created_at)) / 86_400_000;
    expect(days).toBe(90);

    const one = await request(app).get(`${KEYS}/${created.body.id}`).set("X-API-Key", ACME_ADMIN_KEY).expect(200);
    const list = await request(app).get(KEYS).set("X-API-Key", ACME_ADMIN_KEY).expect(200);
    const who = await request(app).get(WHOAMI).set("X-API-Key", secret).expect(200);
    for (const res of [one, list, who]) {
      expect(res.text).not.toContain(secret);
      // Not no-store like the secret, but private: the shape follows the account's pin.
      expect(res.headers["cache-control"]).toBe("private");
    }
    expect(one.body.key).toBeUndefined();
    expect(one.body).toMatchObject({ id: created.body.id, name: "server", mode: "test" });
  });

  it("mints live, test and public keys with their prefixes", async () => {
    const app = createApp();
    const scopes = ["embed:read"];
    expect((await mint(app, ACME_ADMIN_KEY, { name: "a", scopes })).body.key).toMatch(/^dv_live_sk_/);
    expect((await mint(app, ACME_ADMIN_KEY, { name: "b", scopes, mode: "test" })).body.key).toMatch(/^dv_test_sk_/);
    expect((await mint(app, ACME_ADMIN_KEY, { name: "c", scopes, type: "public" })).body.key).toMatch(/^pk_live_/);
  });

  it("validates every field and names it", async () => {
    const app = createApp();
    const cases: [object, string][] = [
      [{}, "name"],
      [{ name: "  " }, "name"],
      [{ name: "x", scopes: ["a:b"], type: "private" }, "type"],
      [{ name: "x", scopes: ["a:b"], mode: "prod" }, "mode"],
      [{ name: "x", scopes: ["a:b"], expiresIn: "7d" }, "expiresIn"],
      [{ name: "x", scopes: "a:b" }, "scopes"],
      [{ name: "x", scopes: ["Not A Scope"] }, "scopes"],
      [{ name: "x", scopes: ["a:b"], allowedIps: ["1.2.3.4"] }, "allowedIps"],
    ];
    for (const [body, field] of cases) expectProblem(await mint(app, ACME_ADMIN_KEY, body), 400, "invalid_field", field);
  });

  it("keeps least privilege: viewers and test keys cannot mint what they are not allowed to", async () => {
    const app = createApp();
    const viewer = (await mint(app, LEGACY_ADMIN_KEY, { name: "v" })).body.key;
    expectProblem(await mint(app, viewer, { name: "escalate", scopes: ["*"] }), 403, "insufficient_scope");
    const minter = (await mint(app, ACME_ADMIN_KEY, { name: "m", scopes: ["api_keys:write"], mode: "test" })).body.key;
    expectProblem(await mint(app, minter, { name: "live", scopes: ["a:b"] }), 403, "live_key_from_test_key");
    expect((await mint(app, minter, { name: "test", scopes: ["a:b"], mode: "test" })).status).toBe(201);
  });
});

describe("Settings API: allowed_ips is enforced at auth time", () => {
  // supertest connects over loopback; depending on the stack the socket reports 127.0.0.1,
  // ::ffff:127.0.0.1 or ::1, and all of them must be recognised.
  const LOOPBACK = ["127.0.0.1/32", "::1/128"];

  it("accepts a minted key from an allowlisted source", async () => {
    const app = createApp();
    const created = await mint(app, ACME_ADMIN_KEY, { name: "local", scopes: ["a:b"], allowed_ips: LOOPBACK });
    expect(created.body.allowed_ips).toEqual(LOOPBACK);
    const who = await request(app).get(WHOAMI).set("X-API-Key", created.body.key).expect(200);
    expect(who.body.source_ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
  });

  it.each([[["10.0.0.0/8"]], [["2001:db8::/32"]], [["192.0.2.10", "10.0.0.0/8"]]])("rejects a source outside %j with 403", async (allowed) => {
    const app = createApp();
    const created = await mint(app, ACME_ADMIN_KEY, { name: "office", scopes: ["a:b"], allowed_ips: allowed });
    expect(created.status).toBe(201);
    const res = await request(app).get(WHOAMI).set("X-API-Key", created.body.key);
    expectProblem(res, 403, "ip_not_allowed");
    expect(res.body.source_ip).toBeTruthy();
    // Spoofed forwarding headers change nothing: the socket address is what counts.
    expectProblem(await request(app).get(WHOAMI).set("X-API-Key", created.body.key).set("X-Forwarded-For", "10.1.2.3"), 403, "ip_not_allowed");
  });

  it.each([["10.0.0.0/33"], ["::1/129"], ["not-an-ip"], ["300.1.1.1"], ["10.0.0.0/08"], ["10.0.0.0/"], ["fe80::1%eth0"], ["1.2.3.4/8/1"]])(
    "refuses the invalid entry %s with a 400 naming allowed_ips",
    async (entry) => {
      const res = await mint(createApp(), ACME_ADMIN_KEY, { name: "x", scopes: ["a:b"], allowed_ips: ["127.0.0.1", entry] });
      expectProblem(res, 400, "invalid_field", "allowed_ips");
      expect(res.body.detail).toContain("allowed_ips[1]");
    },
  );

  it("refuses a non-array allowed_ips", async () => {
    expectProblem(await mint(createApp(), ACME_ADMIN_KEY, { name: "x", scopes: ["a:b"], allowed_ips: "10.0.0.0/8" }), 400, "invalid_field", "allowed_ips");
  });
});

describe("Settings API: authentication", () => {
  it("needs a valid X-API-Key", async () => {
    const app = createApp();
    const missing = await request(app).get(WHOAMI);
    expectProblem(missing, 401, "missing_api_key");
    expect(missing.body.type).toBe("https://orbit.devotel.io/problems/missing-api-key");
    expectProblem(await request(app).get(WHOAMI).set("X-API-Key", "dv_live_sk_nope"), 401, "invalid_api_key");
    const who = await request(app).get(WHOAMI).set("X-API-Key", ACME_ADMIN_KEY).expect(200);
    expect(who.body).toMatchObject({ tenant: "ten_acme", api_version: "2026-08-01" });
  });
});
