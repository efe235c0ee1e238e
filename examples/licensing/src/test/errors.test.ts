/** A client's mistake is a 4xx JSON:API error that says where, never a 500, in every version. */
import request from "supertest";
import { TOKEN, testApi, type TestApi } from "./harness";

let api: TestApi;
beforeAll(() => (api = testApi()));
afterAll(() => api.stop());
afterEach(() => expect(api.failures).toEqual([]));

const license = (relationships: object = { policy: { data: { type: "policies", id: "x" } } }, attributes: object = {}) => ({
  data: { type: "licenses", attributes, relationships },
});

test.each([
  ["no document", "licenses", {}, 400, "PARAMETER_MISSING", "/data"],
  ["the wrong type", "licenses", { data: { type: "license" } }, 400, "TYPE_MISMATCH", "/data/type"],
  ["attributes that are not an object", "licenses", { data: { type: "licenses", attributes: [] } }, 400, "PARAMETER_INVALID", "/data/attributes"],
  ["an attribute this version does not have", "licenses", license(undefined, { color: "red" }), 400, "PARAMETER_UNPERMITTED", "/data/attributes/color"],
  ["an attribute of the wrong type", "licenses", license(undefined, { expiry: "soon" }), 400, "PARAMETER_INVALID", "/data/attributes/expiry"],
  ["a relationship that is not one", "licenses", license({ policy: "p1" }), 400, "PARAMETER_INVALID", "/data/relationships/policy"],
  [
    "a relationship of the wrong type",
    "licenses",
    license({ policy: { data: { type: "users", id: "u" } } }),
    400,
    "PARAMETER_INVALID",
    "/data/relationships/policy/data",
  ],
  ["no policy", "licenses", license({}), 400, "PARAMETER_MISSING", "/data/relationships/policy"],
  ["an unknown policy", "licenses", license(), 422, "POLICY_NOT_FOUND", "/data/relationships/policy"],
  [
    "an unknown strategy",
    "policies",
    { data: { type: "policies", attributes: { name: "p", overageStrategy: "SOMETIMES" } } },
    400,
    "PARAMETER_INVALID",
    "/data/attributes/overageStrategy",
  ],
  [
    "an unknown product",
    "policies",
    { data: { type: "policies", attributes: { name: "p" }, relationships: { product: { data: { type: "products", id: "x" } } } } },
    422,
    "PRODUCT_NOT_FOUND",
    "/data/relationships/product",
  ],
  [
    "an unknown license",
    "machines",
    { data: { type: "machines", attributes: { fingerprint: "f" }, relationships: { license: { data: { type: "licenses", id: "x" } } } } },
    422,
    "LICENSE_NOT_FOUND",
    "/data/relationships/license",
  ],
  [
    "a bad webhook URL",
    "webhook-endpoints",
    { data: { type: "webhook-endpoints", attributes: { url: "ftp://example.com" } } },
    422,
    "URL_INVALID",
    "/data/attributes/url",
  ],
  [
    "an unknown event",
    "webhook-endpoints",
    { data: { type: "webhook-endpoints", attributes: { url: "https://example.com", subscriptions: ["license.exploded"] } } },
    422,
    "SUBSCRIPTIONS_INVALID",
    "/data/attributes/subscriptions",
  ],
  ["validate-key without a key", "licenses/actions/validate-key", { meta: {} }, 400, "PARAMETER_MISSING", "/meta/key"],
  [
    "an unknown validation scope",
    "licenses/actions/validate-key",
    { meta: { key: "k", scope: { planet: "mars" } } },
    400,
    "PARAMETER_UNPERMITTED",
    "/meta/scope/planet",
  ],
])("%s", async (_what, path, body, status, code, pointer) => {
  for (const version of ["1.0", "1.6"]) {
    const res = await api.as(version).post(path, body);
    expect({ version, status: res.status, error: res.body.errors?.[0] }).toMatchObject({ version, status, error: { code, source: { pointer } } });
    expect(res.headers["content-type"]).toMatch(/^application\/vnd\.api\+json/);
  }
});

