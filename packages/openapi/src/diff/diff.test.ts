import { diffDocuments, type ContractDifference } from "./index";
// The OpenAPI 3.1 schema check the rest of the repository uses: the end-to-end fixtures are real documents.
import { openApiErrors } from "../../../../test/support/openapi-valid";

type Doc = Record<string, unknown>;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Every comparison runs on frozen documents: a write to either throws in strict mode. */
const diff = (before: Doc, after: Doc) => diffDocuments(deepFreeze(before), deepFreeze(after));
const rules = (found: ContractDifference[]) => found.map((d) => [d.rule, d.breaking]);

const doc = (paths: Doc, components: Doc = {}): Doc => ({ openapi: "3.1.0", info: { title: "Keys", version: "1" }, paths, components });
const json = (schema: unknown) => ({ "application/json": { schema } });
const GET_KEY = "/v1/keys.getKey";
const CREATE_KEY = "/v1/keys.createKey";
/** A document whose one operation, GET /v1/keys.getKey, answers 200 with `schema`. */
const responding = (schema: unknown, schemas: Doc = {}) =>
  doc({ [GET_KEY]: { get: { responses: { "200": { description: "OK", content: json(schema) } } } } }, { schemas });
/** A document whose one operation, POST /v1/keys.createKey, takes a required JSON body of `schema`. */
const accepting = (schema: unknown, schemas: Doc = {}) =>
  doc({ [CREATE_KEY]: { post: { requestBody: { required: true, content: json(schema) }, responses: { "204": { description: "Done" } } } } }, { schemas });
const object = (properties: Doc, required: string[] = [], extra: Doc = {}) => ({ type: "object", required, properties, ...extra });
const RESPONSE = "#/paths/~1v1~1keys.getKey/get/responses/200/content/application~1json/schema";
const REQUEST = "#/paths/~1v1~1keys.createKey/post/requestBody/content/application~1json/schema";

describe("diffDocuments", () => {
  it("returns [] for identical documents", () => {
    const schemas = { Node: object({ value: { type: "string" }, children: { type: "array", items: { $ref: "#/components/schemas/Node" } } }) };
    expect(diff(responding({ $ref: "#/components/schemas/Node" }, schemas), responding({ $ref: "#/components/schemas/Node" }, schemas))).toEqual([]);
    expect(diff(released(), released())).toEqual([]);
  });

  it("leaves both documents as they were", () => {
    const [before, after] = [released(), head()];
    const [beforeCopy, afterCopy] = [structuredClone(before), structuredClone(after)];
    expect(diff(before, after).length).toBeGreaterThan(0);
    expect(before).toEqual(beforeCopy);
    expect(after).toEqual(afterCopy);
  });

  it("throws a TypeError for something that is not a document", () => {
    expect(() => diffDocuments([], {})).toThrow(new TypeError("diffDocuments: `before` must be an OpenAPI document (a JSON object)."));
  });
});

describe("endpoints", () => {
  const both = doc({ [GET_KEY]: { get: { responses: {} } }, [CREATE_KEY]: { post: { responses: {} } } });
  const one = doc({ [GET_KEY]: { get: { responses: {} } } });

  it("removed > breaking, pointing into before", () => {
    expect(diff(both, one)).toEqual([
      {
        rule: "endpoint-removed",
        breaking: true,
        operation: "POST /v1/keys.createKey",
        pointer: "#/paths/~1v1~1keys.createKey/post",
        message: "The endpoint POST /v1/keys.createKey was removed.",
      },
    ]);
  });

  it("added > not breaking, pointing into after", () => {
    expect(diff(one, both)).toEqual([
      {
        rule: "endpoint-added",
        breaking: false,
        operation: "POST /v1/keys.createKey",
        pointer: "#/paths/~1v1~1keys.createKey/post",
        message: "The endpoint POST /v1/keys.createKey was added.",
      },
    ]);
  });

  it("newly deprecated > reported, not breaking; and back", () => {
    const deprecated = doc({ [GET_KEY]: { get: { deprecated: true, responses: {} } } });
    expect(diff(one, deprecated)).toEqual([
      {
        rule: "endpoint-deprecated",
        breaking: false,
        operation: "GET /v1/keys.getKey",
        pointer: "#/paths/~1v1~1keys.getKey/get",
        message: "GET /v1/keys.getKey is now deprecated.",
      },
    ]);
    expect(rules(diff(deprecated, one))).toEqual([["endpoint-reactivated", false]]);
  });

  it("path templates differing only in parameter names > the same operation, parameters matched by position", () => {
    const param = (name: string, schema: Doc) => ({ name, in: "path", required: true, schema });
    const before = doc({ "/v1/keys/{id}": { get: { parameters: [param("id", { type: "string" })], responses: {} } } });
    const same = doc({ "/v1/keys/{keyId}": { get: { parameters: [param("keyId", { type: "string" })], responses: {} } } });
    const narrowed = doc({ "/v1/keys/{keyId}": { get: { parameters: [param("keyId", { type: "string", format: "uuid" })], responses: {} } } });
    expect(diff(before, same)).toEqual([]);
    expect(diff(before, narrowed)).toEqual([
      {
        rule: "request-parameter-format-narrowed",
        breaking: true,
        operation: "GET /v1/keys/{keyId}",
        pointer: "#/paths/~1v1~1keys~1%7BkeyId%7D/get/parameters/0/schema",
        message: "Path parameter `keyId` of GET /v1/keys/{keyId} changed format from none to `uuid`.",
      },
    ]);
  });
});

