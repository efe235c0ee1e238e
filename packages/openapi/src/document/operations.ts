import { isJsonObject, routePattern, type JsonObject, type RoutePattern, type RouteSpec } from "@strata/core";
import type { OpenApiDocument } from "./schemas";

/** The extension that carries each operation's head route through every derived document. */
export const HEAD_OPERATION = "x-strata-operation";

export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** One operation of a document. */
export interface DocumentOperation {
  /** Upper case. */
  readonly method: string;
  /** The OpenAPI path template. */
  readonly path: string;
  readonly operation: JsonObject;
}

/** Every operation of the document, in document order. */
export function operationsOf(doc: OpenApiDocument): DocumentOperation[] {
  const out: DocumentOperation[] = [];
  if (!isJsonObject(doc.paths)) return out;
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isJsonObject(item)) continue;
    for (const m of METHODS) if (isJsonObject(item[m])) out.push({ method: m.toUpperCase(), path, operation: item[m] });
  }
  return out;
}

/** `/licenses/:id` (Express) as an OpenAPI template, `/licenses/{id}`. */
export function toTemplate(pattern: RoutePattern, params: Record<string, string>): string {
  return decodeURIComponent(pattern.build(params));
}

/** The route patterns of a spec or list of specs. */
export function patternsOf(route: RouteSpec | readonly RouteSpec[], owner: string): RoutePattern[] {
  const specs = Array.isArray(route) ? (route as readonly RouteSpec[]) : [route as RouteSpec];
  return specs.map((s) => routePattern(s, owner));
}

/** The operations `pattern` matches, with the params it reads from each template. */
export function matchOperations(
  doc: OpenApiDocument,
  patterns: readonly RoutePattern[],
): (DocumentOperation & { params: Record<string, string>; pattern: RoutePattern })[] {
  const out: (DocumentOperation & { params: Record<string, string>; pattern: RoutePattern })[] = [];
  for (const op of operationsOf(doc)) {
    for (const pattern of patterns) {
      // HEAD is matched by GET patterns at request time; in a document, HEAD is its own operation.
      if (pattern.method === "GET" && op.method === "HEAD") continue;
      // A template is a path a pattern can match: `{id}` is a segment of its own, so
      // `/licenses/:id` matches `/licenses/{id}` (with id = "{id}") and `/licenses/locations` does not.
      const params = pattern.match(op.method, op.path);
      if (params) {
        out.push({ ...op, params, pattern });
        break;
      }
    }
  }
  return out;
}

/** The path item's own parameters, which its operations inherit (copied before an operation leaves it). */
export function inheritedParameters(doc: OpenApiDocument, path: string): unknown[] {
  const item = (doc.paths as Record<string, JsonObject>)[path];
  return item && Array.isArray(item.parameters) ? item.parameters : [];
}

/** Put `operation` at `method path`, creating the path item; refuses to overwrite one. */
export function placeOperation(doc: OpenApiDocument, method: string, path: string, operation: JsonObject): boolean {
  const paths = (doc.paths ??= {}) as Record<string, JsonObject>;
  const item = (paths[path] ??= {});
  const key = method.toLowerCase();
  if (item[key] !== undefined) return false;
  item[key] = operation;
  return true;
}

/** Take the operation out of its path item (and the path item out when it holds no operation). */
export function removeOperation(doc: OpenApiDocument, method: string, path: string): void {
  const paths = doc.paths as Record<string, JsonObject>;
  const item = paths[path];
  if (!item) return;
  delete item[method.toLowerCase()];
  if (!METHODS.some((m) => item[m] !== undefined)) delete paths[path];
}
