import request from "supertest";
import { openDb } from "../db";
import { createApp } from "../app";
import { DEMO, seedDemo } from "../demo";

const basic = (token: string) => `Basic ${Buffer.from(`admin:${token}`).toString("base64")}`;

describe("the account's API-version page", () => {
  const setup = async () => {
    const db = openDb(":memory:");
    const api = createApp({ db });
    await seedDemo(db, api.pins);
    return { db, api };
  };

  it("asks a browser to sign in, then shows the pin and what an upgrade changes", async () => {
    const { db, api } = await setup();
    try {
      const path = `/v1/accounts/${DEMO.account}/settings/api-version/`;
      const challenge = await request(api.app).get(path).set("Accept", "text/html");
      expect(challenge.status).toBe(401);
      expect(challenge.headers["www-authenticate"]).toMatch(/^Basic realm="licensing settings"/);
      const page = await request(api.app).get(`${path}?compare=1.6`).set("Accept", "text/html").set("Authorization", basic(DEMO.adminToken));
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<dd id="pinned-version">${DEMO.pinnedAt}</dd>`);
      expect(page.text).toContain(`What changes from ${DEMO.pinnedAt} to 1.6`);
      // API clients keep their JSON on the same path.
      const json = await request(api.app).get(path).set("Authorization", `Bearer ${DEMO.adminToken}`);
      expect(json.body).toMatchObject({ pinned: { version: DEMO.pinnedAt } });
    } finally {
      await api.close();
      db.close();
    }
  });
});
