import { isJsonObject, type JsonObject } from "@strata/core";

/** An OpenAPI 3.1 document, as parsed JSON. */
export type OpenApiDocument = JsonObject;

/** RFC 6901 escaping of one pointer segment. */
export const escapeSegment = (s: string): string => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** The value at a local JSON pointer (`#/components/schemas/Key`), or `undefined`. */
export function atPointer(doc: unknown, pointer: string): unknown {
  if (!pointer.startsWith("#")) return undefined;
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isJsonObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** `schema`, with local `$ref`s followed (cycles end the chain): what it really says. */
export function resolveSchema(doc: unknown, schema: unknown): JsonObject | undefined {
  let node = schema;
  const seen = new Set<unknown>();
  while (isJsonObject(node) && typeof node.$ref === "string" && !seen.has(node)) {
    seen.add(node);
    const target = atPointer(doc, node.$ref);
    if (target === undefined) return node;
    node = target;
  }
  return isJsonObject(node) ? node : undefined;
}

// Where JSON Schema nests schemas: keyword -> how its value holds them.
const SINGLE = ["items", "additionalProperties", "not", "contains", "if", "then", "else", "propertyNames", "unevaluatedItems", "unevaluatedProperties"];
const LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const MAPS = ["properties", "patternProperties", "$defs", "dependentSchemas"];

/** The schemas nested directly in `schema`, with the pointer segments that reach them. */
export function childSchemas(schema: JsonObject): [string, JsonObject][] {
  const out: [string, JsonObject][] = [];
  for (const k of SINGLE) if (isJsonObject(schema[k])) out.push([k, schema[k]]);
  for (const k of LISTS) if (Array.isArray(schema[k])) (schema[k] as unknown[]).forEach((s, i) => isJsonObject(s) && out.push([`${k}/${i}`, s]));
  for (const k of MAPS) {
    const map = schema[k];
    if (isJsonObject(map)) for (const [name, s] of Object.entries(map)) if (isJsonObject(s)) out.push([`${k}/${escapeSegment(name)}`, s]);
  }
  return out;
}

/**
 * Every schema object written in the document (not followed through `$ref`, so each is seen
 * once), with its pointer: components, parameters, request bodies, responses, nested ones.
 */
export function allSchemas(doc: OpenApiDocument): [string, JsonObject][] {
  const out: [string, JsonObject][] = [];
  const seen = new Set<JsonObject>();
  const visit = (schema: JsonObject, pointer: string): void => {
    if (seen.has(schema)) return;
    seen.add(schema);
    out.push([pointer, schema]);
    for (const [seg, child] of childSchemas(schema)) visit(child, `${pointer}/${seg}`);
  };
  // Schemas sit under `schema` keys (media types, parameters, headers) and in components.
  const scan = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => scan(n, `${pointer}/${i}`));
    if (!isJsonObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const p = `${pointer}/${escapeSegment(key)}`;
      if (key === "schema" && isJsonObject(value)) visit(value, p);
      else if (key !== "example" && key !== "examples" && key !== "schemas") scan(value, p);
    }
  };
  const components = isJsonObject(doc.components) ? doc.components : {};
  if (isJsonObject(components.schemas))
    for (const [name, s] of Object.entries(components.schemas)) if (isJsonObject(s)) visit(s, `#/components/schemas/${escapeSegment(name)}`);
  scan(doc.paths, "#/paths");
  scan(doc.webhooks, "#/webhooks");
  for (const [key, value] of Object.entries(components)) if (key !== "schemas") scan(value, `#/components/${escapeSegment(key)}`);
  return out;
}

/** A deep copy of parsed JSON. */
export const cloneDocument = <T>(doc: T): T => structuredClone(doc);
