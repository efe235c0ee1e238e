import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { routesOf } from "@strata/express";
import { createApp } from "./app";
import { customerVersions } from "./customer/versions";
import { recordCustomerCalls, type RecordedCall } from "./recorded";

// The head document of the Customer API (v2), checked three ways: against the OpenAPI 3.1
// schema, its examples against its own schemas, and the server's real answers to a recorded
// session against the schemas of their operation and status.

type Json = Record<string, unknown>;
const DOC_PATH = join(__dirname, "..", "openapi", "head.json");
const doc = JSON.parse(readFileSync(DOC_PATH, "utf8")) as Json;
/** The document's own `$ref`s (`#/components/...`) resolve against this id inside Ajv. */
const DOC_ID = "https://orbit.devotel.io/openapi/customer-v2.json";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

// ---- the document, addressed by JSON pointers -------------------------------------------

const escape = (token: string): string => token.replace(/~/g, "~0").replace(/\//g, "~1");
const ptr = (...tokens: string[]): string => tokens.map((t) => `/${escape(t)}`).join("");

function at(pointer: string): unknown {
  let value: unknown = doc;
  for (const token of pointer.split("/").slice(1)) value = (value as Json | undefined)?.[token.replace(/~1/g, "/").replace(/~0/g, "~")];
  return value;
}

/** Follow an OpenAPI `$ref` (a response, parameter or header object) to where it points. */
function deref(pointer: string): string {
  const seen = new Set<string>();
  for (let value = at(pointer) as Json | undefined; typeof value?.$ref === "string"; value = at(pointer) as Json | undefined) {
    if (seen.has(pointer)) throw new Error(`$ref cycle at ${pointer}`);
    seen.add(pointer);
    if (!value.$ref.startsWith("#/")) throw new Error(`${pointer}: only local $refs are expected, got ${value.$ref}`);
    pointer = value.$ref.slice(1);
  }
  return pointer;
}

interface Operation {
  id: string;
  method: string;
  /** `/customer/v2/licenses/{id}` */
  path: string;
  pointer: string;
  match: RegExp;
}

const operations: Operation[] = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m] !== undefined).map((method) => ({
    id: (item[method] as Json).operationId as string,
    method: method.toUpperCase(),
    path,
    pointer: ptr("paths", path, method),
    match: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "([^/]+)")}$`),
  })),
);
const operationById = new Map(operations.map((o) => [o.id, o]));
/** Fixed segments before templated ones, as OpenAPI matches (`/licenses/locations` before `/licenses/{id}`). */
const byPathSpecificity = [...operations].sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));

// ---- schemas: the whole document in Ajv, each schema compiled where it stands -----------

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...doc, $id: DOC_ID });
const compiled = new Map<string, ValidateFunction>();

function validatorAt(pointer: string): ValidateFunction {
  let validate = compiled.get(pointer);
  if (!validate) {
    const ref = `${DOC_ID}#${pointer.split("/").map(encodeURIComponent).join("/")}`;
    validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`no schema at ${pointer}`);
    compiled.set(pointer, validate);
  }
  return validate;
}

function errorsOf(pointer: string, value: unknown, dataVar = "body"): string | undefined {
  const validate = validatorAt(pointer);
  return validate(value) ? undefined : ajv.errorsText(validate.errors, { dataVar });
}

/** Every `example` / `examples.*.value` beside a `schema` (media types, parameters, headers). */
function examplesIn(value: unknown, pointer = ""): { pointer: string; schema: string; example: unknown }[] {
  if (typeof value !== "object" || value === null) return [];
  const node = value as Json;
  const found: { pointer: string; schema: string; example: unknown }[] = [];
  if (node.schema !== undefined) {
    const schema = `${pointer}/schema`;
    if ("example" in node) found.push({ pointer: `${pointer}/example`, schema, example: node.example });
    for (const [name, ex] of Object.entries((node.examples ?? {}) as Record<string, Json>)) {
      found.push({ pointer: `${pointer}${ptr("examples", name, "value")}`, schema, example: ex.value });
    }
  }
  for (const [key, child] of Object.entries(node)) if (key !== "schema" && key !== "examples") found.push(...examplesIn(child, pointer + ptr(key)));
  return found;
}

// ---- real responses against the document -------------------------------------------------

