import request from "supertest";
import { openApiErrors } from "../../../../test/support/openapi-valid";
import { createContracts } from "../contracts";
import { V1, V2_LAUNCH } from "../versions";
import { testApp } from "./harness";

describe("keys-api contracts", () => {
  const { versions } = testApp();
  const contracts = createContracts(versions);

  it("derives a valid OpenAPI 3.1 document for every version", () => {
    expect(contracts.documents.map((d) => d.version.id)).toEqual(versions.supported);
    for (const { version, document } of contracts.documents)
      expect({ version: version.id, errors: openApiErrors(document) }).toEqual({ version: version.id, errors: [] });
  });

  it("keeps the v2 versions' contracts: head examples migrated back fit their documents", () => {
    const report = contracts.check();
    const v2Failures = report.failures.filter((f) => versions.get(f.version)!.ordinal >= versions.get(V2_LAUNCH)!.ordinal);
    expect(v2Failures).toEqual([]);
    expect(report.checked).toBeGreaterThan(100);
  });

  it("says honestly that the v1 document is approximate, naming the changes without a schema delta", () => {
    const v1 = contracts.documents.find((d) => d.version.id === V1)!;
    expect(v1.approximate.length).toBeGreaterThan(0);
    expect(v1.approximate.every((a) => a.version === V2_LAUNCH)).toBe(true);
    expect(contracts.documents.find((d) => d.version.id === V2_LAUNCH)!.approximate).toEqual([]);
  });

  it("serves each version's document", async () => {
    const { app } = testApp();
    const latest = await request(app).get("/openapi.json");
    expect(latest.status).toBe(200);
    expect(latest.body.info.version).toBe(versions.latest.id);
    const launch = await request(app).get("/openapi.json").set("Unkey-Version", V2_LAUNCH);
    expect(launch.body.info.version).toBe(V2_LAUNCH);
    const v1 = await request(app).get(`/openapi/${V1}.json`);
    expect(v1.body.info.version).toBe(V1);
  });
});
