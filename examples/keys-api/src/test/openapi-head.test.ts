/**
 * `openapi/head.json` is the contract of the v2 API at its newest version: a valid OpenAPI 3.1
 * document whose examples fit its schemas, and whose schemas every real answer fits. The real
 * answers come from `recorded.ts`, a sequence that calls every operation (successes and the
 * common errors) on a seeded server.
 *
 * Schemas are checked closed: objects that list their properties take no others
 * (`unevaluatedProperties: false` is added to each), so a field the server sends and the
 * document does not describe fails here. The document itself stays open, as clients expect.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { V2_LAUNCH } from "../versions";
import { testApp, testServer } from "./harness";
import { recordV2Calls, seedForRecording, V2_OPERATIONS, type RecordedCall } from "./recorded";

type Json = Record<string, unknown>;
const DOC_PATH = join(__dirname, "../../openapi/head.json");
const DOC_ID = "https://keys-api.example/openapi/head.json";
const doc = JSON.parse(readFileSync(DOC_PATH, "utf8")) as Json & { info: Json; paths: Record<string, { post: Json }>; components: Record<string, Json> };

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const SUBSCHEMA = ["items", "additionalProperties", "unevaluatedProperties", "not", "then", "else", "contains", "propertyNames"];
const SUBSCHEMAS = ["allOf", "anyOf", "oneOf", "prefixItems"];

/** The schema with every object that lists its properties closed. `if` stays as it is: a closed condition would never hold. */
function closed(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "properties" && isObject(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, closed(s)]));
    else if (SUBSCHEMA.includes(k)) out[k] = closed(v);
    else if (SUBSCHEMAS.includes(k) && Array.isArray(v)) out[k] = v.map(closed);
    else out[k] = v;
  }
  if (isObject(out.properties) && out.additionalProperties === undefined && out.unevaluatedProperties === undefined) out.unevaluatedProperties = false;
  return out;
}

/** A copy of the document with every schema closed: the component schemas and those of operations, parameters and headers. */
function closedDocument(source: typeof doc): Json {
  const copy = structuredClone(source);
  const schemas = copy.components.schemas as Json;
  for (const name of Object.keys(schemas)) schemas[name] = closed(schemas[name]);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === "schema") node[k] = closed(v);
      else if (k !== "example" && k !== "examples") visit(v);
    }
  };
  visit(copy.paths);
  visit(copy.components.headers);
  visit(copy.components.parameters);
  return copy;
}

/** Compiles the schema at any JSON pointer of a document, `$ref`s resolved against the whole document. */
function validatorsFor(document: Json, id: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, id);
  const cache = new Map<string, ValidateFunction>();
  return (pointer: string): ValidateFunction => {
    let v = cache.get(pointer);
    if (!v) cache.set(pointer, (v = ajv.compile({ $ref: `${id}#${pointer.split("/").map(encodeURIComponent).join("/")}` })));
    return v;
  };
}

const escape = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");
const pointer = (...segments: string[]) => segments.map((s) => `/${escape(s)}`).join("");
const operationPointer = (operation: string) => pointer("paths", `/v2/${operation}`, "post");
const resolve = (node: unknown): Json => {
  const ref = isObject(node) ? node.$ref : undefined;
  if (typeof ref !== "string") return node as Json;
  return ref
    .slice(2)
    .split("/")
    .reduce<unknown>((at, s) => (at as Json)[s.replace(/~1/g, "/").replace(/~0/g, "~")], doc) as Json;
};

