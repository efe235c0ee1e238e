import {
  addEndpoint,
  ConfigurationError,
  defineVersions,
  EndpointNotFoundError,
  moveEndpoint,
  moveQueryToBody,
  QueryValueError,
  type Change,
  type RequestShape,
} from "@strata/core";

function oldClient(c: Change) {
  const versions = defineVersions({ versions: [{ id: "2025-01-01", changes: [c] }, { id: "2024-06-01" }, { id: "2024-01-01" }] });
  return (req: Partial<RequestShape> & { method: string; path: string }, version = "2024-01-01"): RequestShape => {
    const full: RequestShape = { query: {}, headers: {}, body: undefined, ...req };
    versions.migrateRequest(full, version);
    return full;
  };
}

/** The error `run` throws. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error, nothing was thrown");
}

describe("moveEndpoint", () => {
  it("moves the path and carries params over by name", () => {
    const c = moveEndpoint("GET /customer/v1/licenses/:id/ips", "GET /customer/v2/licenses/:id/allowlist");
    expect(c.description).toBe("`GET /customer/v1/licenses/:id/ips` moved to `GET /customer/v2/licenses/:id/allowlist`.");
    expect(oldClient(c)({ method: "GET", path: "/customer/v1/licenses/lic%201/ips" })).toMatchObject({
      method: "GET",
      path: "/customer/v2/licenses/lic%201/allowlist",
    });
  });

  it("changes the method", () => {
    const c = moveEndpoint("DELETE /v1/keys/:id", "POST /v2/keys.deleteKey");
    expect(oldClient(c)({ method: "DELETE", path: "/v1/keys/k1" })).toMatchObject({ method: "POST", path: "/v2/keys.deleteKey" });
  });

  it("leaves other routes and clients at the latest alone", () => {
    const c = moveEndpoint("GET /v1/locations", "GET /v2/licenses/locations");
    expect(oldClient(c)({ method: "POST", path: "/v1/locations" }).path).toBe("/v1/locations");
    expect(oldClient(c)({ method: "GET", path: "/v1/locations" }, "2025-01-01").path).toBe("/v1/locations");
  });

  it("needs a concrete target method", () => {
    expect(() => moveEndpoint("GET /a", "* /b")).toThrow(ConfigurationError);
  });
});

describe("moveQueryToBody", () => {
  const c = moveQueryToBody("GET /v1/keys.getKey", "POST /v2/keys.getKey", {
    types: { limit: "number", decrypt: "boolean", ids: "string[]", filter: "json" },
  });
  const run = oldClient(c);

  it("turns the query into a typed JSON body on the new endpoint", () => {
    const req = run({ method: "GET", path: "/v1/keys.getKey", query: { keyId: "key_1", limit: "10", decrypt: "true", ids: "a,b,,c", filter: '{"a":[1,2]}' } });
    expect(req).toEqual({
      method: "POST",
      path: "/v2/keys.getKey",
      query: {},
      headers: { "content-type": "application/json" },
      body: { keyId: "key_1", limit: 10, decrypt: true, ids: ["a", "b", "c"], filter: { a: [1, 2] } },
    });
    expect(c.description).toBe("`GET /v1/keys.getKey` became `POST /v2/keys.getKey`: query parameters moved to the JSON body.");
  });

  it("reads repeated parameters: the last one, or all of them for lists", () => {
    const req = run({ method: "GET", path: "/v1/keys.getKey", query: { keyId: ["a", "b"], ids: ["x", "y"], decrypt: "0" } });
    expect(req.body).toEqual({ keyId: "b", ids: ["x", "y"], decrypt: false });
  });

  it("refuses a value that is not the declared type with a 400", () => {
    for (const [key, value] of [
      ["limit", "ten"],
      ["limit", ""],
      ["decrypt", "yes"],
      ["filter", "{oops"],
    ] as const) {
      const err = thrown(() => run({ method: "GET", path: "/v1/keys.getKey", query: { [key]: value } }));
      expect(err).toBeInstanceOf(QueryValueError);
      expect((err as QueryValueError).status).toBe(400);
      expect((err as QueryValueError).parameter).toBe(key);
      expect((err as QueryValueError).code).toBe("invalid_query_parameter");
    }
    expect((thrown(() => run({ method: "GET", path: "/v1/keys.getKey", query: { limit: "ten" } })) as Error).message).toBe(
      'Query parameter `limit` must be a number, got "ten".',
    );
  });

  it("refuses numbers JSON cannot carry", () => {
    for (const value of ["Infinity", "-Infinity"]) {
      expect(thrown(() => run({ method: "GET", path: "/v1/keys.getKey", query: { limit: value } }))).toBeInstanceOf(QueryValueError);
    }
  });

  it("carries route params to the new path", () => {
    const withParams = moveQueryToBody("GET /v1/apis/:apiId/keys", "POST /v2/apis/:apiId/keys.list");
    expect(oldClient(withParams)({ method: "GET", path: "/v1/apis/api_1/keys", query: { limit: "5" } })).toMatchObject({
      method: "POST",
      path: "/v2/apis/api_1/keys.list",
      body: { limit: "5" },
    });
  });
});

describe("addEndpoint", () => {
  const c = addEndpoint(["POST /v2/keys.rerollKey", "GET /v2/keys/:id/history"]);

  it("describes the endpoints it adds", () => {
    expect(c.description).toBe("`POST /v2/keys.rerollKey`, `GET /v2/keys/:id/history` are added.");
    expect(addEndpoint("POST /v2/x").description).toBe("`POST /v2/x` is added.");
  });

  it("answers older clients with a 404 that says from which version it exists", () => {
    const err = thrown(() => oldClient(c)({ method: "GET", path: "/v2/keys/k1/history" }, "2024-06-01"));
    expect(err).toBeInstanceOf(EndpointNotFoundError);
    const e = err as EndpointNotFoundError;
    expect(e.status).toBe(404);
    expect(e.availableFrom).toBe("2025-01-01");
    expect(e.message).toBe("GET /v2/keys/k1/history does not exist in version 2024-06-01; it is available from version 2025-01-01.");
    expect(e.toProblem()).toEqual({
      type: "about:blank",
      title: "Not Found",
      status: 404,
      detail: "GET /v2/keys/k1/history does not exist in version 2024-06-01; it is available from version 2025-01-01.",
      code: "endpoint_not_found",
      availableFrom: "2025-01-01",
    });
  });

  it("lets clients at or after the version through", () => {
    expect(oldClient(c)({ method: "POST", path: "/v2/keys.rerollKey" }, "2025-01-01").path).toBe("/v2/keys.rerollKey");
    expect(oldClient(c)({ method: "POST", path: "/v2/keys.other" }).path).toBe("/v2/keys.other");
  });
});

describe("path params across a move (issue 11)", () => {
  it("moveQueryToBody carries a path param the target lacks into the body, typed like query values", () => {
    const c = moveQueryToBody("GET /v1/keys/:keyId", "POST /v2/keys.getKey", { types: { decrypt: "boolean" } });
    expect(oldClient(c)({ method: "GET", path: "/v1/keys/key_1", query: { decrypt: "true" } })).toMatchObject({
      method: "POST",
      path: "/v2/keys.getKey",
      body: { keyId: "key_1", decrypt: true },
    });
  });

  it("moveEndpoint carries a path param the target lacks into the query string", () => {
    const c = moveEndpoint("GET /v1/keys/:keyId", "GET /v2/keys.getKey");
    expect(oldClient(c)({ method: "GET", path: "/v1/keys/key_1", query: { a: "b" } })).toMatchObject({
      path: "/v2/keys.getKey",
      query: { a: "b", keyId: "key_1" },
    });
  });

  it.each([
    ["moveEndpoint", () => moveEndpoint("GET /v1/keys", "GET /v2/keys/:keyId")],
    ["moveQueryToBody", () => moveQueryToBody("GET /v1/keys", "POST /v2/apis/:apiId/keys")],
    ["moveEndpoint from an optional param", () => moveEndpoint("GET /v1/keys{/:keyId}", "GET /v2/keys/:keyId")],
  ])("%s to a target needing a param the source lacks is refused at startup", (_name, make) => {
    const err = thrown(make);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).toMatch(/needs :(keyId|apiId)/);
  });

  it("a wildcard param is carried whole", () => {
    const c = moveEndpoint("GET /v1/files/*path", "GET /v2/files/*path");
    expect(oldClient(c)({ method: "GET", path: "/v1/files/a/b/c.txt" }).path).toBe("/v2/files/a/b/c.txt");
  });
});

describe("HEAD requests (issue 11)", () => {
  it("match GET route changes, as Express serves HEAD with GET handlers, and stay HEAD", () => {
    const c = moveEndpoint("GET /v1/things/:id", "GET /v2/things/:id");
    expect(oldClient(c)({ method: "HEAD", path: "/v1/things/7" })).toMatchObject({ method: "HEAD", path: "/v2/things/7" });
    expect(thrown(() => oldClient(addEndpoint("GET /v2/new"))({ method: "HEAD", path: "/v2/new" }))).toBeInstanceOf(EndpointNotFoundError);
  });

  it("do not match other methods' changes", () => {
    const c = moveEndpoint("POST /v1/things", "POST /v2/things");
    expect(oldClient(c)({ method: "HEAD", path: "/v1/things" }).path).toBe("/v1/things");
  });
});
