/**
 * Which version a request is served at: `Keygen-Version` (no `v`, within the URL's major),
 * else the account's pin, which the first request sets and the account settings move.
 */
import { seedAccount } from "../seed";
import { testApi, type TestApi } from "./harness";

let api: TestApi;
beforeEach(() => (api = testApi()));
afterEach(async () => {
  expect(api.failures).toEqual([]);
  await api.stop();
});

const license = () => `licenses/${api.seed.license.id}`;

describe("the Keygen-Version header", () => {
  test("overrides the pin for one request, and is echoed with Vary", async () => {
    await api.pins.pinIfAbsent(api.seed.account.id, "1.3");
    const res = await api.as("1.2").get(license());
    expect(res.status).toBe(200);
    expect(res.headers["keygen-version"]).toBe("1.2");
    expect(res.headers.vary).toMatch(/Keygen-Version/i);
    expect((await api.as().get(license())).headers["keygen-version"]).toBe("1.3");
  });

  test("`v1.2` is a 400 that says to drop the `v`", async () => {
    const res = await api.as("v1.2").get(license());
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/vnd\.api\+json/);
    expect(res.headers.vary).toMatch(/Keygen-Version/i);
    expect(res.body.errors[0]).toMatchObject({ code: "INVALID_VERSION", source: { parameter: "Keygen-Version" } });
    expect(res.body.errors[0].detail).toMatch(
      /^The Keygen-Version header value "v1\.2" is not a valid version: drop the "v" and send "1\.2"\. Supported versions: 1\.6, /,
    );
  });

  test("a version of another major is a 400: /v1 serves 1.0 to 1.6 and there is no 2.x", async () => {
    const res = await api.as("2.0").get(license());
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ code: "UNSUPPORTED_VERSION" });
    expect(res.body.errors[0].detail).toContain('Version "2.0" is not supported. Supported versions: 1.6, 1.5');
  });

  test("an unknown minor or a malformed value is a 400 listing the versions, never the latest", async () => {
    for (const [value, code] of [
      ["1.9", "UNSUPPORTED_VERSION"],
      ["banana", "INVALID_VERSION"],
    ] as const) {
      const res = await api.as(value).get(license());
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({
        code,
        source: { parameter: "Keygen-Version" },
        meta: { supported: ["1.6", "1.5", "1.4", "1.3", "1.2", "1.1", "1.0"] },
      });
    }
  });

  test("is checked on every /v1 URL, the public ones too", async () => {
    expect((await api.as("v1.0", { token: null }).post("licenses/actions/validate-key", { meta: { key: "x" } })).status).toBe(400);
    expect((await api.as("v1.0", { token: null }).get("/v1/openapi.json")).status).toBe(400);
  });
});

describe("the account's pin", () => {
  test("is set by the first request, to the then-current version", async () => {
    expect(await api.pins.get(api.seed.account.id)).toBeUndefined();
    const first = await api.as().get(license());
    expect(first.headers["keygen-version"]).toBe("1.6");
    expect(first.headers["cache-control"]).toMatch(/private/); // its shape depends on who asked
    const [entry] = await api.pins.history(api.seed.account.id);
    expect(entry).toMatchObject({ from: null, to: "1.6", actor: "first-request" });
  });

  test("serves requests without a header, validate-key's included", async () => {
    await api.pins.pinIfAbsent(api.seed.account.id, "1.1");
    const res = await api.as(undefined, { token: null }).post("licenses/actions/validate-key", { meta: { key: api.seed.license.key } });
    expect(res.headers["keygen-version"]).toBe("1.1");
    expect(res.body.meta).toMatchObject({ valid: true, constant: "VALID" });
  });

  test("moves in the account settings: upgrade, then roll back", async () => {
    await api.pins.pinIfAbsent(api.seed.account.id, "1.3");
    const settings = await api.as().get("settings/api-version");
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({ account: api.seed.account.id, pinned: { version: "1.3" }, latest: "1.6" });
    expect(settings.body.changelog.map((e: { version: string }) => e.version)).toEqual(["1.6", "1.5", "1.4"]);

    const upgraded = await api.as().post("settings/api-version/upgrade", { version: "1.5", reason: "new SDK" });
    expect(upgraded.status).toBe(200);
    expect(upgraded.body.pinned.version).toBe("1.5");
    // The very next request is served at the new pin.
    const after = await api.as().get(license());
    expect(after.headers["keygen-version"]).toBe("1.5");
    expect(after.body.data.attributes.metadata).toEqual({ seats: { reservedFor: "ops" } });

    const rolledBack = await api.as().post("settings/api-version/rollback", {});
    expect(rolledBack.body.pinned.version).toBe("1.3");
    expect((await api.as().get(license())).headers["keygen-version"]).toBe("1.3");
    const history = await api.as().get("settings/api-version/history");
    expect(history.body.history.map((h: { from: string; to: string }) => `${h.from}->${h.to}`)).toEqual(["1.5->1.3", "1.3->1.5", "null->1.3"]);
  });

  test("moves only for the account's admin, and only forward", async () => {
    await api.pins.pinIfAbsent(api.seed.account.id, "1.4");
    const anonymous = await api.as(undefined, { token: null }).post("settings/api-version/upgrade", { version: "1.6" });
    expect(anonymous.status).toBe(403);
    expect(anonymous.body.errors[0]).toMatchObject({ code: "NOT_ALLOWED" });
    const back = await api.as().post("settings/api-version/upgrade", { version: "1.2" });
    expect(back.status).toBe(409);
    expect(back.body.errors[0]).toMatchObject({ code: "NOT_AN_UPGRADE" });
    expect(back.headers["content-type"]).toMatch(/^application\/vnd\.api\+json/);
    const bad = await api.as().post("settings/api-version/upgrade", { version: "v1.6" });
    expect(bad.status).toBe(400);
    expect((await api.pins.get(api.seed.account.id))?.version).toBe("1.4");
  });
});

describe("accounts and tokens", () => {
  test("an unknown account is a 404, and pins nothing", async () => {
    const res = await api.as().get("/v1/accounts/nobody/licenses");
    expect(res.status).toBe(404);
    expect(res.body.errors[0]).toMatchObject({ code: "NOT_FOUND", detail: "The requested account 'nobody' was not found" });
    expect((await api.pins.usage()).length).toBe(0);
  });

  test("the account is named by id or slug alike", async () => {
    const res = await api.as().get(`/v1/accounts/${api.seed.account.id}/${license()}`);
    expect(res.status).toBe(200);
  });

  test("admin routes need the account's own admin token", async () => {
    const none = await api.as(undefined, { token: null }).get("licenses");
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="keygen"');
    expect(none.body.errors[0].code).toBe("TOKEN_MISSING");
    const wrong = await api.as(undefined, { token: "admin-nope" }).get("licenses");
    expect(wrong.body.errors[0].code).toBe("TOKEN_INVALID");
    const other = seedAccount(api.db, { slug: "other", adminToken: "admin-test-other" });
    expect((await api.as(undefined, { token: other.adminToken }).get("licenses")).status).toBe(401);
  });

  test("paths outside /v1 are 404s that say where the API is", async () => {
    const res = await api.as().get("/v2/accounts/acme/licenses");
    expect(res.status).toBe(404);
    expect(res.body.errors[0].detail).toContain("/v1/accounts/<account>/");
  });
});
