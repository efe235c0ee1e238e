import request from "supertest";
import express5 from "express";
import express4 from "express4";
import { ConfigurationError, defineVersions, memoryPins, renameField } from "@strata/core";
import { versioning } from "@strata/express";

type ExpressFactory = typeof express5;
const flavours: [string, ExpressFactory][] = [
  ["express 5", express5],
  ["express 4", express4 as unknown as ExpressFactory],
];

// Keygen-style minors under /v1, a /v2 that serves only 2.0, and /legacy fixed to 1.0.
const versions = defineVersions({
  scheme: "semver",
  versions: [
    { id: "2.0", changes: [renameField("license", "key", "code")] },
    { id: "1.6", changes: [renameField("license", "name", "title")] },
    { id: "1.3" },
    { id: "1.0" },
  ],
});
const majors = [
  { prefix: "/v1", from: "1.0", to: "1.6" },
  { prefix: "/v2", from: "2.0" },
  { prefix: "/v1/legacy", to: "1.0" },
];

function app(express: ExpressFactory, pins = memoryPins()) {
  const a = express();
  a.use(versioning({ versions, header: "Keygen-Version", majors, account: (req) => req.get("x-account"), pins }));
  const license = (req: express5.Request) => ({
    object: "license",
    id: "lic_1",
    title: "Pro",
    code: "K-1",
    served: req.apiVersion.id,
    source: req.apiVersion.source,
  });
  a.get(["/v1/licenses", "/v2/licenses", "/v1/legacy/licenses"], (req, res) => void res.json(license(req)));
  return a;
}

describe.each(flavours)("majors: the major in the URL, the minor in the header (%s)", (_, express) => {
  it("serves the header's version when the URL's major serves it", async () => {
    const res = await request(app(express)).get("/v1/licenses").set("Keygen-Version", "1.3");
    expect(res.body).toMatchObject({ served: "1.3", source: "header", name: "Pro", key: "K-1" });
    expect(res.headers["keygen-version"]).toBe("1.3");
  });

  it("answers a header outside the URL's range with a 400 naming both", async () => {
    const res = await request(app(express)).get("/v1/licenses").set("Keygen-Version", "2.0");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "version_not_in_major", version: "2.0", prefix: "/v1", serves: "1.0 to 1.6" });
    expect(res.body.detail).toBe(
      "Keygen-Version 2.0 is not served under /v1, which serves 1.0 to 1.6. Call the URL of that version's major, or send a version it serves.",
    );
    const v2 = await request(app(express)).get("/v2/licenses").set("Keygen-Version", "1.6");
    expect(v2.body).toMatchObject({ code: "version_not_in_major", prefix: "/v2", serves: "2.0" });
  });

  it("pins a new account to the current version and serves each URL within its range", async () => {
    const pins = memoryPins();
    const a = app(express, pins);
    const v1 = await request(a).get("/v1/licenses").set("x-account", "acct_1");
    // Pinned to 2.0 (the current version), served at /v1's newest, 1.6.
    expect((await pins.get("acct_1"))?.version).toBe("2.0");
    expect(v1.body).toMatchObject({ served: "1.6", source: "first-request", key: "K-1" });
    await pins.set("acct_2", "1.3", { actor: "admin" });
    const pinned = await request(a).get("/v1/licenses").set("x-account", "acct_2");
    expect(pinned.body).toMatchObject({ served: "1.3", source: "pin" });
    const v2 = await request(a).get("/v2/licenses").set("x-account", "acct_2");
    expect(v2.body).toMatchObject({ served: "2.0", source: "request" });
  });

  it("fixes the version when a prefix serves one (the longest prefix wins), still checking the header", async () => {
    const res = await request(app(express)).get("/v1/legacy/licenses");
    expect(res.body).toMatchObject({ served: "1.0", source: "request", name: "Pro" });
    expect(res.headers.vary ?? "").not.toMatch(/keygen-version/i);
    const bad = await request(app(express)).get("/v1/legacy/licenses").set("Keygen-Version", "v1.0");
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("invalid_version");
  });

  it("leaves paths under no prefix to the usual resolution", async () => {
    const a = app(express);
    a.get("/health", (req, res) => void res.json({ served: req.apiVersion.id }));
    expect((await request(a).get("/health").set("Keygen-Version", "1.0")).body).toEqual({ served: "1.0" });
  });
});

it('can ignore a header outside the range instead ("the URL decides")', async () => {
  const a = express5();
  a.use(versioning({ versions, header: "Keygen-Version", majors: [{ prefix: "/v2", from: "2.0", outside: "ignore" }] }));
  a.get("/v2/licenses", (req, res) => void res.json({ served: req.apiVersion.id }));
  expect((await request(a).get("/v2/licenses").set("Keygen-Version", "1.0")).body).toEqual({ served: "2.0" });
  expect((await request(a).get("/v2/licenses").set("Keygen-Version", "1.x")).status).toBe(400);
});

describe("majors option", () => {
  it.each([
    [[], /`majors` must list at least one/],
    [[{ prefix: "v1" }], /majors\[0\]: `prefix` must be a path like "\/v1"/],
    [[{ prefix: "/v1/" }], /majors\[0\]: `prefix` must be a path/],
    [[{ prefix: "/v1", from: "1.9" }], /majors\[0\]: `from` names "1\.9", which is not one of 2\.0, 1\.6, 1\.3, 1\.0/],
    [[{ prefix: "/v1", from: "1.6", to: "1.0" }], /`from` 1\.6 is newer than `to` 1\.0/],
    [[{ prefix: "/v1" }, { prefix: "/v1" }], /majors\[1\]: the prefix \/v1 is listed twice/],
    [[{ prefix: "/v1", outside: "drop" }], /majors\[0\]: `outside` must be "reject" or "ignore"/],
  ])("refuses %j at startup", (bad, message) => {
    expect(() => versioning({ versions, majors: bad as never })).toThrow(ConfigurationError);
    expect(() => versioning({ versions, majors: bad as never })).toThrow(message);
  });
});
