import request from "supertest";
import { checkContracts } from "@strata/openapi";
import { createApp } from "./app";
import { customerContracts } from "./customer/contracts";
import { recordCustomerCalls } from "./recorded";
import { openApiErrors } from "../../../test/support/openapi-valid";

const V2 = /^\/customer\/v2\//;
/** Where a v2 path lives in v1, as Orbit's migration guide maps it; `undefined` for v2-only endpoints. */
function toV1(path: string): string | undefined {
  if (path === "/customer/v2/licenses/locations") return "/customer/v1/locations";
  if (!/^\/customer\/v2\/licenses(\/|$)/.test(path)) return undefined;
  return path.replace(V2, "/customer/v1/");
}

describe("Customer API contracts: one OpenAPI document per major, derived and checked", () => {
  it("derives a valid OpenAPI 3.1 document for each major, exact (every change has a schema delta)", () => {
    for (const { version, document } of customerContracts.documents)
      expect({ version: version.id, errors: openApiErrors(document) }).toEqual({ version: version.id, errors: [] });
    expect(customerContracts.approximate).toEqual([]);
  });

  it("describes v1 as Orbit's guide does: its own paths, locations at the top level, no v2-only endpoints", () => {
    const v1 = Object.keys(customerContracts.document("1.0").paths as object).sort();
    expect(v1).toEqual([
      "/customer/v1/licenses",
      "/customer/v1/licenses/{id}",
      "/customer/v1/licenses/{id}/ips",
      "/customer/v1/licenses/{id}/ips/{ip}",
      "/customer/v1/licenses/{id}/regenerate-key",
      "/customer/v1/licenses/{id}/reset-key",
      "/customer/v1/locations",
    ]);
    expect(Object.keys(customerContracts.document("2.0").paths as object).every((p) => p.startsWith("/customer/v2/"))).toBe(true);
  });

  it("keeps every major's contract: head examples migrated to v1 and back fit the v1 document", () => {
    const report = checkContracts(customerContracts);
    expect(report.checked).toBeGreaterThan(20);
  });

  it("answers real v1 and v2 calls as their version's document describes", async () => {
    for (const [version, path] of [
      ["2.0", (p: string) => p],
      ["1.0", toV1],
    ] as const) {
      const calls = await recordCustomerCalls(createApp(), { path });
      expect(calls.length).toBeGreaterThan(version === "1.0" ? 20 : 60);
      const misses = calls
        .filter((c) => typeof c.body === "object" && c.body !== null)
        .map((c) => ({
          call: `${c.request.method} ${c.request.path} ${c.status}`,
          violations: customerContracts.validateResponse(version, { ...c.request, ...c, contentType: c.headers["content-type"] }),
        }))
        .filter((r) => r.violations === undefined || r.violations.length > 0);
      expect({ version, misses }).toEqual({ version, misses: [] });
    }
  });

  it("serves each major's document", async () => {
    const app = createApp();
    const v1 = await request(app).get("/customer/openapi/1.0.json");
    expect(v1.status).toBe(200);
    expect(v1.body.info.version).toBe("1.0");
    const latest = await request(app).get("/customer/openapi.json");
    expect(latest.body.info.version).toBe("2.0");
  });
});

describe("strata check on the Customer API's contracts module", () => {
  it("passes, with nothing approximate", async () => {
    const { run } = await import("@strata/cli");
    let stdout = "";
    const code = await run(["check", "--contracts", require.resolve("./customer/contracts")], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      env: {},
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+ example migrations checked, 0 failed\.\n$/);
  });
});
