import { isJsonObject, type JsonObject } from "@strata/core";
import { resolveSchema, type OpenApiDocument } from "../document/schemas";
import { jsonContent, type IndexedOperation } from "./operation-index";

/** A named example payload. */
export interface NamedExample {
  readonly name: string;
  readonly value: unknown;
}

/** The examples of a media type object: `example`, then each of `examples` (components refs followed). */
export function examplesOf(doc: OpenApiDocument, media: JsonObject | undefined): NamedExample[] {
  if (!media) return [];
  const out: NamedExample[] = [];
  if (media.example !== undefined) out.push({ name: "example", value: media.example });
  if (isJsonObject(media.examples)) {
    for (const [name, ex] of Object.entries(media.examples)) {
      const resolved = resolveSchema(doc, ex);
      if (resolved && resolved.value !== undefined) out.push({ name, value: resolved.value });
    }
  }
  return out;
}

/** The operation's JSON request body examples. */
export function requestExamples(doc: OpenApiDocument, op: IndexedOperation): NamedExample[] {
  const body = resolveSchema(doc, op.operation.requestBody);
  return examplesOf(doc, body ? jsonContent(body.content)?.[1] : undefined);
}

/** The operation's JSON response examples, by status code (ranges and `default` have no code to test). */
export function responseExamples(doc: OpenApiDocument, op: IndexedOperation): { status: number; examples: NamedExample[] }[] {
  const responses = resolveSchema(doc, op.operation.responses) ?? {};
  const out: { status: number; examples: NamedExample[] }[] = [];
  for (const [key, raw] of Object.entries(responses)) {
    if (!/^\d{3}$/.test(key)) continue;
    const response = resolveSchema(doc, raw);
    const examples = examplesOf(doc, response ? jsonContent(response.content)?.[1] : undefined);
    if (examples.length > 0) out.push({ status: Number(key), examples });
  }
  return out;
}

/** A parameter of an operation, refs followed. */
export function parametersOf(doc: OpenApiDocument, op: IndexedOperation): JsonObject[] {
  const list = Array.isArray(op.operation.parameters) ? op.operation.parameters : [];
  return list.map((p) => resolveSchema(doc, p)).filter((p): p is JsonObject => p !== undefined);
}

/**
 * A value for a parameter, as a client would send it: from the request example's body (a
 * field that became a query parameter), else the parameter's own example, else a sample
 * of its type.
 */
export function parameterValue(doc: OpenApiDocument, param: JsonObject, body: unknown): string {
  const name = String(param.name);
  if (isJsonObject(body) && body[name] !== undefined) return asQueryValue(body[name]);
  const schema = resolveSchema(doc, param.schema) ?? {};
  const given =
    param.example ?? firstExample(param.examples) ?? schema.example ?? (Array.isArray(schema.examples) ? schema.examples[0] : undefined) ?? schema.default;
  if (given !== undefined) return asQueryValue(given);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return asQueryValue(schema.enum[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  return type === "integer" || type === "number" ? "1" : type === "boolean" ? "true" : "sample";
}

function firstExample(examples: unknown): unknown {
  if (!isJsonObject(examples)) return undefined;
  const first = Object.values(examples)[0];
  return isJsonObject(first) ? first.value : undefined;
}

function asQueryValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(",");
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}