describe("parameters", () => {
  const withParams = (parameters: Doc[], pathLevel: Doc[] = [], components: Doc = {}) =>
    doc({ [GET_KEY]: { parameters: pathLevel, get: { parameters, responses: {} } } }, components);
  const query = (name: string, extra: Doc = {}) => ({ name, in: "query", schema: { type: "string" }, ...extra });

  it("a new required one > breaking; a new optional one > not", () => {
    expect(diff(withParams([]), withParams([query("ownerId", { required: true })]))).toEqual([
      {
        rule: "request-parameter-required-added",
        breaking: true,
        operation: "GET /v1/keys.getKey",
        pointer: "#/paths/~1v1~1keys.getKey/get/parameters/0",
        message: "GET /v1/keys.getKey has a new required query parameter `ownerId`.",
      },
    ]);
    expect(diff(withParams([]), withParams([query("limit")]))).toEqual([
      {
        rule: "request-parameter-added",
        breaking: false,
        operation: "GET /v1/keys.getKey",
        pointer: "#/paths/~1v1~1keys.getKey/get/parameters/0",
        message: "GET /v1/keys.getKey has a new optional query parameter `limit`.",
      },
    ]);
  });

  it("optional becoming required > breaking; the reverse > not", () => {
    expect(diff(withParams([query("limit")]), withParams([query("limit", { required: true })]))).toEqual([
      {
        rule: "request-parameter-became-required",
        breaking: true,
        operation: "GET /v1/keys.getKey",
        pointer: "#/paths/~1v1~1keys.getKey/get/parameters/0",
        message: "Query parameter `limit` of GET /v1/keys.getKey became required.",
      },
    ]);
    expect(rules(diff(withParams([query("limit", { required: true })]), withParams([query("limit")])))).toEqual([["request-parameter-became-optional", false]]);
  });

  it("removed from the query or the headers > reported, not breaking (the server ignores it), pointing into before", () => {
    const before = withParams([query("limit"), { name: "X-Trace", in: "header", schema: { type: "string" } }]);
    expect(diff(before, withParams([]))).toEqual([
      {
        rule: "request-parameter-removed",
        breaking: false,
        operation: "GET /v1/keys.getKey",
        pointer: "#/paths/~1v1~1keys.getKey/get/parameters/0",
        message: "Query parameter `limit` of GET /v1/keys.getKey was removed.",
      },
      {
        rule: "request-parameter-removed",
        breaking: false,
        operation: "GET /v1/keys.getKey",
        pointer: "#/paths/~1v1~1keys.getKey/get/parameters/1",
        message: "Header parameter `X-Trace` of GET /v1/keys.getKey was removed.",
      },
    ]);
  });

  it("path item and operation parameters merge, the operation's winning; header names ignore case", () => {
    const before = withParams([], [query("limit"), { name: "X-Trace", in: "header" }]);
    const after = withParams([query("limit", { required: true })], [query("limit"), { name: "x-trace", in: "header" }]);
    expect(diff(before, after)).toEqual([
      {
        rule: "request-parameter-became-required",
        breaking: true,
        operation: "GET /v1/keys.getKey",
        pointer: "#/paths/~1v1~1keys.getKey/get/parameters/0",
        message: "Query parameter `limit` of GET /v1/keys.getKey became required.",
      },
    ]);
  });

  it("a narrowed schema > breaking, a widened one > not, $ref'd parameters pointing into components", () => {
    const limit = (schema: Doc) =>
      withParams([{ $ref: "#/components/parameters/Limit" }], [], { parameters: { Limit: { name: "limit", in: "query", schema } } });
    expect(diff(limit({ type: ["integer", "null"] }), limit({ type: "integer" }))).toEqual([
      {
        rule: "request-parameter-type-narrowed",
        breaking: true,
        operation: "GET /v1/keys.getKey",
        pointer: "#/components/parameters/Limit/schema",
        message: "Query parameter `limit` of GET /v1/keys.getKey changed type from `integer | null` to `integer`.",
      },
    ]);
    expect(rules(diff(limit({ type: "integer" }), limit({ type: "number" })))).toEqual([["request-parameter-type-widened", false]]);
    expect(rules(diff(limit({ enum: ["asc", "desc"] }), limit({ enum: ["asc"] })))).toEqual([["request-parameter-enum-value-removed", true]]);
    expect(rules(diff(limit({ type: "integer", maximum: 100 }), limit({ type: "integer", maximum: 50 })))).toEqual([
      ["request-parameter-constraint-narrowed", true],
    ]);
  });
});

