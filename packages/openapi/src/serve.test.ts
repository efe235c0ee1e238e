import request from "supertest";
import express from "express";
import { memoryPins, type JsonObject } from "@strata/core";
import { serveOpenApi, strataErrorHandler, versioning } from "@strata/express";
import { defineContracts } from "./index";
import { openApiErrors } from "../../../test/support/openapi-valid";
import { fixtureVersions, headDocument } from "./test/fixture";

function app(validateResponses: "off" | "log" | "error" = "off", lines: string[] = []) {
  const versions = fixtureVersions();
  const contracts = defineContracts({ versions, document: headDocument(), resources: { key: "Key" } });
  const a = express();
  a.use(
    versioning({ versions, account: (req) => req.get("Account"), pins: memoryPins(), validateResponses, contracts, onContractViolation: (l) => lines.push(l) }),
  );
  a.use(serveOpenApi({ contracts }));
  a.use(express.json());
  const key = { id: "key_1", externalId: "user_1", status: "enabled", lastUsedAt: 1 };
  a.post("/v2/keys.getKey", (req, res) => void res.json(req.body.keyId === "key_bad" ? { ...key, status: "retired" } : key));
  a.use(strataErrorHandler());
  return a;
}

describe("serving documents and checking responses against them", () => {
  it("serves /openapi.json at the request's version, and every version's document by id", async () => {
    const a = app();
    const latest = await request(a).get("/openapi.json");
    expect(latest.status).toBe(200);
    expect(latest.headers["content-type"]).toMatch(/^application\/json/);
    expect(latest.body.info.version).toBe("2025-01-01");
    const old = await request(a).get("/openapi.json").set("Api-Version", "2024-01-01");
    expect(old.body.info.version).toBe("2024-01-01");
    expect(Object.keys(old.body.paths as JsonObject).sort()).toEqual(["/v1/keys.getKey", "/v1/keys/{apiId}"]);
    // The document's examples hold keys: no change of the chain rewrote them on the way out.
    expect(JSON.stringify(old.body)).toContain('"externalId":"user_1"');
    const byId = await request(a).get("/openapi/2024-06-01.json");
    expect(byId.body.info.version).toBe("2024-06-01");
    expect(openApiErrors(byId.body)).toEqual([]);
    const unknown = await request(a).get("/openapi/2023-01-01.json");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: "openapi_document_not_found" });
  });

  it("checks migrated responses against the derived documents at runtime", async () => {
    const lines: string[] = [];
    const a = app("error", lines);
    const ok = await request(a).get("/v1/keys.getKey?keyId=key_1").set("Api-Version", "2024-01-01");
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ id: "key_1", ownerId: "user_1", status: "on", workspaceId: "ws_1" });
    const bad = await request(a).get("/v1/keys.getKey?keyId=key_bad").set("Api-Version", "2024-01-01");
    expect(bad.status).toBe(500);
    expect(bad.body.code).toBe("response_contract_violation");
    expect(lines).toEqual([
      'strata: GET /v1/keys.getKey answered 200 outside the 2024-01-01 contract: /status must be equal to one of the allowed values: "on", "off"',
    ]);
  });
});
