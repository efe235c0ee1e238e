/**
 * The contracts: one OpenAPI document per version, derived from openapi/head.json by the
 * changes' schema deltas. Every document is exact, the chain keeps each one, and the real v1
 * SDK gets what the 2024-01-01 document says.
 */
import request from "supertest";
import type { JsonObject } from "@strata/core";
import { checkContracts } from "@strata/openapi";
import { openApiErrors } from "../../../../test/support/openapi-valid";
import type { Lookups } from "../changes";
import { createContracts } from "../contracts";
import { createVersions, V1 } from "../versions";
import { testApp, testServer } from "./harness";
import { recordV1Calls } from "./recorded-v1";

/** The head examples' keys, APIs and lists, as the changes that restore v1 facts look them up. */
const exampleLookups: Lookups = {
  keyOwner: () => ({ workspaceId: "ws_123", apiId: "api_123" }),
  apiWorkspace: () => "ws_123",
  keyRatelimits: () => [],
  countKeys: () => 3,
  countIdentities: () => 2,
  countOverrides: () => 2,
};

type Doc = JsonObject & { paths: Record<string, Record<string, JsonObject>>; components: { schemas: Record<string, JsonObject> } };
const resolve = (doc: Doc, schema: unknown): JsonObject => {
  const ref = (schema as { $ref?: string }).$ref;
  return ref ? resolve(doc, doc.components.schemas[ref.split("/").pop()!]) : (schema as JsonObject);
};
const answer = (doc: Doc, route: string, status = "200"): JsonObject => {
  const [method, path] = route.split(" ") as [string, string];
  const response = (doc.paths[path]![method.toLowerCase()]!.responses as Record<string, { content: Record<string, { schema: unknown }> }>)[status]!;
  return resolve(doc, response.content["application/json"]!.schema);
};
const propsOf = (schema: JsonObject) => Object.keys(schema.properties as object).sort();