describe("request bodies", () => {
  const body = (required: boolean | undefined, content: Doc = json(object({ name: { type: "string" } }))) =>
    doc({ [CREATE_KEY]: { post: { ...(required === undefined ? {} : { requestBody: { required, content } }), responses: {} } } });
  const op = "POST /v1/keys.createKey";

  it("becoming required > breaking; becoming optional > not", () => {
    expect(diff(body(false), body(true))).toEqual([
      {
        rule: "request-body-became-required",
        breaking: true,
        operation: op,
        pointer: "#/paths/~1v1~1keys.createKey/post/requestBody",
        message: `The request body of ${op} became required.`,
      },
    ]);
    expect(rules(diff(body(true), body(false)))).toEqual([["request-body-became-optional", false]]);
  });

  it("a required body added > breaking; an optional one > not; a body removed > breaking", () => {
    expect(rules(diff(body(undefined), body(true)))).toEqual([["request-body-required-added", true]]);
    expect(rules(diff(body(undefined), body(false)))).toEqual([["request-body-added", false]]);
    expect(diff(body(true), body(undefined))).toEqual([
      {
        rule: "request-body-removed",
        breaking: true,
        operation: op,
        pointer: "#/paths/~1v1~1keys.createKey/post/requestBody",
        message: `${op} no longer takes a request body.`,
      },
    ]);
  });

  it("a media type removed > breaking; one added > not", () => {
    const form = { "application/x-www-form-urlencoded": { schema: object({ name: { type: "string" } }) } };
    const both = body(true, { ...json(object({ name: { type: "string" } })), ...form });
    expect(diff(both, body(true))).toEqual([
      {
        rule: "request-media-type-removed",
        breaking: true,
        operation: op,
        pointer: "#/paths/~1v1~1keys.createKey/post/requestBody/content/application~1x-www-form-urlencoded",
        message: `The request body of ${op} no longer has the media type \`application/x-www-form-urlencoded\`.`,
      },
    ]);
    expect(rules(diff(body(true), both))).toEqual([["request-media-type-added", false]]);
  });

  it("a new required property > breaking; a new optional one > not", () => {
    const before = accepting(object({ name: { type: "string" } }, ["name"]));
    expect(diff(before, accepting(object({ name: { type: "string" }, ownerId: { type: "string" } }, ["name", "ownerId"])))).toEqual([
      {
        rule: "request-property-required-added",
        breaking: true,
        operation: op,
        pointer: `${REQUEST}/properties/ownerId`,
        message: `The request body of ${op} has a new required property \`ownerId\`.`,
      },
    ]);
    expect(diff(before, accepting(object({ name: { type: "string" }, ownerId: { type: "string" } }, ["name"])))).toEqual([
      {
        rule: "request-property-added",
        breaking: false,
        operation: op,
        pointer: `${REQUEST}/properties/ownerId`,
        message: `The request body of ${op} has a new optional property \`ownerId\`.`,
      },
    ]);
  });

  it("a property removed > not breaking, unless after allows no additional properties", () => {
    const before = accepting(object({ name: { type: "string" }, ownerId: { type: "string" } }));
    expect(diff(before, accepting(object({ name: { type: "string" } })))).toEqual([
      {
        rule: "request-property-removed",
        breaking: false,
        operation: op,
        pointer: `${REQUEST}/properties/ownerId`,
        message: `The request body of ${op} no longer has \`ownerId\`.`,
      },
    ]);
    expect(diff(before, accepting(object({ name: { type: "string" } }, [], { additionalProperties: false })))).toEqual([
      {
        rule: "request-property-removed",
        breaking: true,
        operation: op,
        pointer: `${REQUEST}/properties/ownerId`,
        message: `The request body of ${op} no longer has \`ownerId\`, and it allows no additional properties.`,
      },
      {
        rule: "request-additional-properties-narrowed",
        breaking: true,
        operation: op,
        pointer: REQUEST,
        message: `The request body of ${op} no longer allows additional properties.`,
      },
    ]);
  });

  it("an optional property becoming required > breaking; the reverse > not", () => {
    const [optional, required] = [accepting(object({ name: { type: "string" } })), accepting(object({ name: { type: "string" } }, ["name"]))];
    expect(diff(optional, required)).toEqual([
      {
        rule: "request-property-became-required",
        breaking: true,
        operation: op,
        pointer: `${REQUEST}/properties/name`,
        message: `\`name\` in the request body of ${op} became required.`,
      },
    ]);
    expect(rules(diff(required, optional))).toEqual([["request-property-became-optional", false]]);
  });

  it("a type narrowed > breaking; widened > not", () => {
    const named = (schema: Doc) => accepting(object({ name: schema }));
    expect(diff(named({ type: ["string", "null"] }), named({ type: "string" }))).toEqual([
      {
        rule: "request-type-narrowed",
        breaking: true,
        operation: op,
        pointer: `${REQUEST}/properties/name`,
        message: `\`name\` in the request body of ${op} changed type from \`string | null\` to \`string\`.`,
      },
    ]);
    expect(rules(diff(named({ type: "integer" }), named({ type: "number" })))).toEqual([["request-type-widened", false]]);
    expect(rules(diff(named({ type: "string" }), named({ type: "integer" })))).toEqual([["request-type-changed", true]]);
  });

  it("an enum value removed > breaking; added > not; a const appearing narrows", () => {
    const status = (schema: Doc) => accepting(object({ status: schema }));
    expect(diff(status({ enum: ["enabled", "disabled"] }), status({ enum: ["enabled"] }))).toEqual([
      {
        rule: "request-enum-value-removed",
        breaking: true,
        operation: op,
        pointer: `${REQUEST}/properties/status`,
        message: `\`status\` in the request body of ${op} can no longer be \`"disabled"\`.`,
      },
    ]);
    expect(rules(diff(status({ enum: ["enabled"] }), status({ enum: ["enabled", "disabled"] })))).toEqual([["request-enum-value-added", false]]);
    expect(diff(status({ type: "string" }), status({ type: "string", const: "enabled" }))).toEqual([
      {
        rule: "request-enum-restriction-added",
        breaking: true,
        operation: op,
        pointer: `${REQUEST}/properties/status`,
        message: `\`status\` in the request body of ${op} is now limited to \`"enabled"\`.`,
      },
    ]);
  });

  it("a format narrowed > breaking; removed or widened > not", () => {
    const id = (schema: Doc) => accepting(object({ id: schema }));
    expect(rules(diff(id({ type: "string" }), id({ type: "string", format: "uuid" })))).toEqual([["request-format-narrowed", true]]);
    expect(rules(diff(id({ type: "string", format: "uuid" }), id({ type: "string" })))).toEqual([["request-format-widened", false]]);
    expect(rules(diff(id({ type: "integer", format: "int32" }), id({ type: "integer", format: "int64" })))).toEqual([["request-format-widened", false]]);
    expect(rules(diff(id({ type: "string", format: "uuid" }), id({ type: "string", format: "email" })))).toEqual([["request-format-changed", true]]);
  });

  it("a bound tightened > breaking; loosened > not", () => {
    const name = (schema: Doc) => accepting(object({ name: schema }));
    expect(diff(name({ type: "string", maxLength: 64 }), name({ type: "string", maxLength: 32 }))).toEqual([
      {
        rule: "request-constraint-narrowed",
        breaking: true,
        operation: op,
        pointer: `${REQUEST}/properties/name`,
        message: `\`name\` in the request body of ${op} changed \`maxLength\` from \`64\` to \`32\`.`,
      },
    ]);
    expect(rules(diff(name({ type: "string", minLength: 3 }), name({ type: "string" })))).toEqual([["request-constraint-widened", false]]);
    expect(rules(diff(name({ type: "string" }), name({ type: "string", pattern: "^[a-z]+$" })))).toEqual([["request-constraint-narrowed", true]]);
  });

  it("compares additionalProperties schemas as the values of any key", () => {
    const meta = (values: Doc) => accepting(object({ meta: { type: "object", additionalProperties: values } }));
    expect(diff(meta({ type: "string" }), meta({ type: "string", maxLength: 10 }))).toEqual([
      {
        rule: "request-constraint-narrowed",
        breaking: true,
        operation: op,
        pointer: `${REQUEST}/properties/meta/additionalProperties`,
        message: `\`meta.*\` in the request body of ${op} changed \`maxLength\` from none to \`10\`.`,
      },
    ]);
  });

  it("readOnly properties are not part of a request", () => {
    const before = accepting(object({ name: { type: "string" } }));
    expect(diff(before, accepting(object({ name: { type: "string" }, id: { type: "string", readOnly: true } }, ["id"])))).toEqual([]);
  });
});

