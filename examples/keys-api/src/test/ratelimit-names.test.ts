/**
 * Two ratelimits of one key or identity with the same name are the client's mistake: a 400
 * naming the duplicate, in each version's error format (it was a 500 from the database).
 */
import request from "supertest";
import { auth, testApp } from "./harness";

const { app } = testApp();
const twice = [
  { name: "requests", limit: 10, duration: 60_000 },
  { name: "requests", limit: 20, duration: 60_000 },
];

async function post(path: string, body: object) {
  return request(app).post(path).set(auth).send(body);
}

describe("ratelimit names > duplicates are a 400", () => {
  let apiId: string;
  let keyId: string;
  beforeAll(async () => {
    apiId = (await post("/v2/apis.createApi", { name: "ratelimits" })).body.data.apiId;
    keyId = (await post("/v2/keys.createKey", { apiId })).body.data.keyId;
    await post("/v2/identities.createIdentity", { externalId: "owner_42" });
  });

  test.each([
    ["/v2/keys.createKey", () => ({ apiId, ratelimits: twice })],
    ["/v2/keys.updateKey", () => ({ keyId, ratelimits: twice })],
    ["/v2/identities.createIdentity", () => ({ externalId: "owner_43", ratelimits: twice })],
    ["/v2/identities.updateIdentity", () => ({ identity: "owner_42", ratelimits: twice })],
  ])("%s: the v2 error, naming the second one", async (path, body) => {
    const res = await post(path, body());
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      status: 400,
      detail: expect.stringContaining('"requests"'),
      errors: [{ location: "body.ratelimits[1].name", message: expect.stringContaining("requests"), fix: expect.any(String) }],
    });
  });

  test("nothing was written: the identity was not created", async () => {
    expect((await post("/v2/identities.getIdentity", { identity: "owner_43" })).status).toBe(404);
  });

  test.each([
    ["/v1/identities.createIdentity", { externalId: "owner_44", ratelimits: twice }],
    ["/v1/identities.updateIdentity", { externalId: "owner_42", ratelimits: twice }],
  ])("%s: the v1 error", async (path, body) => {
    const res = await post(path, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: "BAD_REQUEST",
        docs: expect.stringContaining("BAD_REQUEST"),
        message: expect.stringContaining('"requests"'),
        requestId: expect.stringMatching(/^req_/),
      },
    });
  });

  test("a v1 ratelimit update replaces the ratelimit v1 shows, under its v2 name: no collision with another", async () => {
    const { keyId } = (
      await post("/v2/keys.createKey", {
        apiId,
        ratelimits: [
          { name: "default", limit: 1, duration: 1000 },
          { name: "burst", limit: 5, duration: 1000, autoApply: true },
        ],
      })
    ).body.data;
    // v1 sees the auto-applied one, "burst", as the key's ratelimit.
    expect((await request(app).get(`/v1/keys.getKey?keyId=${keyId}`).set(auth)).body.ratelimit).toMatchObject({ limit: 5 });
    expect((await post("/v1/keys.updateKey", { keyId, ratelimit: { limit: 7, duration: 2000 } })).status).toBe(200);
    const names = (await post("/v2/keys.getKey", { keyId })).body.data.ratelimits.map((r: { name: string; limit: number }) => `${r.name}:${r.limit}`);
    expect(names).toEqual(["burst:7", "default:1"]);
  });
});