test("a node-locked policy has one machine", async () => {
  const res = await api.as().post("policies", {
    data: {
      type: "policies",
      attributes: { name: "p", floating: false, maxMachines: 5 },
      relationships: { product: { data: { type: "products", id: api.seed.product.id } } },
    },
  });
  expect(res.status).toBe(422);
  expect(res.body.errors[0]).toMatchObject({ code: "MAX_MACHINES_INVALID", source: { pointer: "/data/attributes/maxMachines" } });
});

test("a fingerprint already activated, and a full license, are 422s", async () => {
  const activate = (fingerprint: string) =>
    api.as().post("machines", {
      data: { type: "machines", attributes: { fingerprint }, relationships: { license: { data: { type: "licenses", id: api.seed.license.id } } } },
    });
  expect((await activate("same")).status).toBe(201);
  const taken = await activate("same");
  expect(taken.body.errors[0]).toMatchObject({ code: "FINGERPRINT_TAKEN", source: { pointer: "/data/attributes/fingerprint" } });
  for (const f of ["b", "c"]) expect((await activate(f)).status).toBe(201);
  const full = await activate("d");
  expect(full.status).toBe(422);
  expect(full.body.errors[0]).toMatchObject({ code: "MACHINE_LIMIT_EXCEEDED", detail: "machine count has exceeded maximum allowed for license (3)" });
});

test("bodies that are not JSON, or too large, are 400 and 413", async () => {
  const post = () => request(api.app).post("/v1/accounts/acme/licenses").set("Authorization", `Bearer ${TOKEN}`);
  const broken = await post().set("Content-Type", "application/vnd.api+json").send("{not json");
  expect(broken.status).toBe(400);
  expect(broken.body.errors[0].code).toBe("INVALID_JSON");
  // The same at an old version, where Strata's middleware reads the body to migrate it.
  const brokenOld = await post().set("Keygen-Version", "1.0").set("Content-Type", "application/json").send("{not json");
  expect(brokenOld.status).toBe(400);
  expect(brokenOld.body.errors[0].code).toBe("INVALID_JSON");
  const text = await post().set("Content-Type", "text/plain").send("data");
  expect(text.status).toBe(400);
  const huge = await post()
    .set("Content-Type", "application/json")
    .send(JSON.stringify({ data: { type: "licenses", attributes: { name: "x".repeat(2_000_000) } } }));
  expect(huge.status).toBe(413);
  expect(huge.body.errors[0].code).toBe("PAYLOAD_TOO_LARGE");
  const hugeOld = await post()
    .set("Keygen-Version", "1.0")
    .set("Content-Type", "application/json")
    .send(JSON.stringify({ data: { type: "licenses", attributes: { name: "x".repeat(2_000_000) } } }));
  expect(hugeOld.status).toBe(413);
  expect(hugeOld.body.errors[0].code).toBe("PAYLOAD_TOO_LARGE");
});

test("an early refusal leaves a keep-alive connection usable (the unread body is drained)", async () => {
  const { Agent, request: send } = await import("node:http");
  const server = api.app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const port = (server.address() as import("node:net").AddressInfo).port;
  const call = (path: string, body: string) =>
    new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
      const req = send(
        { host: "127.0.0.1", port, path, method: "POST", agent, headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` } },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode!, socket: req.socket }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const refused = await call("/v1/accounts/nobody/licenses", JSON.stringify({ data: { type: "licenses", attributes: { name: "x".repeat(50_000) } } }));
  const next = await call("/v1/accounts/acme/licenses/actions/validate-key", JSON.stringify({ meta: { key: api.seed.license.key } }));
  expect([refused.status, next.status]).toEqual([404, 200]);
  expect(next.socket).toBe(refused.socket); // the same connection
  agent.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test("unknown resources are 404s naming what was asked for", async () => {
  for (const path of ["licenses/nope", "machines/nope", "policies/nope", "webhook-events/nope", "licenses/nope/owner"]) {
    const res = await api.as("1.2").get(path);
    expect(res.status).toBe(404);
    expect(res.body.errors[0].code).toBe("NOT_FOUND");
  }
  const noRoute = await api.as().delete("policies");
  expect(noRoute.status).toBe(404);
});