describe("responses", () => {
  const op = "GET /v1/keys.getKey";
  const key = (properties: Doc, required: string[] = Object.keys(properties)) => responding(object(properties, required));

  it("a property removed > breaking, pointing into before", () => {
    expect(diff(key({ id: { type: "string" }, ownerId: { type: "string" } }, ["id"]), key({ id: { type: "string" } }))).toEqual([
      {
        rule: "response-property-removed",
        breaking: true,
        operation: op,
        pointer: `${RESPONSE}/properties/ownerId`,
        message: "Response 200 of GET /v1/keys.getKey no longer has `ownerId`.",
      },
    ]);
  });

  it("a new property > not breaking", () => {
    expect(diff(key({ id: { type: "string" } }), key({ id: { type: "string" }, ownerId: { type: "string" } }))).toEqual([
      {
        rule: "response-property-added",
        breaking: false,
        operation: op,
        pointer: `${RESPONSE}/properties/ownerId`,
        message: `Response 200 of ${op} has a new property \`ownerId\`.`,
      },
    ]);
  });

  it("a property becoming optional > breaking; becoming required > not", () => {
    expect(diff(key({ ownerId: { type: "string" } }), key({ ownerId: { type: "string" } }, []))).toEqual([
      {
        rule: "response-property-became-optional",
        breaking: true,
        operation: op,
        pointer: `${RESPONSE}/properties/ownerId`,
        message: `\`ownerId\` in response 200 of ${op} became optional.`,
      },
    ]);
    expect(rules(diff(key({ ownerId: { type: "string" } }, []), key({ ownerId: { type: "string" } })))).toEqual([["response-property-became-required", false]]);
  });

  it('"string" -> ["string", "null"] > breaking; the reverse > not', () => {
    const [strict, nullable] = [key({ ownerId: { type: "string" } }), key({ ownerId: { type: ["string", "null"] } })];
    expect(diff(strict, nullable)).toEqual([
      {
        rule: "response-type-widened",
        breaking: true,
        operation: op,
        pointer: `${RESPONSE}/properties/ownerId`,
        message: `\`ownerId\` in response 200 of ${op} changed type from \`string\` to \`string | null\`.`,
      },
    ]);
    expect(rules(diff(nullable, strict))).toEqual([["response-type-narrowed", false]]);
    expect(rules(diff(strict, key({ ownerId: { type: "integer" } })))).toEqual([["response-type-changed", true]]);
  });

  it("an enum value added > not breaking (Keygen: handle unfamiliar values); removed > not; renamed > breaking", () => {
    const status = (values: string[]) => key({ status: { type: "string", enum: values } });
    expect(diff(status(["enabled"]), status(["enabled", "expired"]))).toEqual([
      {
        rule: "response-enum-value-added",
        breaking: false,
        operation: op,
        pointer: `${RESPONSE}/properties/status`,
        message: `\`status\` in response 200 of ${op} can now be \`"expired"\`.`,
      },
    ]);
    expect(rules(diff(status(["enabled", "expired"]), status(["enabled"])))).toEqual([["response-enum-value-removed", false]]);
    expect(diff(status(["enabled", "disabled"]), status(["active", "disabled"]))).toEqual([
      {
        rule: "response-enum-value-removed",
        breaking: false,
        operation: op,
        pointer: `${RESPONSE}/properties/status`,
        message: `\`status\` in response 200 of ${op} can no longer be \`"enabled"\`.`,
      },
      {
        rule: "response-enum-value-replaced",
        breaking: true,
        operation: op,
        pointer: `${RESPONSE}/properties/status`,
        message: `\`status\` in response 200 of ${op} can now be \`"active"\` instead of the values it lost.`,
      },
    ]);
    const kind = (value: string) => key({ object: { const: value } });
    expect(rules(diff(kind("key"), kind("apiKey")))).toEqual([
      ["response-enum-value-removed", false],
      ["response-enum-value-replaced", true],
    ]);
  });

  it("a longer string > not breaking (Keygen: lengths of opaque strings change); a larger number > breaking", () => {
    expect(rules(diff(key({ id: { type: "string", maxLength: 32 } }), key({ id: { type: "string", maxLength: 255 } })))).toEqual([
      ["response-constraint-widened", false],
    ]);
    expect(rules(diff(key({ uses: { type: "integer", maximum: 10 } }), key({ uses: { type: "integer", maximum: 100 } })))).toEqual([
      ["response-constraint-widened", true],
    ]);
  });

  it("additional properties allowed > not breaking (they are new properties)", () => {
    const closed = responding(object({ id: { type: "string" } }, [], { additionalProperties: false }));
    expect(rules(diff(closed, responding(object({ id: { type: "string" } }))))).toEqual([["response-additional-properties-widened", false]]);
  });

  it("a format removed > breaking (clients parse it); OpenAPI 3.0's nullable counts as a null type", () => {
    expect(rules(diff(key({ id: { type: "string", format: "uuid" } }), key({ id: { type: "string" } })))).toEqual([["response-format-widened", true]]);
    expect(rules(diff(key({ id: { type: "string", format: "uuid" } }), key({ id: { type: "string", format: "uuid", nullable: true } })))).toEqual([
      ["response-type-widened", true],
    ]);
  });

  it("media type parameters do not make another media type", () => {
    const charset = responding(object({ id: { type: "string" } }));
    const content = { "application/json; charset=utf-8": { schema: object({ id: { type: "string" } }) } };
    expect(diff(charset, doc({ [GET_KEY]: { get: { responses: { "200": { description: "OK", content } } } } }))).toEqual([]);
  });

  it("writeOnly properties are not part of a response", () => {
    expect(diff(key({ id: { type: "string" }, secret: { type: "string", writeOnly: true } }), key({ id: { type: "string" } }))).toEqual([]);
  });

  const statuses = (responses: Doc) => doc({ [GET_KEY]: { get: { responses } } });
  const ok = { description: "OK", content: json({ type: "object" }) };

  it("a success status removed > breaking; an error status removed or any status added > not", () => {
    expect(diff(statuses({ "200": ok, "404": { description: "Not found" } }), statuses({ "404": { description: "Not found" } }))).toEqual([
      {
        rule: "response-success-status-removed",
        breaking: true,
        operation: op,
        pointer: "#/paths/~1v1~1keys.getKey/get/responses/200",
        message: `${op} no longer responds with 200.`,
      },
    ]);
    expect(rules(diff(statuses({ "200": ok, "404": { description: "Not found" } }), statuses({ "200": ok })))).toEqual([["response-status-removed", false]]);
    expect(diff(statuses({ "200": ok }), statuses({ "200": ok, "429": { description: "Slow down" } }))).toEqual([
      {
        rule: "response-status-added",
        breaking: false,
        operation: op,
        pointer: "#/paths/~1v1~1keys.getKey/get/responses/429",
        message: `${op} may now respond with 429.`,
      },
    ]);
  });

  it("a media type removed > breaking; one added > not", () => {
    const csv = { "text/csv": { schema: { type: "string" } } };
    const both = statuses({ "200": { description: "OK", content: { ...json({ type: "object" }), ...csv } } });
    expect(diff(both, statuses({ "200": ok }))).toEqual([
      {
        rule: "response-media-type-removed",
        breaking: true,
        operation: op,
        pointer: "#/paths/~1v1~1keys.getKey/get/responses/200/content/text~1csv",
        message: `Response 200 of ${op} no longer has the media type \`text/csv\`.`,
      },
    ]);
    expect(rules(diff(statuses({ "200": ok }), both))).toEqual([["response-media-type-added", false]]);
  });
});

