import request from "supertest";
import { generateKeyPairSync, sign } from "node:crypto";
import { createApp } from "./app";
import { DEMO_ORBIT_KEY, OTHER_ORBIT_KEY } from "./customer/store";
import { V2_ONLY, customerVersions } from "./customer/versions";

const KEY = { "X-ORBIT-KEY": DEMO_ORBIT_KEY };
type Method = "get" | "post" | "patch" | "delete";

/** Structure without values: v1 and v2 must agree on it even where values are random. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return value === null ? "null" : typeof value;
}

function call(app: ReturnType<typeof createApp>, method: Method, path: string, body?: object) {
  const req = request(app)[method](path).set(KEY);
  return body === undefined ? req : req.send(body);
}

function expectProblem(res: request.Response, status: number, code?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  if (code) expect(res.body.code).toBe(code);
}

describe("Customer API: /customer/v1 is served by changes over the v2 handlers", () => {
  // Every row of Orbit's v1 -> v2 endpoint mapping table.
  // Rows are complete (body null when none): jest treats a missing trailing arg as `done`.
  const mapping: [Method, string, string, object | null][] = [
    ["get", "/customer/v1/licenses", "/customer/v2/licenses", null],
    ["get", "/customer/v1/licenses/lic_pro", "/customer/v2/licenses/lic_pro", null],
    ["post", "/customer/v1/licenses/lic_pro/reset-key", "/customer/v2/licenses/lic_pro/reset-key", null],
    ["post", "/customer/v1/licenses/lic_pro/regenerate-key", "/customer/v2/licenses/lic_pro/regenerate-key", null],
    ["get", "/customer/v1/locations", "/customer/v2/licenses/locations", null],
    ["get", "/customer/v1/licenses/lic_pro/ips", "/customer/v2/licenses/lic_pro/ips", null],
    ["post", "/customer/v1/licenses/lic_pro/ips", "/customer/v2/licenses/lic_pro/ips", { ip: "198.51.100.7" }],
    ["delete", "/customer/v1/licenses/lic_pro/ips/203.0.113.10", "/customer/v2/licenses/lic_pro/ips/203.0.113.10", null],
  ];

  it.each(mapping)("%s %s answers like %s", async (method, v1Path, v2Path, body) => {
    // Fresh apps: the POST and DELETE rows change data, and each side must start equal.
    const v1 = await call(createApp(), method, v1Path, body ?? undefined);
    const v2 = await call(createApp(), method, v2Path, body ?? undefined);
    expect(v1.status).toBeLessThan(300);
    expect(v1.status).toBe(v2.status);
    expect(shape(v1.body)).toEqual(shape(v2.body));
    expect(v1.headers["orbit-customer-api-version"]).toBe("1.0");
    expect(v2.headers["orbit-customer-api-version"]).toBe("2.0");
    if (method === "get") expect(v1.body).toEqual(v2.body);
  });

  it("carries params across the move, and both versions see the same data", async () => {
    const app = createApp();
    const team = await call(app, "get", "/customer/v1/licenses/lic_team");
    expect(team.body).toMatchObject({ id: "lic_team", object: "license", plan: "team" });

    const added = await call(app, "post", "/customer/v1/licenses/lic_pro/ips", { ip: "2001:db8::1" });
    expect(added.status).toBe(201);
    const v2List = await call(app, "get", "/customer/v2/licenses/lic_pro/ips");
    expect(v2List.body.data.map((e: { ip: string }) => e.ip)).toEqual(["203.0.113.10", "2001:db8::1"]);

    const removed = await call(app, "delete", `/customer/v1/licenses/lic_pro/ips/${encodeURIComponent("2001:db8::1")}`);
    expect(removed.status).toBe(204);
    const v1List = await call(app, "get", "/customer/v1/licenses/lic_pro/ips");
    expect(v1List.body.data.map((e: { ip: string }) => e.ip)).toEqual(["203.0.113.10"]);
  });

  it("regenerate-key through v1 replaces the key v2 reads", async () => {
    const app = createApp();
    const before = (await call(app, "get", "/customer/v2/licenses/lic_pro")).body.key;
    const regenerated = await call(app, "post", "/customer/v1/licenses/lic_pro/regenerate-key");
    expect(regenerated.body.key).not.toBe(before);
    expect((await call(app, "get", "/customer/v2/licenses/lic_pro")).body.key).toBe(regenerated.body.key);
  });

  it("reports the same errors in both versions", async () => {
    const app = createApp();
    for (const prefix of ["/customer/v1", "/customer/v2"]) {
      expectProblem(await call(app, "get", `${prefix}/licenses/lic_nope`), 404, "not_found");
      expectProblem(await call(app, "get", `${prefix}/licenses/lic_other`), 404, "not_found"); // another customer's
      const bad = await call(app, "post", `${prefix}/licenses/lic_pro/ips`, { ip: "999.1.1.1" });
      expectProblem(bad, 400, "invalid_field");
      expect(bad.body.field).toBe("ip");
      expectProblem(await call(app, "delete", `${prefix}/licenses/lic_pro/ips/192.0.2.99`), 404, "not_found");
    }
    // lic_team allows one IP and has none: the second add is refused the same way.
    expect((await call(app, "post", "/customer/v1/licenses/lic_team/ips", { ip: "192.0.2.1" })).status).toBe(201);
    expectProblem(await call(app, "post", "/customer/v2/licenses/lic_team/ips", { ip: "192.0.2.2" }), 409, "ip_limit_reached");
  });

  it("publishes the mapping as the 2.0 changelog", () => {
    const [v2] = customerVersions.changelog();
    const lines = v2!.changes.map((c) => c.description);
    expect(lines).toContain("`GET /customer/v1/locations` moved into the licenses group: `GET /customer/v2/licenses/locations`.");
    expect(lines).toContain("`DELETE /customer/v1/licenses/:id/ips/:ip` moved to `DELETE /customer/v2/licenses/:id/ips/:ip`.");
  });

  it("takes the major version from the URL, never from a header", async () => {
    const res = await call(createApp(), "get", "/customer/v1/locations").set("Orbit-Customer-Api-Version", "2.0");
    expect(res.status).toBe(200);
    expect(res.headers["orbit-customer-api-version"]).toBe("1.0");
  });
});

describe("Customer API: v2-only endpoints under /customer/v1", () => {
  const concrete = (route: string) => {
    const [method, path] = route.split(" ") as [string, string];
    return [method.toLowerCase() as Method, path.replace(":id", "x_1")] as const;
  };

  it.each(V2_ONLY.map((r) => [r]))("%s is a 404 problem under /customer/v1", async (route) => {
    const [method, path] = concrete(route);
    const res = await call(createApp(), method, `/customer/v1${path}`, method === "get" || method === "delete" ? undefined : {});
    expectProblem(res, 404, "endpoint_not_found");
    expect(res.body.availableFrom).toBe("2.0");
    expect(res.body.detail).toContain(`/customer/v1${path}`);
  });

  it("the same endpoints exist under /customer/v2", async () => {
    const app = createApp();
    for (const route of V2_ONLY) {
      const [method, path] = concrete(route);
      const res = await call(app, method, `/customer/v2${path}`, method === "get" || method === "delete" ? undefined : {});
      // Handlers may refuse the dummy input, but no route-level 404 (neither Strata's nor the fallback).
      expect(res.body.code).not.toBe("endpoint_not_found");
      expect(String(res.body.detail ?? "")).not.toContain(`${method.toUpperCase()} /customer/v2`);
    }
  });

  it("an unknown v1 path is a 404 problem, not a v2 handler", async () => {
    expectProblem(await call(createApp(), "get", "/customer/v1/licenses/lic_pro/activations"), 404, "not_found");
  });
});

describe("Customer API: authentication", () => {
  it.each(["/customer/v1/licenses", "/customer/v2/licenses", "/customer/v1/locations"])("%s needs X-ORBIT-KEY", async (path) => {
    const app = createApp();
    expectProblem(await request(app).get(path), 401, "missing_credentials");
    expectProblem(await request(app).get(path).set("X-ORBIT-KEY", "orbit_wrong"), 401, "invalid_api_key");
    expect((await request(app).get(path).set("X-ORBIT-KEY", OTHER_ORBIT_KEY)).status).toBe(200);
  });

  it("a key created in v2 works for v1, is shown once, and stops working when deleted", async () => {
    const app = createApp();
    const created = await call(app, "post", "/customer/v2/api-keys", { name: "ci" });
    expect(created.status).toBe(201);
    expect(created.headers["cache-control"]).toBe("no-store");
    const secret: string = created.body.key;
    const list = await call(app, "get", "/customer/v2/api-keys");
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect((await request(app).get("/customer/v1/licenses").set("X-ORBIT-KEY", secret)).status).toBe(200);
    await call(app, "delete", `/customer/v2/api-keys/${created.body.id}`).expect(200);
    expectProblem(await request(app).get("/customer/v1/licenses").set("X-ORBIT-KEY", secret), 401, "invalid_api_key");
  });

  it("device-flow Bearer tokens work in v2 only", async () => {
    const app = createApp();
    const code = await request(app).post("/customer/v2/auth/device/code").send({ client_id: "cli" }).expect(200);
    const token = await request(app).post("/customer/v2/auth/device/token").send({ device_code: code.body.device_code }).expect(200);
    const bearer = { Authorization: `Bearer ${token.body.access_token}` };
    expect((await request(app).get("/customer/v2/licenses").set(bearer)).status).toBe(200);
    expectProblem(await request(app).get("/customer/v1/licenses").set(bearer), 401, "missing_credentials");
    // Device codes are single use.
    expectProblem(await request(app).post("/customer/v2/auth/device/token").send({ device_code: code.body.device_code }), 400, "invalid_grant");
  });

  it("wallet sign-in verifies an ed25519 signature over the challenge", async () => {
    const app = createApp();
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const address = publicKey.export({ format: "der", type: "spki" }).subarray(12).toString("hex");
    const challenge = () => request(app).post("/customer/v2/auth/wallet/challenge").send({ address }).expect(200);
    const signed = (message: string) => sign(null, Buffer.from(message), privateKey).toString("hex");

    let c = await challenge();
    expectProblem(
      await request(app)
        .post("/customer/v2/auth/wallet/verify")
        .send({ address, signature: signed(c.body.message) }),
      401,
      "wallet_not_linked",
    );

    await call(app, "patch", "/customer/v2/profile", { wallet_address: address }).expect(200);
    await challenge();
    expectProblem(
      await request(app)
        .post("/customer/v2/auth/wallet/verify")
        .send({ address, signature: signed("something else") }),
      401,
      "invalid_signature",
    );
    c = await challenge();
    const token = await request(app)
      .post("/customer/v2/auth/wallet/verify")
      .send({ address, signature: signed(c.body.message) })
      .expect(200);
    const profile = await request(app).get("/customer/v2/profile").set("Authorization", `Bearer ${token.body.access_token}`).expect(200);
    expect(profile.body).toMatchObject({ id: "cus_demo", wallet_address: address });
  });
});

describe("Customer API: v2 account endpoints", () => {
  it("pays invoices from the balance", async () => {
    const app = createApp();
    expect((await call(app, "get", "/customer/v2/profile/balance")).body).toEqual({ object: "balance", available: 5000, currency: "usd" });
    expectProblem(await call(app, "post", "/customer/v2/invoices/inv_large/pay"), 402, "insufficient_balance");
    expectProblem(await call(app, "post", "/customer/v2/invoices/inv_paid/pay"), 409, "invoice_already_paid");
    const paid = await call(app, "post", "/customer/v2/invoices/inv_open/pay").expect(200);
    expect(paid.body).toMatchObject({ id: "inv_open", status: "paid" });
    expect((await call(app, "get", "/customer/v2/profile/balance")).body.available).toBe(3800);
    const invoices = await call(app, "get", "/customer/v2/invoices");
    expect(invoices.body.data.map((i: { id: string }) => i.id).sort()).toEqual(["inv_large", "inv_open", "inv_paid"]);
  });

  it("updates the profile and validates it", async () => {
    const app = createApp();
    const res = await call(app, "patch", "/customer/v2/profile", { name: "Ada King", company: null }).expect(200);
    expect(res.body).toMatchObject({ name: "Ada King", company: null });
    const bad = await call(app, "patch", "/customer/v2/profile", { email: "x@example.com" });
    expectProblem(bad, 400, "invalid_field");
    expect(bad.body.field).toBe("email");
  });

  it("renames an API key", async () => {
    const app = createApp();
    const created = await call(app, "post", "/customer/v2/api-keys", { name: "a" });
    const renamed = await call(app, "patch", `/customer/v2/api-keys/${created.body.id}`, { name: "b" }).expect(200);
    expect(renamed.body).toMatchObject({ id: created.body.id, name: "b" });
    expect(renamed.body.key).toBeUndefined();
  });
});
