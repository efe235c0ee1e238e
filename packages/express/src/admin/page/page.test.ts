import request from "supertest";
import express5 from "express";
import express4 from "express4";
import { defineVersions, memoryPins, renameField } from "@strata/core";
import { versioning, versioningAdmin } from "@strata/express";

type ExpressFactory = typeof express5;
const flavours: [string, ExpressFactory][] = [
  ["express 5", express5],
  ["express 4", express4 as unknown as ExpressFactory],
];

const versions = defineVersions({
  versions: [{ id: "2025-09-01", description: "Keys name their owner.", changes: [renameField("key", "ownerId", "externalId")] }, { id: "2024-06-01" }],
});

function app(express: ExpressFactory, pins = memoryPins(), role = "owner") {
  const a = express();
  const mw = versioning({ versions, pins, account: () => "acct_1" });
  a.use(
    "/settings/api-version",
    versioningAdmin({
      versions,
      pins,
      middleware: mw,
      account: () => "acct_1",
      authorize: (_req, action) => action === "read" || role === "owner",
      actor: () => "ada <ada@example.com>",
      page: true,
    }),
  );
  a.use(mw);
  a.get("/keys/k1", (_req, res) => void res.json({ object: "key", id: "k1", externalId: "u_1" }));
  return a;
}

const page = (a: ReturnType<typeof app>) => request(a).get("/settings/api-version/").set("Accept", "text/html,application/xhtml+xml");
const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1];
const cookieOf = (res: request.Response) => String(res.headers["set-cookie"] ?? "").split(";")[0]!;

describe.each(flavours)("the account page over HTTP (%s)", (_, express) => {
  it("answers browsers with HTML and API clients with JSON, on the same route", async () => {
    const pins = memoryPins();
    await pins.set("acct_1", "2024-06-01", { actor: "<script>alert(1)</script>", reason: 'a "quoted" <b>reason</b>' });
    const a = app(express, pins);
    const html = await page(a);
    expect(html.status).toBe(200);
    expect(html.headers["content-type"]).toMatch(/^text\/html/);
    expect(html.headers["content-security-policy"]).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(html.headers.vary).toMatch(/Accept/);
    expect(html.text).toContain('<dd id="pinned-version">2024-06-01</dd>');
    // Everything from the store is escaped.
    expect(html.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html.text).toContain("a &quot;quoted&quot; &lt;b&gt;reason&lt;/b&gt;");
    expect(html.text).not.toContain("<script");
    const json = await request(a).get("/settings/api-version/").set("Accept", "application/json");
    expect(json.body).toMatchObject({ account: "acct_1", pinned: { version: "2024-06-01" } });
    const css = await request(a).get("/settings/api-version/assets/admin.css");
    expect(css.headers["content-type"]).toMatch(/^text\/css/);
  });

  it("upgrades through the confirmation form, refusing a post without the page's token or from another site", async () => {
    const pins = memoryPins();
    await pins.set("acct_1", "2024-06-01", { actor: "ops" });
    const a = app(express, pins);
    const compare = await page(a).query({ compare: "2025-09-01" });
    expect(compare.text).toContain("What changes from 2024-06-01 to 2025-09-01");
    expect(compare.text).toContain("<li>`ownerId` on key is renamed to `externalId`.</li>");
    const token = tokenOf(compare.text)!;
    const cookie = cookieOf(compare);
    const form = { token, version: "2025-09-01", confirm: "yes", reason: "new SDK" };
    const forged = await request(a)
      .post("/settings/api-version/upgrade")
      .type("form")
      .set("Cookie", cookie)
      .send({ ...form, token: "x".repeat(32) });
    expect(forged.status).toBe(403);
    const crossSite = await request(a)
      .post("/settings/api-version/upgrade")
      .type("form")
      .set("Cookie", cookie)
      .set("Origin", "https://evil.example")
      .send(form);
    expect(crossSite.status).toBe(403);
    const unconfirmed = await request(a)
      .post("/settings/api-version/upgrade")
      .type("form")
      .set("Cookie", cookie)
      .send({ ...form, confirm: "" });
    expect(unconfirmed.status).toBe(400);
    expect((await pins.get("acct_1"))?.version).toBe("2024-06-01");
    const sameOrigin = await request(a)
      .post("/settings/api-version/upgrade")
      .type("form")
      .set("Host", "admin.example")
      .set("Origin", "http://admin.example")
      .set("Sec-Fetch-Site", "same-origin")
      .set("Cookie", cookie)
      .send(form);
    expect(sameOrigin.status).toBe(303);
    expect(sameOrigin.headers.location).toBe("/settings/api-version/?done=upgraded");
    expect((await pins.get("acct_1"))?.version).toBe("2025-09-01");
    const after = await page(a).query({ done: "upgraded" });
    expect(after.text).toContain("Upgraded: this account now uses 2025-09-01.");
    expect(after.text).toContain('id="rollback-form"');
  });

  it("shows a viewer no forms, and refuses a viewer's post", async () => {
    const pins = memoryPins();
    await pins.set("acct_1", "2024-06-01", { actor: "ops" });
    const a = app(express, pins, "viewer");
    const html = await page(a);
    expect(html.text).not.toContain("<form");
    const res = await request(a).post("/settings/api-version/upgrade").type("form").send({ version: "2025-09-01", confirm: "yes" });
    expect(res.status).toBe(403);
  });
});