describe("schemas", () => {
  const op = "GET /v1/keys.getKey";
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

  it("follows $refs and refs to refs, pointing into components and naming the operation", () => {
    const schemas = (owner: Doc) => ({ Key: ref("KeyV2"), KeyV2: object({ owner: ref("Owner") }), Owner: object(owner) });
    const before = responding(ref("Key"), schemas({ id: { type: "string" }, email: { type: "string" } }));
    expect(diff(before, responding(ref("Key"), schemas({ id: { type: "string" } })))).toEqual([
      {
        rule: "response-property-removed",
        breaking: true,
        operation: op,
        pointer: "#/components/schemas/Owner/properties/email",
        message: `Response 200 of ${op} no longer has \`owner.email\`.`,
      },
    ]);
  });

  it("reports a shared component once per operation that reaches it", () => {
    const twice = (key: Doc) =>
      doc(
        {
          "/v1/keys/{id}": { get: { responses: { "200": { description: "OK", content: json(ref("Key")) } } } },
          "/v1/keys": { post: { responses: { "201": { description: "OK", content: json(ref("Key")) } } } },
        },
        { schemas: { Key: key } },
      );
    const found = diff(twice(object({ id: { type: "string" }, name: { type: "string" } })), twice(object({ id: { type: "string" } })));
    expect(found.map((d) => [d.rule, d.operation, d.pointer])).toEqual([
      ["response-property-removed", "GET /v1/keys/{id}", "#/components/schemas/Key/properties/name"],
      ["response-property-removed", "POST /v1/keys", "#/components/schemas/Key/properties/name"],
    ]);
  });

  it("merges allOf: a property moving between members is no change; one leaving is, pointing at its member", () => {
    const base = { Resource: object({ id: { type: "string" } }, ["id"]) };
    const split = responding({ allOf: [ref("Resource"), object({ ownerId: { type: "string" } }, ["ownerId"])] }, base);
    const moved = responding({ allOf: [ref("Resource"), { required: ["ownerId"] }, object({ ownerId: { type: "string" } })] }, base);
    expect(diff(split, moved)).toEqual([]);
    expect(diff(split, responding({ allOf: [ref("Resource"), object({})] }, base))).toEqual([
      {
        rule: "response-property-removed",
        breaking: true,
        operation: op,
        pointer: `${RESPONSE}/allOf/1/properties/ownerId`,
        message: `Response 200 of ${op} no longer has \`ownerId\`.`,
      },
    ]);
  });

  it("walks nested arrays of objects", () => {
    const page = (tag: Doc) => responding(object({ data: { type: "array", items: object({ tags: { type: "array", items: object(tag, ["name"]) } }) } }));
    expect(diff(page({ name: { type: "string" } }), page({ name: { type: "string" }, color: { type: "string" } }))).toEqual([
      {
        rule: "response-property-added",
        breaking: false,
        operation: op,
        pointer: `${RESPONSE}/properties/data/items/properties/tags/items/properties/color`,
        message: `Response 200 of ${op} has a new property \`data[].tags[].color\`.`,
      },
    ]);
    expect(rules(diff(page({ name: { type: "string" } }), page({ name: { type: "integer" } })))).toEqual([["response-type-changed", true]]);
  });

  it("ends on recursive schemas, reporting a change once", () => {
    const tree = (value: Doc) => responding(ref("Node"), { Node: object({ value, children: { type: "array", items: ref("Node") } }) });
    expect(diff(tree({ type: "string" }), tree({ type: ["string", "null"] }))).toEqual([
      {
        rule: "response-type-widened",
        breaking: true,
        operation: op,
        pointer: "#/components/schemas/Node/properties/value",
        message: `\`value\` in response 200 of ${op} changed type from \`string\` to \`string | null\`.`,
      },
    ]);
  });

  it("walks each pair of components once, however many paths lead to it", () => {
    // 40 levels, each reaching the next twice: 2^40 paths, 40 schemas.
    const levels = (leaf: Doc): Doc => {
      const schemas: Doc = { L40: object({ leaf }) };
      for (let i = 0; i < 40; i++) schemas[`L${i}`] = object({ left: ref(`L${i + 1}`), right: ref(`L${i + 1}`) });
      return schemas;
    };
    const found = diff(responding(ref("L0"), levels({ type: "string" })), responding(ref("L0"), levels({ type: "integer" })));
    expect(found.map((d) => [d.rule, d.pointer])).toEqual([["response-type-changed", "#/components/schemas/L40/properties/leaf"]]);
  });

  describe("oneOf / anyOf as sets of alternatives", () => {
    const pets = { Dog: object({ bark: { type: "boolean" } }), Cat: object({ meow: { type: "boolean" } }), Bird: object({ tweet: { type: "boolean" } }) };

    it("an alternative added > breaking in a response, not in a request; removed > the reverse", () => {
      const [two, three] = [{ oneOf: [ref("Dog"), ref("Cat")] }, { oneOf: [ref("Dog"), ref("Cat"), ref("Bird")] }];
      expect(diff(responding(two, pets), responding(three, pets))).toEqual([
        {
          rule: "response-alternative-added",
          breaking: true,
          operation: op,
          pointer: `${RESPONSE}/oneOf/2`,
          message: `Response 200 of ${op} can now also be \`Bird\`.`,
        },
      ]);
      expect(rules(diff(accepting(two, pets), accepting(three, pets)))).toEqual([["request-alternative-added", false]]);
      expect(rules(diff(accepting(three, pets), accepting(two, pets)))).toEqual([["request-alternative-removed", true]]);
      expect(rules(diff(responding(three, pets), responding(two, pets)))).toEqual([["response-alternative-removed", false]]);
    });

    it("wrapping a schema into oneOf compares it with its own alternative", () => {
      const changed = { ...pets, Dog: object({ bark: { type: "boolean" }, name: { type: "string" } }) };
      expect(rules(diff(responding(ref("Dog"), pets), responding({ oneOf: [ref("Dog"), ref("Cat")] }, changed)))).toEqual([
        ["response-property-added", false],
        ["response-alternative-added", true],
      ]);
    });

    it("pairs an edited inline alternative with its old self by type", () => {
      const id = (second: Doc) => accepting(object({ id: { anyOf: [{ type: "string" }, second] } }));
      expect(diff(id({ type: "integer" }), id({ type: "integer", minimum: 1 }))).toEqual([
        {
          rule: "request-constraint-narrowed",
          breaking: true,
          operation: "POST /v1/keys.createKey",
          pointer: `${REQUEST}/properties/id/anyOf/1`,
          message: "`id` in the request body of POST /v1/keys.createKey changed `minimum` from none to `1`.",
        },
      ]);
    });

    it("oneOf appearing next to a schema's own keywords > schema-changed, breaking only when clearly incompatible", () => {
      const plain = accepting(object({ id: { type: "string" } }));
      const split = accepting({ ...object({ id: { type: "string" } }), oneOf: [{ required: ["id"] }, { required: ["name"] }] });
      expect(diff(plain, split)).toEqual([
        {
          rule: "request-schema-changed",
          breaking: false,
          operation: "POST /v1/keys.createKey",
          pointer: REQUEST,
          message: "The request body of POST /v1/keys.createKey gained `oneOf` next to its own keywords; this diff does not analyse that.",
        },
      ]);
      const before = accepting({ type: "string" });
      const after = accepting({ properties: { id: { type: "string" } }, anyOf: [{ type: "object" }, { type: "array" }] });
      expect(diff(before, after).find((d) => d.rule === "request-schema-changed")?.breaking).toBe(true);
    });
  });

  it("escapes pointers per RFC 6901 (~0, ~1, then percent-encoding for the URI fragment)", () => {
    const before = doc({ "/v1/keys/{id}": { get: { responses: { "200": { description: "OK", content: json(object({ "a/b~c": { type: "string" } })) } } } } });
    const after = doc({ "/v1/keys/{id}": { get: { responses: { "200": { description: "OK", content: json(object({})) } } } } });
    expect(diff(before, after).map((d) => d.pointer)).toEqual([
      "#/paths/~1v1~1keys~1%7Bid%7D/get/responses/200/content/application~1json/schema/properties/a~1b~0c",
    ]);
  });
});

