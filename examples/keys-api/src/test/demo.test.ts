/** What `npm start` sets up: the seeded demo and the curl lines it prints. */
import request from "supertest";
import { createApp } from "../app";
import { curlExamples } from "../curl";
import { openDb } from "../db";
import { DEMO, seedDemo } from "../seed";

describe("demo", () => {
  const db = openDb(":memory:");
  seedDemo(db);
  seedDemo(db); // idempotent: a restart seeds nothing twice
  const { app } = createApp({ db });
  const authz = { Authorization: `Bearer ${DEMO.rootKey}` };
  afterAll(() => db.close());

  test("the demo key reads at v1 and at both v2 dates", async () => {
    const v1 = await request(app).get(`/v1/keys.getKey?keyId=${DEMO.keyId}`).set(authz);
    expect(v1.body).toMatchObject({ id: DEMO.keyId, ownerId: DEMO.externalId, remaining: 1000, ratelimit: { limit: 10 } });
    await request(app).post("/v2/keys.verifyKey").set(authz).send({ key: DEMO.key });
    const launch = await request(app).post("/v2/keys.getKey").set(authz).set("Unkey-Version", "2025-07-01").send({ keyId: DEMO.keyId });
    const latest = await request(app).post("/v2/keys.getKey").set(authz).set("Unkey-Version", "2025-10-01").send({ keyId: DEMO.keyId });
    expect(launch.body.data).toMatchObject({ keyId: DEMO.keyId, credits: { remaining: 999 } });
    expect(launch.body.data.lastUsedAt).toBeUndefined();
    expect(latest.body.data.lastUsedAt).toEqual(expect.any(Number));
  });

  test("every printed curl line names a route the app serves", async () => {
    const lines = curlExamples("http://localhost:3000", DEMO)
      .split("\n")
      .filter((l) => l.startsWith("curl"));
    expect(lines.length).toBeGreaterThanOrEqual(7);
    for (const line of lines) {
      const url = /'?(http:\/\/localhost:3000[^' ]+)'?/.exec(line)![1]!.replace("http://localhost:3000", "");
      const body = /-d '([^']+)'/.exec(line)?.[1];
      const version = /Unkey-Version: ([\d-]+)/.exec(line)?.[1];
      let r = body ? request(app).post(url).send(JSON.parse(body)) : request(app).get(url);
      r = r.set(authz);
      if (version) r = r.set("Unkey-Version", version);
      const res = await r;
      expect([200, 404]).toContain(res.status);
      if (res.status === 404) expect(line).toMatch(/key_nope/);
    }
  });
});

describe("README", () => {
  test("its changelog is the one the version list renders", () => {
    const { readFileSync } = require("node:fs") as typeof import("node:fs");
    const { changelogMarkdown } = require("../changelog") as typeof import("../changelog");
    const readme = readFileSync(require.resolve("../../README.md"), "utf8");
    expect(readme).toContain(changelogMarkdown());
  });
});
