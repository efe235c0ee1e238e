import request from "supertest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createApp, versions } from "../../docs/examples/quick-start";

describe("README quick start (docs/examples/quick-start.ts)", () => {
  it("serves a 2024 client from the newest handler", async () => {
    const res = await request(createApp()).get("/v1/keys.getKey?keyId=key_1").set("Api-Version", "2024-06-01");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ object: "key", keyId: "key_1", ownerId: "user_42" });
  });

  it("serves a current client the envelope with externalId", async () => {
    const res = await request(createApp()).post("/v2/keys.getKey").send({ keyId: "key_1" });
    expect(res.body).toEqual({ meta: { requestId: "req_1" }, data: { object: "key", keyId: "key_1", externalId: "user_42" } });
    expect(res.headers["api-version"]).toBe("2025-09-01");
  });

  it("pins a new account to the latest version", async () => {
    const res = await request(createApp()).post("/v2/keys.getKey").set("x-account", "acct_1").send({ keyId: "k" });
    expect(res.headers["api-version"]).toBe(versions.latest.id);
  });

  it("is the code the README shows", () => {
    const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
    expect(readme).toContain('renameField("key", "ownerId", "externalId")');
    expect(readme).toContain('moveQueryToBody("GET /v1/keys.getKey", "POST /v2/keys.getKey", { types: { decrypt: "boolean" } })');
  });
});