describe("two realistic documents, end to end", () => {
  it("are valid OpenAPI 3.1", () => {
    expect(openApiErrors(released())).toEqual([]);
    expect(openApiErrors(head())).toEqual([]);
  });

  it("differ by exactly the changes made, each classified", () => {
    const [one, list, create] = ["GET /v1/keys/{id}", "GET /v1/keys", "POST /v1/keys"];
    const [onePath, listPath, key, createKey] = [
      "#/paths/~1v1~1keys~1%7Bid%7D/get",
      "#/paths/~1v1~1keys/get",
      "#/components/schemas/Key/allOf/1",
      "#/components/schemas/CreateKey",
    ];
    const found = diff(released(), head());
    expect(found.map((d) => [d.rule, d.breaking, d.operation, d.pointer])).toEqual([
      ["endpoint-deprecated", false, one, onePath],
      ["request-parameter-enum-value-added", false, one, `${onePath}/parameters/0/schema/items`],
      ["request-parameter-added", false, one, `${onePath}/parameters/1`],
      ["response-property-removed", true, one, `${key}/properties/ownerId`],
      ["response-property-added", false, one, `${key}/properties/externalId`],
      ["response-status-removed", false, one, "#/paths/~1v1~1keys~1%7BkeyId%7D/get/responses/404"],
      ["endpoint-removed", true, "DELETE /v1/keys/{keyId}", "#/paths/~1v1~1keys~1%7BkeyId%7D/delete"],
      ["request-parameter-constraint-narrowed", true, list, `${listPath}/parameters/0/schema`],
      ["response-property-removed", true, list, `${key}/properties/ownerId`],
      ["response-property-added", false, list, `${key}/properties/externalId`],
      ["response-property-added", false, list, `${listPath}/responses/200/content/application~1json/schema/properties/nextCursor`],
      ["request-constraint-widened", false, create, `${createKey}/properties/name`],
      ["request-property-removed", false, create, `${createKey}/properties/ownerId`],
      ["request-type-widened", false, create, `${createKey}/properties/expires`],
      ["request-property-required-added", true, create, `${createKey}/properties/externalId`],
      ["response-property-removed", true, create, `${key}/properties/ownerId`],
      ["response-property-added", false, create, `${key}/properties/externalId`],
      ["endpoint-added", false, "POST /v1/keys/{id}/verify", "#/paths/~1v1~1keys~1%7Bid%7D~1verify/post"],
    ]);
    expect(found.filter((d) => d.breaking).map((d) => d.message)).toEqual([
      "Response 200 of GET /v1/keys/{id} no longer has `ownerId`.",
      "The endpoint DELETE /v1/keys/{keyId} was removed.",
      "Query parameter `limit` of GET /v1/keys changed `maximum` from `100` to `50`.",
      "Response 200 of GET /v1/keys no longer has `data[].ownerId`.",
      "The request body of POST /v1/keys has a new required property `externalId`.",
      "Response 201 of POST /v1/keys no longer has `ownerId`.",
    ]);
  });
});