describe("keys-api contracts", () => {
  const versions = createVersions(exampleLookups);
  const contracts = createContracts(versions);
  const v1 = contracts.document(V1) as Doc;

  it("derives a valid OpenAPI 3.1 document for every version, each exact: every change states its schema delta", () => {
    expect(contracts.documents.map((d) => d.version.id)).toEqual(versions.supported);
    for (const { version, document } of contracts.documents)
      expect({ version: version.id, errors: openApiErrors(document) }).toEqual({ version: version.id, errors: [] });
    expect(contracts.approximate).toEqual([]);
  });

  it("keeps every version's contract: head examples migrated to each version and back fit its document", () => {
    // The v1 requests the head examples cannot render (a renamed, optional query parameter:
    // getIdentity's `identityId`, the override reads' `namespaceId`) are registered in
    // src/contracts.ts as the v1 SDK sends them, and stand in for the rendered ones.
    const report = checkContracts(contracts);
    expect(report.checked).toBeGreaterThan(700);
    expect(report.failures).toEqual([]);
  });

  describe("the 2024-01-01 document is Unkey's v1, as keys-api serves it", () => {
    it("holds the v1 operations keys-api serves, at their v1 paths and methods", () => {
      const routes = Object.entries(v1.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
      expect(routes).toHaveLength(34);
      expect(routes.every((r) => /^(GET|POST) \/v1\/[a-z]+\.[a-zA-Z]+$/.test(r))).toBe(true);
      expect(routes).toEqual(
        expect.arrayContaining(["GET /v1/keys.getKey", "POST /v1/keys.updateRemaining", "POST /v1/ratelimits.setOverride", "GET /v1/apis.listKeys"]),
      );
    });

    it("GET /v1/keys.getKey takes a required keyId query parameter, and no body", () => {
      const getKey = v1.paths["/v1/keys.getKey"]!.get!;
      expect(getKey.requestBody).toBeUndefined();
      expect(getKey.parameters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: "keyId", in: "query", required: true, schema: expect.objectContaining({ type: "string" }) }),
          expect.objectContaining({ name: "decrypt", in: "query", required: false, schema: { type: "boolean" } }),
        ]),
      );
    });

    it("a key is the bare v1 key: ownerId, remaining, refill, one ratelimit, workspaceId, apiId; no externalId, credits or ratelimits", () => {
      const key = answer(v1, "GET /v1/keys.getKey");
      expect(propsOf(key)).toEqual(
        [
          "apiId",
          "createdAt",
          "enabled",
          "expires",
          "id",
          "identity",
          "meta",
          "name",
          "ownerId",
          "permissions",
          "plaintext",
          "ratelimit",
          "refill",
          "remaining",
        ]
          .concat(["roles", "start", "updatedAt", "workspaceId"])
          .sort(),
      );
      expect(key.required).toEqual(expect.arrayContaining(["id", "start", "workspaceId", "createdAt"]));
      expect(propsOf((key.properties as Record<string, JsonObject>).ratelimit!)).toEqual(["async", "duration", "limit", "refillInterval", "refillRate"]);
      expect(answer(v1, "GET /v1/apis.listKeys")).toMatchObject({
        required: ["keys", "total"],
        properties: { keys: { items: { $ref: "#/components/schemas/Key" } } },
      });
    });

    it("answers the v1 shapes elsewhere too: bare results, v1 lists, the v1 verification", () => {
      expect(propsOf(answer(v1, "GET /v1/identities.listIdentities"))).toEqual(["cursor", "identities", "total"]);
      expect(propsOf(answer(v1, "GET /v1/ratelimits.getOverride"))).toEqual(["duration", "id", "identifier", "limit"]);
      expect(answer(v1, "GET /v1/permissions.listRoles")).toMatchObject({ type: "array" });
      expect(answer(v1, "POST /v1/keys.updateRemaining")).toMatchObject({ required: ["remaining"] });
      const verify = answer(v1, "POST /v1/keys.verifyKey");
      expect(verify.required).toEqual(["valid", "code", "requestId"]);
      expect(propsOf(verify)).toEqual(expect.arrayContaining(["ownerId", "ratelimit", "remaining", "requestId"]));
      expect(propsOf(verify)).not.toEqual(expect.arrayContaining(["credits"]));
    });

    it("errors are {error: {code, docs, message, requestId}}, one code per status, DELETE_PROTECTED on deleteApi", () => {
      for (const [status, code] of [
        ["400", "BAD_REQUEST"],
        ["401", "UNAUTHORIZED"],
        ["404", "NOT_FOUND"],
        ["500", "INTERNAL_SERVER_ERROR"],
      ] as const) {
        const error = answer(v1, "GET /v1/keys.getKey", status);
        expect(error).toMatchObject({ required: ["error"], properties: { error: { required: ["code", "docs", "message", "requestId"] } } });
        expect((error.properties as { error: { properties: { code: unknown } } }).error.properties.code).toMatchObject({ enum: [code] });
      }
      expect(JSON.stringify(answer(v1, "POST /v1/apis.deleteApi", "429"))).toContain('"enum":["DELETE_PROTECTED"]');
      expect(Object.keys(v1.components.schemas)).not.toEqual(expect.arrayContaining(["ErrorResponse"]));
    });
  });

  it("answers every call of a real v1 SDK session as the 2024-01-01 document describes", async () => {
    const server = await testServer();
    const guarded = server.db.workspaces.createApi("ws_test", "protected", { deleteProtection: true });
    const calls = await recordV1Calls(server.base, { protectedApiId: guarded.id }).finally(() => server.close());
    const misses = calls
      .map((c) => ({ call: `${c.scenario}: ${c.method} ${c.path} ${c.status}`, violations: contracts.validateResponse(V1, c) }))
      .filter((r) => r.violations === undefined || r.violations.length > 0);
    expect(misses).toEqual([]);
    // Every v1 operation, each with a success; the errors it shows are the v1 ones.
    const operations = Object.entries(v1.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    expect([...new Set(calls.filter((c) => c.status === 200).map((c) => `${c.method} ${c.path}`))].sort()).toEqual(operations.sort());
    expect(new Set(calls.map((c) => c.status))).toEqual(new Set([200, 400, 401, 404, 409, 429]));
    // The requests the check cannot render work as the SDK sends them.
    for (const name of ["getIdentity: by identityId", "getIdentity: by externalId", "getOverride", "listOverrides: first page"])
      expect(calls.find((c) => c.scenario === name)?.status).toBe(200);
  });

  it("serves each version's document", async () => {
    const { app } = testApp();
    const latest = await request(app).get("/openapi.json");
    expect(latest.status).toBe(200);
    expect(latest.body.info.version).toBe(versions.latest.id);
    const launch = await request(app).get("/openapi.json").set("Unkey-Version", "2025-07-01");
    expect(launch.body.info.version).toBe("2025-07-01");
    const served = await request(app).get(`/openapi/${V1}.json`);
    expect(served.body).toEqual(JSON.parse(JSON.stringify(v1)));
  });
});
