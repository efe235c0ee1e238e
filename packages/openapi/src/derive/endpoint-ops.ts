import { isJsonObject, routePattern, type JsonObject, type QueryValueType, type RoutePattern, type SchemaOp } from "@strata/core";
import { inheritedParameters, matchOperations, patternsOf, placeOperation, removeOperation, toTemplate } from "../document/operations";
import { resolveSchema, type OpenApiDocument } from "../document/schemas";
import { SchemaDeltaError } from "./errors";

type EndpointOp = Extract<SchemaOp, { op: "moveEndpoint" | "moveQueryToBody" | "addEndpoint" }>;

/**
 * Undo one endpoint op on the document, new -> old. `owner` names the change in errors.
 * Returns a note when the document has no operation the op names (then it describes nothing).
 */
export function undoEndpointOp(doc: OpenApiDocument, op: EndpointOp, owner: string): string | undefined {
  const routes = op.op === "addEndpoint" ? op.routes : [op.to];
  const matched = matchOperations(doc, patternsOf(routes, owner));
  // An endpoint added later that the document never had is absent before, as it should be.
  if (matched.length === 0 && op.op === "addEndpoint") return undefined;
  if (matched.length === 0) return `the document has no operation at ${routes.map((r) => (typeof r === "string" ? r : `${r.method} ${r.path}`)).join(", ")}`;
  if (op.op === "addEndpoint") {
    for (const found of matched) removeOperation(doc, found.method, found.path);
    return undefined;
  }
  const from = routePattern(op.from, owner);
  const to = routePattern(op.to, owner);
  const except = op.op === "moveEndpoint" ? patternsOf(op.except ?? [], owner) : [];
  for (const found of matched) {
    const operation = found.operation;
    const method = from.method === "*" ? found.method : from.method;
    const path = toTemplate(from, found.params);
    // Requests the move leaves alone (`except`) were never this operation: `/licenses/:id`
    // must not take `/licenses/locations` with it.
    if (except.some((e) => e.match(method, path) !== undefined)) continue;
    operation.parameters = [...mergeParameters(doc, inheritedParameters(doc, found.path), operation.parameters)];
    removeOperation(doc, found.method, found.path);
    if (op.op === "moveQueryToBody") bodyToQuery(doc, operation, from, to, op.types ?? {});
    else queryToPath(operation, from, to);
    if ((operation.parameters as unknown[]).length === 0) delete operation.parameters;
    if (!placeOperation(doc, method, path, operation)) {
      throw new SchemaDeltaError(owner, `moving ${found.method} ${found.path} back to ${method} ${path}, where the document already has an operation`);
    }
  }
  return undefined;
}

/** Path-item parameters overridden by the operation's own (same name and place). */
function mergeParameters(doc: OpenApiDocument, inherited: unknown[], own: unknown): unknown[] {
  const mine = Array.isArray(own) ? own : [];
  const key = (p: unknown) => {
    const r = resolveSchema(doc, p);
    return r ? `${String(r.in)}:${String(r.name)}` : "";
  };
  const overridden = new Set(mine.map(key));
  return [...inherited.filter((p) => !overridden.has(key(p))), ...mine];
}

/** Source path params the target path has no place for travel as query parameters (moveEndpoint). */
function queryToPath(operation: JsonObject, from: RoutePattern, to: RoutePattern): void {
  const inTarget = new Set([...to.params, ...to.optionalParams]);
  const leftover = new Set(from.params.filter((p) => !inTarget.has(p)));
  const params = operation.parameters as JsonObject[];
  for (const p of params) {
    if (isJsonObject(p) && p.in === "query" && leftover.has(p.name as string)) {
      p.in = "path";
      p.required = true;
      leftover.delete(p.name as string);
    }
  }
  for (const name of leftover) params.push({ name, in: "path", required: true, schema: { type: "string" } });
}

/** The JSON body becomes query parameters (and path params) of the types the move reads them as. */
function bodyToQuery(doc: OpenApiDocument, operation: JsonObject, from: RoutePattern, to: RoutePattern, types: Readonly<Record<string, QueryValueType>>): void {
  const body = resolveSchema(doc, operation.requestBody);
  const content = body && isJsonObject(body.content) ? body.content : {};
  const media = Object.entries(content).find(([type]) => /json/i.test(type))?.[1];
  const schema = isJsonObject(media) ? resolveSchema(doc, media.schema) : undefined;
  const props = schema && isJsonObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema?.required) ? (schema.required as string[]) : []);
  const inPath = new Set(from.params.filter((p) => !to.params.includes(p) && !to.optionalParams.includes(p)));
  const params = operation.parameters as JsonObject[];
  for (const [name, prop] of Object.entries(props)) {
    const where = inPath.has(name) ? "path" : "query";
    inPath.delete(name);
    params.push({ name, in: where, required: where === "path" || required.has(name), ...queryValue(resolveSchema(doc, prop) ?? {}, types[name] ?? "string") });
  }
  for (const name of inPath) params.push({ name, in: "path", required: true, schema: { type: "string" } });
  delete operation.requestBody;
}

/** How a query parameter carries a value that `moveQueryToBody` reads as `type`. */
function queryValue(prop: JsonObject, type: QueryValueType): JsonObject {
  const described = prop.description === undefined ? {} : { description: prop.description };
  switch (type) {
    case "json":
      return { ...described, content: { "application/json": { schema: prop } } };
    case "string[]":
      return { ...described, schema: { type: "array", items: { type: "string" } }, style: "form", explode: false };
    case "number":
      return { ...described, schema: typed(prop, ["number", "integer"]) ?? { type: "number" } };
    case "boolean":
      return { ...described, schema: { type: "boolean" } };
    default:
      return { ...described, schema: typed(prop, ["string"]) ?? { type: "string" } };
  }
}

/** The body property's own schema when it already has the type a query value is read as. */
function typed(prop: JsonObject, accepted: string[]): JsonObject | undefined {
  const types = Array.isArray(prop.type) ? prop.type : [prop.type];
  return types.length > 0 && types.every((t) => accepted.includes(t as string) || t === "null") ? prop : undefined;
}
