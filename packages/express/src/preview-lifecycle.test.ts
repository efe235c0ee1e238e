import request from "supertest";
import express from "express";
import { ConfigurationError, change, defineVersions, memoryPins, renameField } from "@strata/core";
import { versioning, versioningAdmin } from "@strata/express";

// A preview ahead of the current version, and a deprecated version with an upgrade guide.
const versions = defineVersions({
  scheme: "semver",
  versions: [
    { id: "1.7", preview: true, changes: [renameField("license", "name", "title")] },
    { id: "1.6", changes: [change({ description: "Licenses report `expiry`.", sideEffect: true })] },
    { id: "1.0", deprecatedAt: "2030-01-01", sunsetAt: "2031-01-01", upgradeGuide: "https://docs.example.com/upgrading-from-1.0" },
  ],
});

function app(pins = memoryPins()) {
  const a = express();
  a.use(versioning({ versions, header: "Keygen-Version", account: (req) => req.get("x-account"), pins, now: () => new Date("2026-12-01") }));
  a.use(
    "/settings/api-version",
    versioningAdmin({ versions, pins, account: (req) => req.get("x-account"), authorize: () => true, actor: () => "admin", now: () => new Date("2026-12-01") }),
  );
  a.get("/v1/licenses/:id", (req, res) => void res.json({ object: "license", id: req.params.id, title: "Pro", served: req.apiVersion.id }));
  return a;
}

describe("preview versions", () => {
  it("are newer than the current version, which pins, defaults and upgrades choose", () => {
    expect(versions.latest.id).toBe("1.7");
    expect(versions.current.id).toBe("1.6");
    expect(versions.nearest("1.7")).toBe(versions.current);
    expect(versions.nearest("1.9")).toBe(versions.current);
  });

  it("are served to a request that names them, and never become a first request's pin", async () => {
    const pins = memoryPins();
    const a = app(pins);
    const preview = await request(a).get("/v1/licenses/lic_1").set("Keygen-Version", "1.7");
    expect(preview.body).toEqual({ object: "license", id: "lic_1", title: "Pro", served: "1.7" });
    const first = await request(a).get("/v1/licenses/lic_1").set("x-account", "acct_1");
    expect(first.body).toEqual({ object: "license", id: "lic_1", name: "Pro", served: "1.6" });
    expect((await pins.get("acct_1"))?.version).toBe("1.6");
  });

  it("are not served by a pin that names one: the current version is, with a warning", async () => {
    const pins = memoryPins();
    await pins.set("acct_2", "1.7", { actor: "ops" });
    const res = await request(app(pins)).get("/v1/licenses/lic_1").set("x-account", "acct_2");
    expect(res.body.served).toBe("1.6");
    expect(res.headers["strata-warning"]).toBe("pinned version 1.7 is a preview, never served by a pin; served at 1.6");
  });

  it("are not an admin's upgrade target, and the account page marks them", async () => {
    const pins = memoryPins();
    await pins.set("acct_3", "1.0", { actor: "ops" });
    const a = app(pins);
    const refused = await request(a).post("/settings/api-version/upgrade").set("x-account", "acct_3").send({ version: "1.7" });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: "version_is_preview", version: "1.7" });
    const state = await request(a).get("/settings/api-version").set("x-account", "acct_3");
    expect(state.body.latest).toBe("1.6");
    expect(state.body.versions.map((v: { id: string; status: string }) => `${v.id} ${v.status}`)).toEqual(["1.7 preview", "1.6 active", "1.0 active"]);
    expect(state.body.changelog.map((e: { version: string }) => e.version)).toEqual(["1.6"]);
  });

  it("are refused where a stable version is needed, at startup", () => {
    expect(() => versioning({ versions, default: "1.7" })).toThrow(/`default` names the preview 1\.7/);
    const bad = () => defineVersions({ scheme: "semver", versions: [{ id: "1.7" }, { id: "1.6", preview: true }, { id: "1.0" }] });
    expect(bad).toThrow(ConfigurationError);
    expect(bad).toThrow(/1\.6 is a preview but the newer 1\.7 is not/);
    expect(() => defineVersions({ versions: [{ id: "2025-01-01", preview: true }] })).toThrow(/at least one stable version/);
  });
});

describe("lifecycle headers and version header mistakes", () => {
  it("announce a future deprecation and sunset, and link the upgrade guide (RFC 9745, RFC 8594)", async () => {
    const res = await request(app()).get("/v1/licenses/lic_1").set("Keygen-Version", "1.0");
    expect(res.status).toBe(200);
    expect(res.headers["deprecation"]).toBe(`@${Date.parse("2030-01-01T00:00:00Z") / 1000}`);
    expect(res.headers["sunset"]).toBe(new Date("2031-01-01T00:00:00Z").toUTCString());
    expect(res.headers["link"]).toBe(
      '<https://docs.example.com/upgrading-from-1.0>; rel="deprecation"; type="text/html", <https://docs.example.com/upgrading-from-1.0>; rel="sunset"; type="text/html"',
    );
  });

  it('answer "v1.2" with a 400 that says to drop the "v"', async () => {
    const res = await request(app()).get("/v1/licenses/lic_1").set("Keygen-Version", "v1.6");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "invalid_version" });
    expect(res.body.detail).toBe(
      'The Keygen-Version header value "v1.6" is not a valid version: drop the "v" and send "1.6". Supported versions: 1.7, 1.6, 1.0.',
    );
  });

  it("refuse an upgrade guide that is not a link", () => {
    expect(() => defineVersions({ versions: [{ id: "2025-01-01" }, { id: "2024-01-01", upgradeGuide: "see the docs" }] })).toThrow(
      /`upgradeGuide` must be an absolute http\(s\) URL/,
    );
  });
});
