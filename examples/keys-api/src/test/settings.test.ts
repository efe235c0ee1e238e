import request from "supertest";
import { ROOT_KEY, WORKSPACE, testApp } from "./harness";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("the workspace's API-version page", () => {
  it("asks a browser to sign in, and refuses another workspace's key", async () => {
    const { app } = testApp();
    const anonymous = await request(app).get("/settings/api-version/").set("Accept", "text/html");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toBe('Basic realm="keys-api settings", charset="UTF-8"');
    const wrong = await request(app).get("/settings/api-version/").set("Authorization", basic("ws_other", ROOT_KEY));
    expect(wrong.status).toBe(401);
  });

  it("shows the pin to the signed-in workspace, and moves it with the page's form", async () => {
    const { app, pins } = testApp();
    await pins.set(WORKSPACE, "2025-07-01", { actor: "setup" });
    const auth = basic(WORKSPACE, ROOT_KEY);
    const page = await request(app).get("/settings/api-version/?compare=2025-10-01").set("Authorization", auth).set("Accept", "text/html");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<dd id="pinned-version">2025-07-01</dd>');
    expect(page.text).toContain("Keys report when they were last used.");
    const token = /name="token" value="([^"]+)"/.exec(page.text)![1]!;
    const cookie = String(page.headers["set-cookie"]).split(";")[0]!;
    const moved = await request(app)
      .post("/settings/api-version/upgrade")
      .set("Authorization", auth)
      .set("Cookie", cookie)
      .type("form")
      .send({ token, version: "2025-10-01", confirm: "yes" });
    expect(moved.status).toBe(303);
    expect((await pins.get(WORKSPACE))?.version).toBe("2025-10-01");
    const json = await request(app).get("/settings/api-version/").set("Authorization", auth);
    expect(json.body).toMatchObject({ account: WORKSPACE, pinned: { version: "2025-10-01" } });
  });
});
