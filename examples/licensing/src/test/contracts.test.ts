/**
 * Every version's OpenAPI document is derived from openapi/head.json (1.6) by the changes'
 * schema deltas, none approximate; the chain keeps every example of the head document within
 * every version's document; and real answers, at every version, fit their version's document.
 */
import { checkContracts } from "@strata/openapi";
import { ALL_VERSIONS, testApi, type TestApi } from "./harness";

let api: TestApi;
beforeAll(() => (api = testApi()));
afterAll(() => api.stop());

type Doc = {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, { properties: Record<string, { properties: Record<string, unknown> }> }> };
};
const doc = (version: string) => api.contracts.document(version) as unknown as Doc;
const props = (version: string, schema: string, member: string) => Object.keys(doc(version).components.schemas[schema]!.properties[member]!.properties);

test("the chain keeps every version's contract, and no document is approximate", () => {
  const report = checkContracts(api.contracts);
  expect(report.checked).toBeGreaterThan(ALL_VERSIONS.length * 10);
  expect(api.contracts.approximate).toEqual([]);
});

test("each document says what its version has", () => {
  expect(props("1.1", "Policy", "attributes")).toEqual(expect.arrayContaining(["concurrent", "fingerprintMatchingStrategy", "fingerprintUniquenessStrategy"]));
  expect(props("1.1", "Policy", "attributes")).not.toContain("overageStrategy");
  expect(props("1.1", "PolicyInput", "attributes")).toContain("concurrent");
  expect(props("1.4", "Policy", "attributes")).toEqual(expect.arrayContaining(["overageStrategy", "machineMatchingStrategy"]));
  expect(props("1.5", "License", "relationships")).toContain("user");
  expect(props("1.5", "LicenseInput", "relationships")).toContain("user");
  expect(props("1.5", "Machine", "relationships")).toContain("user");
  expect(props("1.5", "MachineInput", "relationships")).not.toContain("user");
  expect(props("1.6", "License", "relationships")).toContain("owner");
  expect(Object.keys(doc("1.1").components.schemas.ValidationMeta!.properties)).toContain("constant");
  expect(Object.keys(doc("1.5").paths)).toContain("/v1/accounts/{account}/licenses/{id}/user");
  expect(Object.keys(doc("1.6").paths)).toContain("/v1/accounts/{account}/licenses/{id}/owner");
});

test("real answers fit their version's document, at every version", async () => {
  const machine = await api.as("1.6").post("machines", {
    data: { type: "machines", attributes: { fingerprint: "fp-contract" }, relationships: { license: { data: { type: "licenses", id: api.seed.license.id } } } },
  });
  const calls: [method: string, path: string, body?: object][] = [
    ["GET", `licenses/${api.seed.license.id}`],
    ["GET", "licenses"],
    ["GET", `policies/${api.seed.policy.id}`],
    ["GET", `machines/${machine.body.data.id}`],
    ["POST", `licenses/${api.seed.license.id}/actions/validate`, { meta: { scope: { fingerprint: "fp-contract" } } }],
    ["POST", "licenses/actions/validate-key", { meta: { key: api.seed.license.key } }],
    ["POST", "licenses", { data: { type: "licenses", relationships: { policy: { data: { type: "policies", id: api.seed.policy.id } } } } }],
  ];
  for (const version of ALL_VERSIONS) {
    const path = (p: string) => (version >= "1.6" ? p : p.replace(/\/owner$/, "/user"));
    for (const [method, relative, body] of [...calls, ["GET", path(`licenses/${api.seed.license.id}/owner`)] as [string, string]]) {
      const client = api.as(version);
      const res = method === "GET" ? await client.get(relative) : await client.post(relative, body ?? {});
      const checked = api.contracts.validateResponse(version, {
        method,
        path: `/v1/accounts/${api.seed.account.id}/${relative}`,
        status: res.status,
        body: res.body,
        contentType: res.headers["content-type"],
      });
      expect({ version, method, relative, status: res.status, violations: checked }).toEqual({ version, method, relative, status: res.status, violations: [] });
    }
  }
  expect(api.failures).toEqual([]);
});

test("the documents are served: /v1/openapi.json at the request's version, /v1/openapi/<version>.json", async () => {
  const current = await api.as(undefined, { token: null }).get("/v1/openapi.json");
  expect(current.status).toBe(200);
  expect(current.body.info.version).toBe("1.6");
  const old = await api.as("1.3", { token: null }).get("/v1/openapi.json");
  expect(old.body.info.version).toBe("1.3");
  expect(old.headers["keygen-version"]).toBe("1.3");
  const named = await api.as(undefined, { token: null }).get("/v1/openapi/1.0.json");
  expect(named.body.info.version).toBe("1.0");
  expect(named.body.components.parameters.ApiVersion).toMatchObject({ name: "Keygen-Version", in: "header" });
});
