import { ConfigurationError } from "../errors";
import { routePattern, type RouteSpec } from "./route";
import type { QueryValueType } from "./endpoints";
import type { Version } from "./change";
import type { JsonObject } from "../shapes";

/**
 * One effect of a change on the API's contract, as data: what the document of the version
 * before the change looks like, given the document after it. The declarative helpers attach
 * theirs; a hand-written `change()` may list them (or give a function, {@link SchemaTransform}).
 * `@strata/openapi` applies them to derive one OpenAPI document per version.
 */
export type SchemaOp =
  /** The field is `to` now and was `from` before. */
  | { readonly op: "renameField"; readonly resource: string; readonly from: string; readonly to: string }
  /** The field did not exist before. */
  | { readonly op: "addField"; readonly resource: string; readonly field: string }
  /** The field existed before, with `schema` (any value when not given: the document is then approximate). */
  | { readonly op: "removeField"; readonly resource: string; readonly field: string; readonly schema?: JsonObject; readonly required?: boolean }
  /** Enum values were renamed, `{ oldValue: newValue }`. */
  | { readonly op: "renameEnumValues"; readonly resource: string; readonly field: string; readonly values: Readonly<Record<string, string>> }
  /** The endpoint is `to` now and was `from` before; params carry over by name, as `moveEndpoint` moves them. */
  | { readonly op: "moveEndpoint"; readonly from: RouteSpec; readonly to: RouteSpec; readonly except?: readonly RouteSpec[] }
  /** The endpoint is `to` with a JSON body now, and was `from` with query parameters of these types. */
  | { readonly op: "moveQueryToBody"; readonly from: RouteSpec; readonly to: RouteSpec; readonly types?: Readonly<Record<string, QueryValueType>> }
  /** The endpoints did not exist before. */
  | { readonly op: "addEndpoint"; readonly routes: readonly RouteSpec[] };

/** An operation of the document being derived, as the newer version has it. */
export interface SchemaOperation {
  /** Upper case. */
  readonly method: string;
  /** The OpenAPI path template, `/v2/keys/{keyId}`. */
  readonly path: string;
  /** The operation object itself: edit it in place. */
  readonly operation: JsonObject;
}

/** What a {@link SchemaTransform} may use on the document it edits. */
export interface SchemaTools {
  /** The version whose document is being derived: the one just before the change. */
  readonly version: Version;
  /** The operations whose method and path match `route` (path-to-regexp syntax, like `routes`). */
  operations(route: RouteSpec | readonly RouteSpec[]): SchemaOperation[];
  /** Every schema object of the document that describes the resource, wherever it is. */
  resourceSchemas(resource: string): JsonObject[];
  /** The schema a local `$ref` points at (followed until it is not a `$ref`), or the schema itself. */
  resolve(schema: unknown): JsonObject | undefined;
  /** Apply declarative ops, as if the change had listed them. */
  apply(ops: readonly SchemaOp[]): void;
}

/** New -> old on a copy of the whole OpenAPI document, for effects no {@link SchemaOp} states. */
export type SchemaTransform = (document: JsonObject, tools: SchemaTools) => void;

/**
 * A change's effect on the contract: ops, a transform, or `[]` for a change that alters no
 * shape (behaviour only). A change without one makes the derived documents approximate.
 */
export type SchemaDelta = readonly SchemaOp[] | SchemaTransform;

const FIELDS: Record<SchemaOp["op"], readonly string[]> = {
  renameField: ["resource", "from", "to"],
  addField: ["resource", "field"],
  removeField: ["resource", "field"],
  renameEnumValues: ["resource", "field"],
  moveEndpoint: ["from", "to"],
  moveQueryToBody: ["from", "to"],
  addEndpoint: [],
};

/** Validate a `schema` option once, at startup, naming the change and the op at fault. */
export function checkSchemaDelta(delta: unknown, owner: string): SchemaDelta {
  if (typeof delta === "function") return delta as SchemaTransform;
  if (!Array.isArray(delta)) throw new ConfigurationError(`${owner}: \`schema\` must be a list of schema ops or a function (document, tools) => void.`, owner);
  return Object.freeze(delta.map((op: unknown, i) => Object.freeze(checkOp(op, `${owner}: schema[${i}]`))));
}

function checkOp(op: unknown, where: string): SchemaOp {
  if (typeof op !== "object" || op === null) throw new ConfigurationError(`${where} must be an object like { op: "renameField", ... }.`, where);
  const o = op as Record<string, unknown>;
  const required = FIELDS[o.op as SchemaOp["op"]];
  if (!required || !Object.prototype.hasOwnProperty.call(FIELDS, o.op as string)) {
    throw new ConfigurationError(`${where}: unknown op ${JSON.stringify(o.op)}. Known ops: ${Object.keys(FIELDS).join(", ")}.`, where);
  }
  for (const key of required) {
    const value = o[key];
    const ok = key === "from" || key === "to" ? isRoute(value) || (typeof value === "string" && value !== "") : typeof value === "string" && value !== "";
    if (!ok) throw new ConfigurationError(`${where} (${o.op}): \`${key}\` must be a non-empty string.`, where);
  }
  if (o.op === "moveEndpoint" || o.op === "moveQueryToBody") {
    routePattern(o.from as RouteSpec, where);
    routePattern(o.to as RouteSpec, where);
  }
  if (o.op === "addEndpoint") {
    if (!Array.isArray(o.routes) || o.routes.length === 0)
      throw new ConfigurationError(`${where} (addEndpoint): \`routes\` must list at least one route.`, where);
    for (const r of o.routes) routePattern(r as RouteSpec, where);
  }
  if (o.op === "renameEnumValues" && (typeof o.values !== "object" || o.values === null || Object.keys(o.values).length === 0)) {
    throw new ConfigurationError(`${where} (renameEnumValues): \`values\` must map old values to new ones.`, where);
  }
  if (o.op === "removeField" && o.schema !== undefined && (typeof o.schema !== "object" || o.schema === null)) {
    throw new ConfigurationError(`${where} (removeField): \`schema\` must be a JSON Schema object.`, where);
  }
  return o as unknown as SchemaOp;
}

function isRoute(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { path?: unknown }).path === "string";
}
