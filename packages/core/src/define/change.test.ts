import { change, ConfigurationError, routePattern, type Change } from "@strata/core";

/** change() with type checking off, for options the types already forbid. */
const untyped = change as unknown as (options: Record<string, unknown>) => Change;

function configError(define: () => unknown): ConfigurationError {
  try {
    define();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return err as ConfigurationError;
  }
  throw new Error("expected a ConfigurationError, nothing was thrown");
}

const noop = () => undefined;

describe("change()", () => {
  describe("builds", () => {
    it("a route change with precompiled patterns", () => {
      const c = change({ description: "Moved.", routes: ["GET /v1/keys/:id", { method: "post", path: "/v1/keys" }], request: noop });
      expect(c.kind).toBe("route");
      expect(c.routes.map((r) => r.label)).toEqual(["GET /v1/keys/:id", "POST /v1/keys"]);
      expect(c.request).toBe(noop);
      expect(Object.isFrozen(c)).toBe(true);
    });

    it("a resource change whose transforms work per resource", () => {
      const c = change({ description: "Renamed.", resource: "key", request: noop, response: noop });
      expect(c).toEqual({ kind: "resource", description: "Renamed.", resource: "key", request: noop, response: noop });
      // The variant carries only its own members: no routes, no error or event transforms.
      expect(Object.keys(c).sort()).toEqual(["description", "kind", "request", "resource", "response"]);
    });

    it("a global change", () => {
      const c = change({ description: "  New error format.  ", error: noop, event: noop });
      expect(c).toMatchObject({ kind: "global", description: "New error format.", error: noop, event: noop });
    });

    it("a side-effect change with no transforms", () => {
      expect(change({ description: "Scopes are required.", sideEffect: true })).toEqual({ kind: "side-effect", description: "Scopes are required." });
    });
  });

  describe("rejects, naming the change", () => {
    it("a missing or blank description", () => {
      expect(configError(() => untyped({ request: noop })).message).toContain("non-empty `description`");
      configError(() => change({ description: "   ", request: noop }));
    });

    it("a change with no transform, hinting at sideEffect", () => {
      const err = configError(() => change({ description: "Does nothing.", resource: "key" }));
      expect(err.offender).toBe("Does nothing.");
      expect(err.message).toContain("has no effect");
      expect(err.message).toContain("sideEffect: true");
    });

    it("an unknown option, listing the known ones", () => {
      const err = configError(() => untyped({ description: "Typo.", resource: "key", respones: noop }));
      expect(err.offender).toBe("Typo.");
      expect(err.message).toContain("unknown option `respones`");
      expect(err.message).toContain("Known options: description, routes, resource, request, response, error, event, sideEffect, schema.");
    });

    it("both routes and resource", () => {
      const err = configError(() => untyped({ description: "Both.", routes: "GET /x", resource: "key", request: noop }));
      expect(err.offender).toBe("Both.");
      expect(err.message).toContain("either `routes` or `resource`");
    });

    it("a side-effect change with transforms or a scope", () => {
      expect(configError(() => untyped({ description: "S.", sideEffect: true, request: noop })).offender).toBe("S.");
      expect(configError(() => untyped({ description: "S.", sideEffect: true, resource: "key" })).offender).toBe("S.");
      expect(configError(() => untyped({ description: "S.", sideEffect: false })).message).toContain("must be true");
    });

    it("a transform that is not a function", () => {
      expect(configError(() => untyped({ description: "T.", request: "nope" })).message).toContain("`request` must be a function");
    });

    it("error or event transforms on a resource change", () => {
      expect(configError(() => untyped({ description: "R.", resource: "key", error: noop })).offender).toBe("R.");
    });

    it("an event transform on a route change", () => {
      expect(configError(() => untyped({ description: "E.", routes: "GET /x", event: noop })).offender).toBe("E.");
    });

    it("an empty route list", () => {
      expect(configError(() => change({ description: "Empty.", routes: [], request: noop })).message).toContain("`routes` is empty");
    });

    it("an unknown HTTP method", () => {
      const err = configError(() => change({ description: "M.", routes: "FETCH /v1/keys", request: noop }));
      expect(err.offender).toBe('Change "M."');
      expect(err.message).toContain('unknown HTTP method "FETCH"');
    });

    it("a path without a leading slash", () => {
      expect(configError(() => change({ description: "P.", routes: { method: "GET", path: "v1/keys" }, request: noop })).message).toContain(
        'must start with "/"',
      );
    });

    it("a route string without a method", () => {
      expect(configError(() => change({ description: "P.", routes: "/v1/keys", request: noop })).message).toContain('must look like "GET /path"');
    });

    it("a path path-to-regexp cannot parse", () => {
      expect(configError(() => change({ description: "P.", routes: "GET /v1/:", request: noop })).message).toContain('invalid route path "/v1/:"');
    });
  });
});

describe("routePattern", () => {
  it("matches method and path, decoding params", () => {
    const r = routePattern("GET /v1/keys/:id", "test");
    expect(r.match("GET", "/v1/keys/key%201")).toEqual({ id: "key 1" });
    expect(r.match("POST", "/v1/keys/k1")).toBeUndefined();
    expect(r.match("GET", "/v1/keys")).toBeUndefined();
  });

  it("matches any method with *, and wildcard params as a joined path", () => {
    const r = routePattern("* /v1/*rest", "test");
    expect(r.match("DELETE", "/v1/a/b/c")).toEqual({ rest: "a/b/c" });
  });

  it("treats malformed percent-encoding in a client path as no match", () => {
    expect(routePattern("GET /v1/keys/:id", "test").match("GET", "/v1/keys/%E0%A4%A")).toBeUndefined();
  });

  it("builds concrete paths from params, encoding them", () => {
    expect(routePattern("GET /v2/keys/:id", "test").build({ id: "a/b" })).toBe("/v2/keys/a%2Fb");
  });
});
