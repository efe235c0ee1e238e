import {
  change,
  ConfigurationError,
  defineVersions,
  EndpointNotFoundError,
  InvalidVersionError,
  MigrationError,
  PinStoreUnavailableError,
  problemTitle,
  StrataError,
  UnsupportedVersionError,
  VersionSunsetError,
  type Change,
  type RequestShape,
} from "@strata/core";

const request = (): RequestShape => ({ method: "POST", path: "/v1/keys", query: {}, headers: {}, body: { object: "key" } });

function across(...changes: Change[]) {
  return defineVersions({ versions: [{ id: "2025-01-01", changes }, { id: "2024-01-01" }] });
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error, nothing was thrown");
}

const secret = new Error("db password is hunter2");

describe("errors", () => {
  describe("a throwing transform", () => {
    it("becomes a MigrationError naming the change, its version and the direction, with the cause", () => {
      const versions = across(
        change({
          description: "Keys changed.",
          routes: "POST /v1/keys",
          request: () => {
            throw secret;
          },
        }),
      );
      const err = thrown(() => versions.migrateRequest(request(), "2024-01-01")) as MigrationError;
      expect(err).toBeInstanceOf(MigrationError);
      expect(err).toBeInstanceOf(StrataError);
      expect(err.change).toBe("Keys changed.");
      expect(err.version).toBe("2025-01-01");
      expect(err.direction).toBe("request");
      expect(err.cause).toBe(secret);
      expect(err.status).toBe(500);
      expect(err.code).toBe("migration_failed");
      expect(err.message).toBe('The request transform of change "Keys changed." (version 2025-01-01) failed: db password is hunter2');
    });

    it("names the response, error and resource directions", () => {
      const versions = across(
        change({
          description: "Global.",
          response: () => {
            throw secret;
          },
          error: () => {
            throw "a string";
          },
        }),
        change({
          description: "Resource.",
          resource: "key",
          request: () => {
            throw secret;
          },
        }),
      );
      expect(thrown(() => versions.migrateRequest(request(), "2024-01-01"))).toMatchObject({ change: "Resource.", direction: "request" });
      const migration = versions.migrateRequest({ ...request(), body: undefined }, "2024-01-01");
      expect(thrown(() => migration.migrateResponse({ status: 200, headers: {}, body: {} }))).toMatchObject({ change: "Global.", direction: "response" });
      const err = thrown(() => migration.migrateResponse({ status: 502, headers: {}, body: {} })) as MigrationError;
      expect(err).toMatchObject({ change: "Global.", direction: "error", cause: "a string" });
      expect(err.message).toBe('The error transform of change "Global." (version 2025-01-01) failed: a string');
    });

    it("renders a problem that does not leak the cause", () => {
      const versions = across(
        change({
          description: "Keys changed.",
          routes: "POST /v1/keys",
          request: () => {
            throw secret;
          },
        }),
      );
      const problem = (thrown(() => versions.migrateRequest(request(), "2024-01-01")) as MigrationError).toProblem();
      expect(problem).toEqual({
        type: "about:blank",
        title: "Internal Server Error",
        status: 500,
        detail: "The API could not translate this request for your API version.",
        code: "migration_failed",
      });
      expect(JSON.stringify(problem)).not.toContain("hunter2");
    });

    it("passes a 4xx StrataError through unwrapped", () => {
      const refusal = new EndpointNotFoundError("POST", "/v1/keys", "2024-01-01");
      const versions = across(
        change({
          description: "Refuses.",
          request: () => {
            throw refusal;
          },
        }),
      );
      expect(thrown(() => versions.migrateRequest(request(), "2024-01-01"))).toBe(refusal);
    });

    it("passes a 4xx StrataError from a resource transform through unwrapped", () => {
      const refusal = new EndpointNotFoundError("POST", "/v1/keys", "2024-01-01");
      const versions = across(
        change({
          description: "Refuses keys.",
          resource: "key",
          request: () => {
            throw refusal;
          },
        }),
      );
      expect(thrown(() => versions.migrateRequest(request(), "2024-01-01"))).toBe(refusal);
    });

    it("wraps a 5xx StrataError like any other failure", () => {
      const unavailable = new PinStoreUnavailableError(5);
      const versions = across(
        change({
          description: "Unavailable.",
          request: () => {
            throw unavailable;
          },
        }),
      );
      const err = thrown(() => versions.migrateRequest(request(), "2024-01-01"));
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as MigrationError).cause).toBe(unavailable);
    });
  });

  describe("version errors", () => {
    const versions = defineVersions({ versions: [{ id: "2025-01-01" }, { id: "2024-06-01" }] });

    it("InvalidVersionError is a 400 problem listing the supported versions", () => {
      const err = thrown(() => versions.resolve("yesterday", "Api-Version")) as InvalidVersionError;
      expect(err).toBeInstanceOf(InvalidVersionError);
      expect(err.toProblem()).toEqual({
        type: "about:blank",
        title: "Bad Request",
        status: 400,
        detail: 'The Api-Version header value "yesterday" is not a valid version. Supported versions: 2025-01-01, 2024-06-01.',
        code: "invalid_version",
        version: "yesterday",
        supported: ["2025-01-01", "2024-06-01"],
      });
    });

    it("UnsupportedVersionError is a 400 problem listing the supported versions", () => {
      const err = thrown(() => versions.resolve("2023-01-01")) as UnsupportedVersionError;
      expect(err).toBeInstanceOf(UnsupportedVersionError);
      expect(err.toProblem()).toEqual({
        type: "about:blank",
        title: "Bad Request",
        status: 400,
        detail: 'Version "2023-01-01" is not supported. Supported versions: 2025-01-01, 2024-06-01.',
        code: "unsupported_version",
        version: "2023-01-01",
        supported: ["2025-01-01", "2024-06-01"],
      });
    });

    it("truncates a long client version in messages and problems", () => {
      const long = "x".repeat(500);
      const problem = (thrown(() => versions.resolve(long)) as InvalidVersionError).toProblem();
      expect(problem.version).toBe(`${"x".repeat(61)}...`);
      expect(problem.detail).not.toContain("x".repeat(65));
    });

    it("VersionSunsetError is a 410 problem naming the upgrade path", () => {
      const err = new VersionSunsetError("2024-06-01", new Date("2025-06-01T00:00:00Z"), "2025-01-01", versions.supported);
      expect(err.status).toBe(410);
      expect(err.toProblem()).toEqual({
        type: "about:blank",
        title: "Gone",
        status: 410,
        detail: "Version 2024-06-01 was retired on 2025-06-01. Upgrade to 2025-01-01 or later; see the changelog for what changed.",
        code: "version_sunset",
        version: "2024-06-01",
        sunset: "2025-06-01T00:00:00.000Z",
        upgradeTo: "2025-01-01",
        supported: ["2025-01-01", "2024-06-01"],
      });
    });
  });

  it("every error is a StrataError with a stable code and its own name", () => {
    const all: StrataError[] = [
      new ConfigurationError("bad", "x"),
      new InvalidVersionError("v", []),
      new UnsupportedVersionError("v", []),
      new VersionSunsetError("v", new Date(0), "w", []),
      new EndpointNotFoundError("GET", "/", "v"),
      new MigrationError("c", "v", "request", secret),
      new PinStoreUnavailableError(3),
    ];
    expect(all.map((e) => [e.name, e.code, e.status])).toEqual([
      ["ConfigurationError", "invalid_configuration", 500],
      ["InvalidVersionError", "invalid_version", 400],
      ["UnsupportedVersionError", "unsupported_version", 400],
      ["VersionSunsetError", "version_sunset", 410],
      ["EndpointNotFoundError", "endpoint_not_found", 404],
      ["MigrationError", "migration_failed", 500],
      ["PinStoreUnavailableError", "pin_store_unavailable", 503],
    ]);
    for (const e of all) expect(e).toBeInstanceOf(Error);
    expect(new PinStoreUnavailableError(3).toProblem().retryAfter).toBe(3);
  });

  it("titles problems by status", () => {
    expect([400, 404, 405, 410, 418, 499, 500, 503, 599].map(problemTitle)).toEqual([
      "Bad Request",
      "Not Found",
      "Method Not Allowed",
      "Gone",
      "I'm a Teapot",
      "Client Error",
      "Internal Server Error",
      "Service Unavailable",
      "Server Error",
    ]);
  });
});