/** The released document: keys read, listed, created and deleted. */
function released(): Doc {
  return {
    openapi: "3.1.0",
    info: { title: "Keys", version: "2024-06-01" },
    paths: {
      "/v1/keys/{keyId}": {
        parameters: [{ $ref: "#/components/parameters/KeyId" }],
        get: {
          operationId: "getKey",
          parameters: [{ name: "expand", in: "query", schema: { type: "array", items: { type: "string", enum: ["owner"] } } }],
          responses: {
            "200": { description: "The key", content: json({ $ref: "#/components/schemas/Key" }) },
            "404": { $ref: "#/components/responses/NotFound" },
          },
        },
        delete: { operationId: "deleteKey", responses: { "204": { description: "Deleted" } } },
      },
      "/v1/keys": {
        get: {
          operationId: "listKeys",
          parameters: [{ name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } }],
          responses: {
            "200": {
              description: "A page of keys",
              content: json(
                object({ data: { type: "array", items: { $ref: "#/components/schemas/Key" } }, hasMore: { type: "boolean" } }, ["data", "hasMore"]),
              ),
            },
          },
        },
        post: {
          operationId: "createKey",
          requestBody: { required: true, content: json({ $ref: "#/components/schemas/CreateKey" }) },
          responses: { "201": { description: "Created", content: json({ $ref: "#/components/schemas/Key" }) } },
        },
      },
    },
    components: {
      parameters: { KeyId: { name: "keyId", in: "path", required: true, schema: { type: "string" } } },
      responses: { NotFound: { description: "No such key", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } } },
      schemas: {
        Resource: object({ id: { type: "string", readOnly: true }, createdAt: { type: "string", format: "date-time" } }, ["id", "createdAt"]),
        Key: {
          allOf: [
            { $ref: "#/components/schemas/Resource" },
            object(
              {
                ownerId: { type: "string" },
                status: { type: "string", enum: ["enabled", "disabled"] },
                meta: { type: "object", additionalProperties: { type: "string" } },
                permissions: { type: "array", items: { $ref: "#/components/schemas/Permission" } },
              },
              ["ownerId", "status"],
            ),
          ],
        },
        Permission: object({ action: { type: "string" }, resource: { type: "string" } }, ["action", "resource"]),
        CreateKey: object({ name: { type: "string", maxLength: 64 }, ownerId: { type: "string" }, expires: { type: "integer" } }, ["name"]),
        Problem: object({ type: { type: "string" }, title: { type: "string" }, status: { type: "integer" } }),
      },
    },
  };
}