/** Where the recorded call's response is described, or why it is not. */
function responsePointer(call: RecordedCall): string | string[] {
  const op = operationById.get(call.operation);
  if (!op) return [`${call.operation}: no such operationId in the document`];
  const responses = (at(`${op.pointer}/responses`) ?? {}) as Json;
  const key = [String(call.status), `${String(call.status)[0]}XX`, "default"].find((k) => responses[k] !== undefined);
  if (key === undefined) return [`${call.operation} answered ${call.status}, which the document does not list`];
  return deref(`${op.pointer}${ptr("responses", key)}`);
}

/** What is wrong with a recorded call by the document: empty when it matches. */
function mismatches(call: RecordedCall): string[] {
  const where = `${call.operation} (${call.request.method} ${call.request.path} -> ${call.status})`;
  const response = responsePointer(call);
  if (Array.isArray(response)) return response;
  const out: string[] = [];
  const content = (at(response) as Json).content as Json | undefined;
  if (content === undefined) {
    if (call.body !== undefined) out.push(`${where}: the document says no body, the server sent ${JSON.stringify(call.body)}`);
  } else {
    const media = (call.headers["content-type"] ?? "").split(";")[0]!.trim();
    if (content[media] === undefined) out.push(`${where}: content type ${media || "(none)"} is not one of ${Object.keys(content).join(", ")}`);
    else {
      const errors = errorsOf(`${response}${ptr("content", media, "schema")}`, call.body);
      if (errors) out.push(`${where}: ${errors}; body ${JSON.stringify(call.body)}`);
    }
  }
  for (const name of Object.keys(((at(response) as Json).headers ?? {}) as Json)) {
    const header = deref(`${response}${ptr("headers", name)}`);
    const value = call.headers[name.toLowerCase()];
    if (value === undefined) {
      if ((at(header) as Json).required) out.push(`${where}: the required header ${name} is missing`);
    } else {
      const errors = errorsOf(`${header}/schema`, value, name);
      if (errors) out.push(`${where}: header ${name}: ${errors}`);
    }
  }
  return out;
}

/** The request side: the operation its method and path name, its path parameters, its body. */
function requestMismatches(call: RecordedCall): string[] {
  const where = `${call.operation} (${call.request.method} ${call.request.path} -> ${call.status})`;
  const path = call.request.path.split("?")[0]!;
  const op = byPathSpecificity.find((o) => o.method === call.request.method && o.match.test(path));
  if (!op || op.id !== call.operation) return [`${where}: the document names this request ${op?.id ?? "nothing"}`];
  const out: string[] = [];
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const values = op.match.exec(path)!.slice(1).map(decodeURIComponent);
  const pathItem = ptr("paths", op.path);
  const params = [`${pathItem}/parameters`, `${op.pointer}/parameters`].flatMap((p) => ((at(p) ?? []) as unknown[]).map((_, i) => deref(`${p}/${i}`)));
  names.forEach((name, i) => {
    const param = params.find((p) => (at(p) as Json).name === name && (at(p) as Json).in === "path");
    if (!param) out.push(`${where}: path parameter ${name} is not documented`);
    else if (call.status < 300) {
      const errors = errorsOf(`${param}/schema`, values[i], name);
      if (errors) out.push(`${where}: path parameter ${name}=${values[i]}: ${errors}`);
    }
  });

  // A body the server accepted must be one the document accepts; one it refused as malformed
  // (invalid_field, invalid_body) must be one the document refuses: required-ness and types both ways.
  const requestBody = at(`${op.pointer}/requestBody`) === undefined ? undefined : deref(`${op.pointer}/requestBody`);
  const accepted = call.status < 300;
  const refused = call.status === 400 && ["invalid_field", "invalid_body"].includes((call.body as Json | undefined)?.code as string);
  if (!accepted && !refused) return out;
  let errors: string | undefined;
  if (requestBody === undefined) errors = call.request.body === undefined ? undefined : "the operation documents no request body";
  else if (call.request.body === undefined) errors = (at(requestBody) as Json).required ? "the request body is required" : undefined;
  else errors = errorsOf(`${requestBody}${ptr("content", "application/json", "schema")}`, call.request.body);
  if (accepted && errors) out.push(`${where}: the server accepted ${JSON.stringify(call.request.body)}, the document does not: ${errors}`);
  if (refused && !errors) out.push(`${where}: the server refused ${JSON.stringify(call.request.body)}, the document accepts it`);
  return out;
}

