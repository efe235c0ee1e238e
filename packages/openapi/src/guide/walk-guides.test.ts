import request from "supertest";
import express from "express";
import { defineVersions, renameField, type JsonObject } from "@strata/core";
import { versioning } from "@strata/express";
import { defineContracts } from "../index";
import { fixtureVersions, headDocument } from "../test/fixture";

const contracts = () => defineContracts({ versions: fixtureVersions(), document: headDocument(), resources: { key: "Key" } });

describe("walk guides from the head document", () => {
  it("say where resources are in each response", () => {
    const guides = contracts().walkGuides;
    expect(guides.unavailable).toBeUndefined();
    expect(guides.find("POST", "/v2/keys.getKey", 200)).toEqual({ visit: true });
    expect(guides.find("GET", "/v2/apis/api_1/keys", 200)).toEqual({ keys: { keys: { items: { visit: true } } } });
    // The Error schema holds no resource: the walk enters nothing.
    expect(guides.find("POST", "/v2/keys.getKey", 404)).toEqual({});
    expect(guides.find("POST", "/v2/nothing", 200)).toBeUndefined();
    expect(guides.find("POST", "/v2/keys.getKey", 500)).toBeUndefined();
  });

  it("walk whole what the schema does not pin down: free-form objects, open maps, recursion", () => {
    const doc = headDocument() as { paths: Record<string, Record<string, JsonObject>>; components: { schemas: Record<string, JsonObject> } };
    doc.components.schemas.Tree = {
      type: "object",
      properties: { key: { $ref: "#/components/schemas/Key" }, children: { type: "array", items: { $ref: "#/components/schemas/Tree" } } },
    };
    const ok = (schema: JsonObject) => ({ responses: { "200": { description: "OK", content: { "application/json": { schema } } } } });
    doc.paths["/free"] = { get: ok({ type: "object", properties: { meta: { type: "object" }, key: { $ref: "#/components/schemas/Key" } } }) };
    doc.paths["/map"] = { get: ok({ type: "object", additionalProperties: { $ref: "#/components/schemas/Key" } }) };
    doc.paths["/tree"] = { get: ok({ $ref: "#/components/schemas/Tree" }) };
    doc.paths["/scalar"] = { get: ok({ type: "object", properties: { count: { type: "integer" }, tags: { type: "array", items: { type: "string" } } } }) };
    const guides = defineContracts({ versions: fixtureVersions(), document: doc, resources: { key: "Key" } }).walkGuides;
    expect(guides.find("GET", "/free", 200)).toEqual({ keys: { meta: { any: true }, key: { visit: true } } });
    expect(guides.find("GET", "/map", 200)).toEqual({ any: true });
    expect(guides.find("GET", "/tree", 200)).toEqual({ keys: { key: { visit: true }, children: { items: { any: true } } } });
    expect(guides.find("GET", "/scalar", 200)).toEqual({});
  });

  it("are not given when a resource with changes has no schema in the document", () => {
    const versions = defineVersions({ versions: [{ id: "2025-01-01", changes: [renameField("invoice", "total", "amount")] }, { id: "2024-01-01" }] });
    const guides = defineContracts({ versions, document: headDocument() }).walkGuides;
    expect(guides.unavailable).toBe('the document has no schema for the resource "invoice"');
    expect(guides.find("POST", "/v2/keys.getKey", 200)).toBeUndefined();
  });

  it("serve the same answers through versioning() as the full walk", async () => {
    const c = contracts();
    const app = (walkGuides?: typeof c.walkGuides) => {
      const a = express();
      a.use(versioning({ versions: c.versions, ...(walkGuides ? { walkGuides } : {}) }));
      const key = (id: string) => ({ id, externalId: `u_${id}`, status: "enabled", lastUsedAt: 1 });
      a.get("/v2/apis/:apiId/keys", (_req, res) => void res.json({ keys: [key("key_1"), key("key_2")], extra: { nested: key("key_3") } }));
      return a;
    };
    const guided = await request(app(c.walkGuides)).get("/v1/keys/api_1").set("Api-Version", "2024-01-01");
    const full = await request(app()).get("/v1/keys/api_1").set("Api-Version", "2024-01-01");
    expect(guided.status).toBe(200);
    expect(guided.body.keys).toEqual(full.body.keys);
    expect(guided.body.keys[0]).toEqual({ id: "key_1", ownerId: "u_key_1", status: "on", workspaceId: "ws_1" });
    // `extra` is not in the document: the guided walk leaves it as the handler gave it.
    expect(full.body.extra.nested.ownerId).toBe("u_key_3");
    expect(guided.body.extra.nested).toEqual({ id: "key_3", externalId: "u_key_3", status: "enabled", lastUsedAt: 1 });
  });
});