/** The head document: the same API a year on. */
function head(): Doc {
  const next = released() as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, Doc> } };
  // The DELETE operation goes; the rest of the path item stays, under a renamed path parameter.
  const { ["/v1/keys/{keyId}"]: one, ...rest } = next.paths;
  const { delete: _deleted, ...kept } = one;
  next.paths = {
    "/v1/keys/{id}": {
      ...kept,
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      get: {
        operationId: "getKey",
        deprecated: true,
        parameters: [
          { name: "expand", in: "query", schema: { type: "array", items: { type: "string", enum: ["owner", "permissions"] } } },
          { name: "If-None-Match", in: "header", schema: { type: "string" } },
        ],
        responses: { "200": { description: "The key", content: json({ $ref: "#/components/schemas/Key" }) } },
      },
    },
    ...rest,
    "/v1/keys/{id}/verify": {
      post: { operationId: "verifyKey", responses: { "200": { description: "Valid", content: json(object({ valid: { type: "boolean" } })) } } },
    },
  };
  const list = next.paths["/v1/keys"].get as { parameters: Doc[]; responses: Record<string, { content: Record<string, { schema: Doc }> }> };
  list.parameters = [{ name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 50 } }];
  const page = list.responses["200"].content["application/json"].schema as { properties: Doc };
  page.properties.nextCursor = { type: ["string", "null"] };
  const schemas = next.components.schemas;
  schemas.CreateKey = object({ name: { type: "string", maxLength: 128 }, externalId: { type: "string" }, expires: { type: ["integer", "null"] } }, [
    "name",
    "externalId",
  ]);
  const key = (schemas.Key as { allOf: [Doc, { properties: Doc; required: string[] }] }).allOf[1];
  const { ownerId: _ownerId, ...properties } = key.properties;
  key.properties = { ...properties, externalId: { type: "string" } };
  key.required = ["externalId", "status"];
  return next;
}