/** The `object` of every object in a body, nested ones included. */
function resourceTypes(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => resourceTypes(v, into));
  else if (typeof value === "object" && value !== null) {
    if (typeof (value as Json).object === "string") into.add((value as Json).object as string);
    Object.values(value).forEach((v) => resourceTypes(v, into));
  }
  return into;
}

/** The real validator is an ES module, which jest's CommonJS runtime cannot load: it runs in node. */
function validateOpenApi(document: unknown): { valid: boolean; version?: string; errors?: unknown } {
  const script = `import { Validator } from "@seriousme/openapi-schema-validator";
    const chunks = []; for await (const c of process.stdin) chunks.push(c);
    const v = new Validator(); const r = await v.validate(JSON.parse(Buffer.concat(chunks).toString()));
    process.stdout.write(JSON.stringify({ ...r, version: v.version }));`;
  return JSON.parse(
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: __dirname, input: JSON.stringify(document), encoding: "utf8" }),
  );
}

describe("Customer API v2: openapi/head.json", () => {
  it("is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)", () => {
    const result = validateOpenApi(doc);
    expect(result.errors).toBeUndefined();
    expect(result).toMatchObject({ valid: true, version: "3.1" });
    expect(doc.openapi).toBe("3.1.0");
    // The same check refuses a broken copy, so a pass above means something.
    const broken = { ...doc, components: { ...(doc.components as Json), schemas: {} } };
    expect(validateOpenApi(broken).valid).toBe(false);
  });

  it("is the head of the chain: its version is the newest one", () => {
    expect(doc.info).toMatchObject({ title: "Orbit Customer API", version: customerVersions.latest.id });
  });

  it("has one operation per /customer/v2 route the app serves, and no other", () => {
    const served = routesOf(createApp())
      .filter((r) => r.includes(" /customer/v2/"))
      .map((r) => r.replace(/\/$/, "").replace(/:(\w+)/g, "{$1}"));
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual([...new Set(served)].sort());
    expect(new Set(operations.map((o) => o.id)).size).toBe(operations.length);
  });

  it("has a 2xx example for every operation and a request example for every body", () => {
    const missing = operations.flatMap((op) => {
      const out: string[] = [];
      const examples = examplesIn(at(op.pointer), op.pointer);
      const responses = Object.keys((at(`${op.pointer}/responses`) ?? {}) as Json).filter((s) => /^2/.test(s));
      // A 2xx without a body (204) has nothing to show; an operation with only that needs no example.
      const withBody = responses.filter((s) => (at(deref(`${op.pointer}${ptr("responses", s)}`)) as Json).content !== undefined);
      if (withBody.length > 0 && !examples.some((e) => /\/responses\/2\d\d\//.test(e.pointer))) out.push(`${op.id}: no 2xx response example`);
      if (responses.length === 0) out.push(`${op.id}: no 2xx response`);
      if (at(`${op.pointer}/requestBody`) !== undefined && !examples.some((e) => e.pointer.includes("/requestBody/"))) out.push(`${op.id}: no request example`);
      return out;
    });
    expect(missing).toEqual([]);
  });

  it("describes each resource type once, in components/schemas, and refers to it elsewhere", () => {
    const inline: string[] = [];
    const walk = (value: unknown, pointer: string): void => {
      if (typeof value !== "object" || value === null) return;
      const props = (value as Json).properties as Json | undefined;
      if (props && typeof props === "object" && "object" in props && !/\/examples\//.test(pointer)) inline.push(pointer);
      for (const [key, child] of Object.entries(value)) walk(child, pointer + ptr(key));
    };
    walk(doc.paths, "/paths");
    expect(inline).toEqual([]);
    const schemas = (doc.components as Json).schemas as Record<string, Json>;
    const byType = Object.entries(schemas).flatMap(([name, s]) => {
      const type = ((s.properties as Json | undefined)?.object as Json | undefined)?.const;
      return typeof type === "string" ? [`${type} ${name}`] : [];
    });
    expect(byType.sort()).toEqual([
      "api_key ApiKey",
      "api_key DeletedApiKey",
      "balance Balance",
      "customer Customer",
      "invoice Invoice",
      "license License",
      "license_ip LicenseIp",
      "list List",
      "location Location",
      "wallet_challenge WalletChallenge",
    ]);
  });

  const examples = examplesIn(doc);
  it.each(examples.map((e) => [e.pointer, e]))("example %s matches its schema", (_pointer, { schema, example }) => {
    expect(errorsOf(schema, example)).toBeUndefined();
  });

  describe("against the real server", () => {
    let calls: RecordedCall[];
    beforeAll(async () => {
      calls = await recordCustomerCalls(createApp());
    });

    it("answers every recorded call as the document describes it (body, content type, headers)", () => {
      expect(calls.length).toBeGreaterThan(50);
      expect(calls.flatMap(mismatches)).toEqual([]);
    });

    it("names every request by its operation, and its bodies are the ones the document accepts or refuses", () => {
      expect(calls.flatMap(requestMismatches)).toEqual([]);
    });

    it("exercises every operation, and every status the document lists for it", () => {
      const seen = new Set(calls.map((c) => `${c.operation} ${c.status}`));
      const listed = operations.flatMap((op) => Object.keys((at(`${op.pointer}/responses`) ?? {}) as Json).map((status) => `${op.id} ${status}`));
      expect(listed.filter((l) => !seen.has(l))).toEqual([]);
      expect(operations.filter((op) => !calls.some((c) => c.operation === op.id && c.status < 300)).map((op) => op.id)).toEqual([]);
    });

    it("asks for credentials exactly where the server does, in the header the security scheme names", () => {
      const schemes = (doc.components as Json).securitySchemes as Record<string, Json>;
      expect(schemes.OrbitApiKey).toMatchObject({ type: "apiKey", in: "header", name: "X-ORBIT-KEY" });
      expect(schemes.BearerToken).toMatchObject({ type: "http", scheme: "bearer" });
      const anonymous = calls.filter((c) => c.request.headers["x-orbit-key"] === undefined && c.request.headers["authorization"] === undefined);
      const wrong = operations.flatMap((op) => {
        const isPublic = Array.isArray(at(`${op.pointer}/security`)) && (at(`${op.pointer}/security`) as unknown[]).length === 0;
        const mine = anonymous.filter((c) => c.operation === op.id);
        if (mine.length === 0) return [`${op.id}: never called without credentials`];
        const refused = mine.some((c) => c.status === 401 && (c.body as Json).code === "missing_credentials");
        return isPublic === refused ? [`${op.id}: the document says ${isPublic ? "public" : "authenticated"}`] : [];
      });
      expect(wrong).toEqual([]);
      expect(doc.security).toEqual([{ OrbitApiKey: [] }, { BearerToken: [] }]);
    });

    it("returns only resource types the document has a component for", () => {
      const schemas = doc.components && ((doc.components as Json).schemas as Record<string, Json>);
      const documented = new Set(Object.values(schemas ?? {}).map((s) => ((s.properties as Json | undefined)?.object as Json | undefined)?.const));
      const returned = resourceTypes(calls.map((c) => c.body));
      expect([...returned].filter((t) => !documented.has(t))).toEqual([]);
    });

    // The examples of reads on the seed data are exactly what a fresh app returns.
    it.each([
      ["listLicenses", "seeded"],
      ["listLocations", "all"],
      ["getLicense", "pro"],
      ["listLicenseIps", "seeded"],
      ["getProfile", "demo"],
      ["getBalance", "demo"],
      ["listInvoices", "seeded"],
      ["getInvoice", "open"],
    ])("the %s example %s is the seeded answer", (operation, name) => {
      const first = calls.find((c) => c.operation === operation && c.status === 200)!;
      const example = at(`${operationById.get(operation)!.pointer}${ptr("responses", "200", "content", "application/json", "examples", name, "value")}`);
      expect(example).toBeDefined();
      expect(first.body).toEqual(example);
    });

    it("would catch a response the document does not describe", () => {
      const license = calls.find((c) => c.operation === "getLicense" && c.status === 200)!;
      const { key: _key, ...withoutKey } = license.body as Json;
      expect(mismatches({ ...license, body: { ...withoutKey, customer: "cus_demo" } }).join("\n")).toMatch(/must have required property 'key'/);
      expect(mismatches({ ...license, body: { ...(license.body as Json), customer: "cus_demo" } }).join("\n")).toMatch(/must NOT have additional properties/);
      expect(mismatches({ ...license, status: 418 })).toEqual(["getLicense answered 418, which the document does not list"]);
      expect(mismatches({ ...license, headers: { ...license.headers, "orbit-customer-api-version": "1.0" } }).join("\n")).toMatch(/Orbit-Customer-Api-Version/);
    });
  });
});
