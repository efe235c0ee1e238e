import { change, ConfigurationError, defineVersions, moveEndpoint, moveQueryToBody, type RequestShape, type ResponseShape } from "@strata/core";

// DESIGN.md semantics 1: within a version, endpoint moves run first on requests (last on
// responses), so a route change of version V names routes as they are in V.
const req = (method: string, path: string): RequestShape => ({ method, path, query: {}, headers: {}, body: undefined });

describe("routes within a version", () => {
  const trace: string[] = [];
  const tagged = change({
    description: "Keys answer `legacy: true` to old clients.",
    routes: "POST /v2/keys.getKey",
    request: () => void trace.push("tagged request"),
    response: (res) => {
      trace.push("tagged response");
      (res.body as Record<string, unknown>).legacy = true;
    },
  });
  const moved = moveQueryToBody("GET /v1/keys.getKey", "POST /v2/keys.getKey");

  it.each([
    ["listed after the move", [moved, tagged]],
    ["listed before the move", [tagged, moved]],
  ])("a change naming the new route applies whether %s", (_how, changes) => {
    trace.length = 0;
    const versions = defineVersions({ versions: [{ id: "2025-01-01", changes }, { id: "2024-01-01" }] });
    const request = req("GET", "/v1/keys.getKey");
    const migration = versions.migrateRequest(request, "2024-01-01");
    expect(request).toMatchObject({ method: "POST", path: "/v2/keys.getKey" });
    const response: ResponseShape = { status: 200, headers: {}, body: { id: "k" } };
    expect(migration.migrateResponse(response).body).toEqual({ id: "k", legacy: true });
    expect(trace).toEqual(["tagged request", "tagged response"]);
  });

  it("refuses at startup a pattern that a move of the same version takes away, naming the route to write", () => {
    const old = change({ description: "Written against the v1 route.", routes: "GET /v1/keys.getKey", response: () => undefined });
    expect(() => defineVersions({ versions: [{ id: "2025-01-01", changes: [old, moved] }, { id: "2024-01-01" }] })).toThrow(ConfigurationError);
    expect(() => defineVersions({ versions: [{ id: "2025-01-01", changes: [moved, old] }, { id: "2024-01-01" }] })).toThrow(
      /names GET \/v1\/keys\.getKey, but .* moves that route to POST \/v2\/keys\.getKey first/,
    );
  });

  it("lets a move leave some requests where they are (`except`) for another change to answer", () => {
    const byId = moveEndpoint("GET /v1/licenses/:id", "GET /v2/licenses/:id", { except: ["GET /v1/licenses/locations"] });
    const guard = change({
      description: "v1 has no `GET /licenses/locations`.",
      routes: "GET /v1/licenses/locations",
      request: () => {
        throw new ConfigurationError("no such license");
      },
    });
    const versions = defineVersions({ versions: [{ id: "2025-01-01", changes: [byId, guard] }, { id: "2024-01-01" }] });
    const other = req("GET", "/v1/licenses/lic_1");
    versions.migrateRequest(other, "2024-01-01");
    expect(other.path).toBe("/v2/licenses/lic_1");
    expect(() => versions.migrateRequest(req("GET", "/v1/licenses/locations"), "2024-01-01")).toThrow(/translate|no such license/);
  });

  it("keeps changes of different versions in version order: an older version's move first", () => {
    const first = moveEndpoint("GET /v1/a", "GET /v2/a");
    const second = moveEndpoint("GET /v2/a", "GET /v3/a");
    const versions = defineVersions({ versions: [{ id: "2025-06-01", changes: [second] }, { id: "2025-01-01", changes: [first] }, { id: "2024-01-01" }] });
    const request = req("GET", "/v1/a");
    versions.migrateRequest(request, "2024-01-01");
    expect(request.path).toBe("/v3/a");
  });
});

describe("order within a version (property)", () => {
  const fc = require("fast-check") as typeof import("fast-check");
  // A version of moves (`/m{i}` -> `/n{i}`) and route changes naming a moved endpoint by its
  // new route (`/n{k}`), listed in any order.
  const versionShape = fc
    .array(fc.oneof(fc.constant({ move: true, target: 0 }), fc.record({ move: fc.constant(false), target: fc.nat(3) })), { minLength: 1, maxLength: 8 })
    .filter((entries) => entries.some((e) => e.move));

  it("every route change of a version sees its endpoint as in that version, wherever it is listed; responses run in exact reverse", () => {
    fc.assert(
      fc.property(versionShape, (entries) => {
        const trace: string[] = [];
        const moveIds = entries.flatMap((e, i) => (e.move ? [i] : []));
        const changes = entries.map((e, i) => {
          if (e.move) return moveEndpoint(`GET /m${i}`, `GET /n${i}`, { description: `move ${i}` });
          const k = moveIds[e.target % moveIds.length]!;
          return change({
            description: `tag ${i} on /n${k}`,
            routes: `GET /n${k}`,
            request: () => void trace.push(`request ${i}`),
            response: () => void trace.push(`response ${i}`),
          });
        });
        const versions = defineVersions({ versions: [{ id: "2025-01-01", changes }, { id: "2024-01-01" }] });
        for (const k of moveIds) {
          trace.length = 0;
          const request = req("GET", `/m${k}`);
          const migration = versions.migrateRequest(request, "2024-01-01");
          expect(request.path).toBe(`/n${k}`);
          migration.migrateResponse({ status: 200, headers: {}, body: {} });
          const tags = entries.flatMap((e, i) => (!e.move && moveIds[e.target % moveIds.length] === k ? [i] : []));
          expect(trace).toEqual([...tags.map((i) => `request ${i}`), ...tags.map((i) => `response ${i}`).reverse()]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
