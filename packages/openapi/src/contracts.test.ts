import { change, ConfigurationError, defineVersions, renameField, type JsonObject } from "@strata/core";
import { checkContracts, ContractCheckError, defineContracts, type ContractExample } from "./index";
import { fixtureVersions, headDocument } from "./test/fixture";

const contractsFor = (versions = fixtureVersions(), document: JsonObject = headDocument()) =>
  defineContracts({ versions, document, resources: { key: "Key" } });

/** Breaks the v1 contract on purpose: old clients get a number where their document promises a string. */
const workspaceAsNumber = change({
  description: "`workspaceId` is answered as a number.",
  resource: "key",
  response: (key) => {
    key.workspaceId = 7;
  },
  schema: [],
});

describe("contract checks", () => {
  it("passes when every head example, migrated to every version and back, fits that version's document", () => {
    const report = checkContracts(contractsFor());
    expect(report.ok).toBe(true);
    // 3 operations; whoami only at the head: (2 ops x 3 versions + 1) request migrations, as many response ones.
    expect(report.checked).toBe(14);
    expect(report.approximate.map((a) => a.change)).toEqual(["`start` on keys is named `prefix`... in the handler only."]);
  });

  it("fails on a broken change, naming the version, the operation, the change and the JSON pointer", () => {
    const contracts = contractsFor(fixtureVersions({ mid: [workspaceAsNumber] }));
    let error: unknown;
    try {
      checkContracts(contracts);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ContractCheckError);
    const failures = (error as ContractCheckError).report.failures;
    expect(failures).toContainEqual(
      expect.objectContaining({
        version: "2024-01-01",
        operation: "GET /v1/keys.getKey",
        headOperation: "POST /v2/keys.getKey",
        direction: "response",
        pointer: "/workspaceId",
        message: "must be string",
        change: { version: "2024-06-01", description: "`workspaceId` is answered as a number." },
      }),
    );
    expect((error as Error).message).toMatch(
      /FAIL 2024-01-01 GET \/v1\/keys\.getKey response \[200 basic\] at \/workspaceId: must be string \(change "`workspaceId` is answered as a number\.", 2024-06-01\)/,
    );
  });

  it("fails when an old request does not reach its head operation", () => {
    // Its schema delta says getKey was `fetchKey` before, but its request transform does not move it.
    const lyingMove = change({
      description: "`keys.fetchKey` is renamed `keys.getKey`.",
      routes: "POST /v2/keys.fetchKey",
      request: () => undefined,
      schema: [{ op: "moveEndpoint", from: "POST /v2/keys.fetchKey", to: "POST /v2/keys.getKey" }],
    });
    const report = contractsFor(fixtureVersions({ head: [lyingMove] })).check();
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatchObject({
      version: "2024-06-01",
      operation: "POST /v2/keys.fetchKey",
      direction: "request",
      message: "migrated forward, it reaches POST /v2/keys.fetchKey, which the head document does not have instead of POST /v2/keys.getKey",
      change: { version: "2025-01-01", description: "`keys.fetchKey` is renamed `keys.getKey`." },
    });
  });

  it("checks examples the app registers: old requests forward, recorded responses as they are, head ones at every version", () => {
    const examples: ContractExample[] = [
      { version: "2024-01-01", operation: "GET /v1/keys.getKey", name: "v1 client", request: { query: { keyId: "key_9" } } },
      { version: "2024-01-01", operation: "GET /v1/keys.getKey", name: "bad flag", request: { query: { keyId: "key_9", decrypt: "maybe" } } },
      {
        version: "2024-01-01",
        operation: "GET /v1/keys.getKey",
        name: "recorded",
        response: { status: 200, body: { id: "key_1", ownerId: "u", status: "enabled" } },
      },
      { operation: "POST /v2/keys.getKey", name: "head", response: { status: 200, body: { id: "key_2", externalId: "u_2", status: "disabled" } } },
    ];
    const report = defineContracts({ versions: fixtureVersions(), document: headDocument(), resources: { key: "Key" }, examples }).check();
    expect(report.failures.map((f) => [f.version, f.example, f.direction, f.pointer, f.message])).toEqual([
      ["2024-01-01", "bad flag", "request", "", 'the request could not be migrated: Query parameter `decrypt` must be true or false, got "maybe".'],
      ["2024-01-01", "recorded", "response", "/status", 'must be equal to one of the allowed values: "on", "off"'],
    ]);
    // The head example reached every version (3 more response migrations), the 3 older-version
    // examples were checked, and the v1 request rendered from the head example stood aside for
    // the registered one (1 fewer).
    expect(report.checked).toBe(14 + 3 + 3 - 1);
    expect(() =>
      defineContracts({
        versions: fixtureVersions(),
        document: headDocument(),
        examples: [{ version: "2024-01-01", operation: "GET /v1/keys.fetch", response: { status: 200, body: {} } }],
      }),
    ).toThrow(/examples\[0\]: the 2024-01-01 document has no operation "GET \/v1\/keys\.fetch"/);
  });

  it("validates a recorded response against its version's document", () => {
    const contracts = contractsFor();
    const v1Key = { id: "key_1", ownerId: "u", status: "on", workspaceId: "ws" };
    expect(contracts.validateResponse("2024-01-01", { method: "GET", path: "/v1/keys.getKey", status: 200, body: v1Key })).toEqual([]);
    expect(contracts.validateResponse("2024-01-01", { method: "GET", path: "/v1/keys.getKey", status: 200, body: { ...v1Key, status: "enabled" } })).toEqual([
      { pointer: "/status", message: 'must be equal to one of the allowed values: "on", "off"' },
    ]);
    expect(contracts.validateResponse("2024-01-01", { method: "GET", path: "/v1/keys/api_9", status: 200, body: { keys: [{ id: "key_1" }] } })).toEqual([
      { pointer: "/keys/0/ownerId", message: "must have required property 'ownerId'" },
      { pointer: "/keys/0/status", message: "must have required property 'status'" },
    ]);
    expect(contracts.validateResponse("2024-01-01", { method: "POST", path: "/v2/keys.whoami", status: 200, body: {} })).toBeUndefined();
  });

  it("leaves out of each version's document the paths the URL fixes to another version", () => {
    const contracts = defineContracts({
      versions: fixtureVersions(),
      document: headDocument(),
      resources: { key: "Key" },
      pathVersion: (path) => (path.startsWith("/v1/") ? "2024-01-01" : path.startsWith("/v2/") ? "2025-01-01" : undefined),
    });
    expect(Object.keys(contracts.document("2025-01-01").paths as JsonObject)).toHaveLength(3);
    expect(Object.keys(contracts.document("2024-06-01").paths as JsonObject)).toEqual([]);
    expect(Object.keys(contracts.document("2024-01-01").paths as JsonObject).sort()).toEqual(["/v1/keys.getKey", "/v1/keys/{apiId}"]);
  });

  it("derives the schemas of resources the document does not hold, given by name", () => {
    const versions = defineVersions({
      versions: [{ id: "2025-01-01", changes: [renameField("invoice", "total", "amount"), renameField("key", "ownerId", "externalId")] }, { id: "2024-06-01" }],
    });
    const invoice = { type: "object", required: ["amount"], properties: { object: { const: "invoice" }, amount: { type: "integer" } } };
    const contracts = defineContracts({ versions, document: headDocument(), resources: { key: "Key" }, schemas: { invoice } });
    expect(contracts.resourceSchema("2025-01-01", "invoice")).toEqual(invoice);
    expect(contracts.resourceSchema("2024-06-01", "invoice")).toEqual({
      ...invoice,
      required: ["total"],
      properties: { object: { const: "invoice" }, total: { type: "integer" } },
    });
    expect(contracts.resourceSchema("2024-06-01", "key")!.properties).toHaveProperty("ownerId");
    expect(contracts.walkGuides.unavailable).toBeUndefined();
    expect(() => defineContracts({ versions, document: headDocument(), schemas: { Key: invoice } })).toThrow(/already has a component schema named "Key"/);
  });

  it("serves each version's document, and refuses bad options naming them", () => {
    const contracts = contractsFor();
    expect((contracts.document("2024-01-01").info as JsonObject).version).toBe("2024-01-01");
    expect(contracts.documents.map((d) => d.version.id)).toEqual(["2025-01-01", "2024-06-01", "2024-01-01"]);
    expect(() => defineContracts({ versions: fixtureVersions(), document: { openapi: "3.0.3" } })).toThrow(/must be OpenAPI 3\.1/);
    expect(() => defineContracts({ versions: fixtureVersions(), document: "/nonexistent.json" })).toThrow(ConfigurationError);
    expect(() => defineContracts({ versions: fixtureVersions(), document: headDocument(), resources: { key: "Kee" } })).toThrow(
      /"key" names #\/components\/schemas\/Kee, which the head document does not have/,
    );
  });
});