/** Every problem of a recorded answer against the validators of `doc` (or of a variant with the same paths): `[]` when it fits. */
function violations(schemaAt: (pointer: string) => ValidateFunction, call: RecordedCall): string[] {
  const op = doc.paths[call.request.path]?.post;
  if (!op) return [`${call.request.path} is not in the document`];
  const responses = op.responses as Json;
  const status = String(call.status) in responses ? String(call.status) : "default";
  const response = resolve(responses[status]);
  const media = (response.content as Json | undefined)?.[call.contentType];
  if (!media) return [`${call.status} ${call.contentType} is not documented (${Object.keys(response.content as Json).join(", ")})`];
  const problems: string[] = [];
  const check = (where: string, validate: ValidateFunction, value: unknown) => {
    if (!validate(value)) problems.push(...(validate.errors ?? []).map((e) => `${where}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
  };
  check("body", schemaAt(`${operationPointer(call.operation)}${pointer("responses", status, "content", call.contentType, "schema")}`), call.body);
  for (const [name, raw] of Object.entries((response.headers as Json | undefined) ?? {})) {
    const header = resolve(raw);
    const value = call.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) problems.push(`header ${name} is missing`);
    } else check(`header ${name}`, schemaAt(`${(raw as { $ref: string }).$ref.slice(1)}/schema`), value);
  }
  // What the sequence sends when it means to succeed must fit the request schema too.
  if (call.expectedStatus === 200)
    check("request", schemaAt(`${operationPointer(call.operation)}${pointer("requestBody", "content", "application/json", "schema")}`), call.request.body);
  return problems;
}

/** The examples of a media type object (`example`, `examples.<name>.value`), by name. */
function examplesOf(media: Json): [string, unknown][] {
  const out: [string, unknown][] = media.example === undefined ? [] : [["example", media.example]];
  for (const [name, ex] of Object.entries((media.examples as Json | undefined) ?? {})) out.push([name, resolve(ex).value]);
  return out;
}

describe("openapi/head.json > the document", () => {
  test("is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator)", () => {
    // The validator is ESM only, which jest's CommonJS run cannot import: it runs in its own node process.
    const script = `
      const { Validator } = await import("@seriousme/openapi-schema-validator");
      const chunks = []; for await (const c of process.stdin) chunks.push(c);
      process.stdout.write(JSON.stringify(await new Validator().validate(JSON.parse(Buffer.concat(chunks).toString()))));`;
    const validate = (document: unknown) =>
      JSON.parse(
        execFileSync(process.execPath, ["--input-type=module", "-e", script], { input: JSON.stringify(document), cwd: __dirname, encoding: "utf8" }),
      ) as {
        valid: boolean;
        errors?: unknown;
      };
    expect(validate(doc)).toEqual({ valid: true });
    // And the check can fail: a document without info.version is not valid.
    expect(validate({ ...doc, info: { title: doc.info.title } }).valid).toBe(false);
  });

  test("describes exactly the v2 operations, each as POST /v2/<operation>, at the newest version", () => {
    const { db, versions } = testApp();
    db.close();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "keys-api (Unkey)", version: versions.latest.id });
    expect(doc.servers).toBeUndefined();
    expect(Object.keys(doc.paths)).toEqual(V2_OPERATIONS.map((op) => `/v2/${op}`));
    for (const op of V2_OPERATIONS) {
      expect(Object.keys(doc.paths[`/v2/${op}`]!)).toEqual(["post"]);
      expect(doc.paths[`/v2/${op}`]!.post.operationId).toBe(op);
    }
    // The version header's values are the v2 versions.
    const v2Versions = versions.list.filter((v) => v.ordinal >= versions.get(V2_LAUNCH)!.ordinal).map((v) => v.id);
    const header = new RegExp((doc.components.parameters as Json & { ApiVersion: { schema: { pattern: string } } }).ApiVersion.schema.pattern);
    expect(v2Versions.every((v) => header.test(v))).toBe(true);
  });

  test("has the shared components, bearer root-key security, and ErrorResponse on every error", () => {
    const schemas = doc.components.schemas as Json;
    for (const name of ["Key", "Identity", "Permission", "Role", "RatelimitOverride", "Api", "Meta", "Pagination", "ErrorResponse"])
      expect(schemas[name]).toBeDefined();
    expect(doc.components.securitySchemes).toEqual({ rootKey: expect.objectContaining({ type: "http", scheme: "bearer" }) });
    expect(doc.security).toEqual([{ rootKey: [] }]);
    for (const op of V2_OPERATIONS) {
      const responses = doc.paths[`/v2/${op}`]!.post.responses as Record<string, Json>;
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(["200", "400", "401", "default"]));
      for (const [status, response] of Object.entries(responses)) {
        if (status === "200") continue;
        const schemas = Object.values(response.content as Record<string, { schema: Json }>).map((m) => JSON.stringify(m.schema));
        expect(schemas.some((s) => s.includes('"#/components/schemas/ErrorResponse"'))).toBe(true);
      }
    }
  });

  test("never closes an object with additionalProperties: false (the server ignores unknown request fields)", () => {
    expect(JSON.stringify(doc)).not.toContain('"additionalProperties":false');
  });

  test("every operation has a request example and a 200 example, and every example fits its schema", () => {
    const schemaAt = validatorsFor(closedDocument(doc), `${DOC_ID}?closed`);
    const problems: string[] = [];
    for (const op of V2_OPERATIONS) {
      const at = operationPointer(op);
      const operation = doc.paths[`/v2/${op}`]!.post;
      const request = examplesOf(((operation.requestBody as Json).content as Record<string, Json>)["application/json"]!);
      const ok = examplesOf(((operation.responses as Record<string, Json>)["200"]!.content as Record<string, Json>)["application/json"]!);
      if (request.length === 0) problems.push(`${op}: no request example`);
      if (ok.length === 0) problems.push(`${op}: no 200 example`);
      const media: [string, Json][] = Object.entries((operation.requestBody as Json).content as Record<string, Json>).map(([type, m]) => [
        pointer("requestBody", "content", type, "schema"),
        m,
      ]);
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>))
        for (const [type, m] of Object.entries(response.content as Record<string, Json>))
          media.push([pointer("responses", status, "content", type, "schema"), m]);
      for (const [where, m] of media) {
        const validate = schemaAt(`${at}${where}`);
        for (const [name, value] of examplesOf(m)) {
          if (!validate(value)) problems.push(`${op} ${where} example ${name}: ${validate.errors!.map((e) => `${e.instancePath} ${e.message}`).join("; ")}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("openapi/head.json > real answers", () => {
  let calls: RecordedCall[];
  const schemaAt = validatorsFor(closedDocument(doc), `${DOC_ID}?closed`);

  beforeAll(async () => {
    const server = await testServer();
    try {
      seedForRecording(server.db);
      calls = await recordV2Calls(server.base);
    } finally {
      await server.close();
    }
  });

  test("every call answers the status it was written for, and none is a server error", () => {
    const off = calls.filter((c) => c.status !== c.expectedStatus || c.status >= 500);
    expect(off.map((c) => `${c.operation} (${c.scenario}): ${c.status}, expected ${c.expectedStatus} ${JSON.stringify(c.body)}`)).toEqual([]);
  });

  describe.each(V2_OPERATIONS)("%s", (operation) => {
    test("every answer fits the document, and every status the document lists was answered", () => {
      const mine = calls.filter((c) => c.operation === operation);
      expect(mine.filter((c) => c.status === 200).length).toBeGreaterThan(0);
      const problems = mine.flatMap((c) => violations(schemaAt, c).map((p) => `${c.status} (${c.scenario}): ${p}`));
      expect(problems).toEqual([]);
      const documented = Object.keys(doc.paths[`/v2/${operation}`]!.post.responses as Json).filter((s) => s !== "default");
      const answered = new Set(mine.map((c) => String(c.status)));
      expect(documented.filter((s) => !answered.has(s))).toEqual([]);
    });
  });

  test("a document that disagrees with the server fails the check", () => {
    const wrong = structuredClone(doc);
    const key = (wrong.components.schemas as Record<string, { properties: Record<string, Json> }>).Key!;
    key.properties.start = { type: "integer" };
    delete key.properties.lastUsedAt;
    const wrongAt = validatorsFor(closedDocument(wrong), `${DOC_ID}?wrong`);
    const getKey = calls.filter((c) => c.operation === "keys.getKey" && c.status === 200);
    const problems = getKey.flatMap((c) => violations(wrongAt, c));
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^body\/data\/start must be integer/), expect.stringMatching(/unevaluatedProperty.*lastUsedAt/)]),
    );
  });
});
