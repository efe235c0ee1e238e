import { openApiErrors } from "../../../../test/support/openapi-valid";
import { change, removeField, type JsonObject } from "@strata/core";
import { deriveDocuments } from "./derive";
import { resourceFinder } from "./resources";
import { fixtureVersions, headDocument } from "../test/fixture";

const derive = (versions = fixtureVersions(), head = headDocument()) =>
  deriveDocuments(versions, head, resourceFinder({ key: "Key" }), { header: "Api-Version", now: new Date("2026-01-01") });
const docOf = (id: string, map = derive()) => [...map.values()].find((d) => d.version.id === id)!;
const paths = (doc: JsonObject) => doc.paths as Record<string, Record<string, JsonObject>>;
const keySchema = (doc: JsonObject) =>
  (doc.components as { schemas: Record<string, JsonObject> }).schemas.Key as { properties: JsonObject; required: string[] };

describe("deriveDocuments", () => {
  it("derives a valid OpenAPI 3.1 document for every version", () => {
    const docs = [...derive().values()];
    expect(docs).toHaveLength(3);
    for (const { document, version } of docs) expect({ version: version.id, errors: openApiErrors(document) }).toEqual({ version: version.id, errors: [] });
    expect(openApiErrors({ openapi: "3.1.0", info: {}, paths: {} })).not.toEqual([]);
  });

  it("leaves the head document as it was given, and the derived ones frozen", () => {
    const head = headDocument();
    const before = structuredClone(head);
    const map = derive(fixtureVersions(), head);
    expect(head).toEqual(before);
    expect(Object.isFrozen(keySchema(docOf("2024-01-01", map).document).properties)).toBe(true);
  });

  it("undoes field changes on the resource's schema, in place in the property list", () => {
    const v2 = keySchema(docOf("2025-01-01").document);
    expect(Object.keys(v2.properties)).toEqual(["id", "externalId", "status", "lastUsedAt"]);
    const mid = keySchema(docOf("2024-06-01").document);
    expect(Object.keys(mid.properties)).toEqual(["id", "externalId", "status"]); // lastUsedAt did not exist yet
    const v1 = keySchema(docOf("2024-01-01").document);
    expect(Object.keys(v1.properties)).toEqual(["id", "ownerId", "status", "workspaceId"]);
    expect(v1.required).toEqual(["id", "ownerId", "status"]);
    expect(v1.properties.ownerId).toEqual({ type: "string", description: "Who owns it." });
    expect(v1.properties.workspaceId).toEqual({ type: "string", description: "The workspace." });
    expect(v1.properties.status).toEqual({ type: "string", enum: ["on", "off"] });
  });

  it("moves endpoints back: a JSON body becomes typed query parameters, a query parameter a path param", () => {
    const v1 = docOf("2024-01-01").document;
    expect(Object.keys(paths(v1)).sort()).toEqual(["/v1/keys.getKey", "/v1/keys/{apiId}"]);
    const getKey = paths(v1)["/v1/keys.getKey"]!.get!;
    expect(getKey.requestBody).toBeUndefined();
    expect(getKey.parameters).toEqual([
      { $ref: "#/components/parameters/ApiVersion" },
      { name: "keyId", in: "query", required: true, description: "The key.", schema: { type: "string", description: "The key." } },
      { name: "decrypt", in: "query", required: false, schema: { type: "boolean" } },
    ]);
    const list = paths(v1)["/v1/keys/{apiId}"]!.get!;
    expect(list.operationId).toBe("listKeys");
    // The path item's own parameter travelled with the operation.
    expect((list.parameters as JsonObject[]).map((p) => `${String(p.in ?? "$ref")}:${String(p.name ?? "")}`)).toEqual([
      "$ref:",
      "path:apiId",
      "query:keyPrefix",
    ]);
    expect(list["x-strata-operation"]).toBe("GET /v2/apis/{apiId}/keys");
  });

  it("removes endpoints added later, and marks the version: info, header parameter, deprecation, changelog", () => {
    const mid = docOf("2024-06-01").document;
    expect(paths(mid)["/v2/keys.whoami"]).toBeUndefined();
    expect(paths(docOf("2025-01-01").document)["/v2/keys.whoami"]).toBeDefined();
    const v1 = docOf("2024-01-01").document;
    expect((v1.info as JsonObject).version).toBe("2024-01-01");
    expect((v1.components as { parameters: Record<string, JsonObject> }).parameters.ApiVersion).toMatchObject({ name: "Api-Version", in: "header" });
    expect(paths(v1)["/v1/keys.getKey"]!.get!.deprecated).toBe(true);
    expect(paths(mid)["/v1/keys.getKey"]?.get?.deprecated ?? paths(mid)["/v2/keys.getKey"]!.post!.deprecated).toBeUndefined();
    expect((mid.info as JsonObject).description).toContain("## Changes in 2024-06-01");
    expect((mid.info as JsonObject).description).toContain("- `ownerId` on key is renamed to `externalId`.");
    expect((v1.info as JsonObject).description).toContain("The first version.");
  });

  it("names the changes it could only approximate, and carries them to every older version", () => {
    const map = derive();
    expect(docOf("2025-01-01", map).approximate).toEqual([]);
    expect(docOf("2024-06-01", map).approximate).toEqual([]);
    expect(docOf("2024-01-01", map).approximate).toEqual([
      { version: "2024-06-01", change: "`start` on keys is named `prefix`... in the handler only.", reason: "it has no schema delta" },
    ]);
    expect((docOf("2024-01-01", map).document["x-strata"] as JsonObject).approximate).toHaveLength(1);
  });

  it("runs a hand-written schema function with tools for operations and resources", () => {
    const envelope = change({
      description: "Keys answer with a `meta` object.",
      resource: "key",
      response: () => undefined,
      schema: (doc, tools) => {
        for (const schema of tools.resourceSchemas("key")) delete (schema.properties as JsonObject).meta;
        for (const { operation } of tools.operations("POST /v2/keys.getKey")) operation.summary = `Before ${tools.version.id}'s successor`;
      },
    });
    const head = headDocument();
    ((head.components as { schemas: Record<string, JsonObject> }).schemas.Key!.properties as JsonObject).meta = { type: "object" };
    const map = derive(fixtureVersions({ head: [envelope] }), head);
    const mid = docOf("2024-06-01", map).document;
    expect(keySchema(mid).properties.meta).toBeUndefined();
    expect(keySchema(docOf("2025-01-01", map).document).properties.meta).toEqual({ type: "object" });
    expect(paths(mid)["/v2/keys.getKey"]!.post!.summary).toBe("Before 2024-06-01's successor");
  });

  it("finds resources by their `object` tag by default, inline schemas included", () => {
    const head = headDocument();
    const schemas = (head.components as { schemas: Record<string, JsonObject> }).schemas;
    (schemas.Key!.properties as JsonObject).object = { const: "key" };
    const inline = structuredClone(schemas.Key!);
    (paths(head)["/v2/keys.whoami"]!.post!.responses as Record<string, JsonObject>)["200"] = {
      description: "OK",
      content: { "application/json": { schema: inline } },
    };
    const map = deriveDocuments(fixtureVersions(), head, resourceFinder({}), { header: false, now: new Date() });
    const mid = docOf("2024-06-01", map).document;
    expect(Object.keys(keySchema(mid).properties)).toContain("externalId");
    const v1 = docOf("2024-01-01", map).document;
    expect(Object.keys(keySchema(v1).properties)).toContain("ownerId");
    expect(JSON.stringify(v1)).not.toContain("ApiVersion");
  });

  it("marks a removed field required in older documents when the change says older clients always get it", () => {
    const always = removeField("key", "region", { value: "eu", schema: { type: "string" }, required: true });
    const v = keySchema(docOf("2024-06-01", derive(fixtureVersions({ head: [always] }))).document);
    expect(v.properties.region).toEqual({ type: "string" });
    expect(v.required).toContain("region");
  });

  it("says which change's delta does not fit the document", () => {
    const clash = change({
      description: "Clashing move.",
      routes: "POST /v2/keys.whoami",
      request: () => undefined,
      schema: [{ op: "moveEndpoint", from: "POST /v2/keys.getKey", to: "POST /v2/keys.whoami" }],
    });
    expect(() => derive(fixtureVersions({ head: [clash] }))).toThrow(/Change "Clashing move\.": .*already has an operation/);
  });
});
