import { isJsonObject, type JsonObject, type VersionSet, type WalkGuide } from "@strata/core";
import { resolveSchema, type OpenApiDocument } from "../document/schemas";
import { jsonContent, OperationIndex } from "../check/operation-index";
import type { FindResource } from "../derive/apply";

/** Walk guides per operation and status, for `versioning({ walkGuides })`. */
export interface WalkGuides {
  /** The guide of a head-shaped response of `method path` with `status`, or `undefined` to walk it whole. */
  find(method: string, path: string, status: number): WalkGuide | undefined;
  /** Why no guide is given at all (a resource the document does not locate), if so. */
  readonly unavailable?: string;
}

const ANY: WalkGuide = Object.freeze({ any: true });

/**
 * Where the head document says resources can be in each response: the walk enters only there.
 * As exact as the document: a response holding a resource where its schema says none can be
 * leaves that resource unmigrated, so guides are for documents the contract check keeps true.
 * Schemas that do not say (`{}`, a free-form object, recursion) are walked whole.
 */
export function walkGuides(versions: VersionSet, head: OpenApiDocument, findResource: FindResource): WalkGuides {
  const names = new Set<string>();
  for (const v of versions.list) for (const c of v.changes) if (c.kind === "resource") names.add(c.resource);
  const resources = new Set<JsonObject>();
  for (const name of names) {
    const found = findResource(head, name);
    if (found.length === 0) {
      const unavailable = `the document has no schema for the resource "${name}"`;
      return { find: () => undefined, unavailable };
    }
    for (const s of found) resources.add(s);
  }
  const index = new OperationIndex(head);
  const guideOfSchema = schemaGuides(head, resources);
  const byResponse = new Map<string, WalkGuide | undefined>();
  return {
    find(method, path, status) {
      const op = index.find(method, path);
      if (!op) return undefined;
      const responses = resolveSchema(head, op.operation.responses) ?? {};
      const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => responses[k] !== undefined);
      if (key === undefined) return undefined;
      const cacheKey = `${op.label} ${key}`;
      if (!byResponse.has(cacheKey)) {
        const response = resolveSchema(head, responses[key]);
        const media = response && jsonContent(response.content);
        // No resource anywhere below: an empty guide, so the walk enters nothing.
        byResponse.set(cacheKey, media && isJsonObject(media[1].schema) ? (guideOfSchema(media[1].schema) ?? {}) : undefined);
      }
      return byResponse.get(cacheKey);
    },
  };
}

/** The guide of a schema, or `null` when no resource can be below it. */
function schemaGuides(doc: OpenApiDocument, resources: ReadonlySet<JsonObject>): (schema: unknown) => WalkGuide | null {
  const memo = new Map<JsonObject, WalkGuide | null>();
  const inProgress = new Set<JsonObject>();
  const guideOf = (node: unknown): WalkGuide | null => {
    if (node === true) return ANY;
    const schema = resolveSchema(doc, node);
    if (!schema) return node === false ? null : ANY;
    if (memo.has(schema)) return memo.get(schema)!;
    if (inProgress.has(schema)) return ANY; // recursive: the depth is not known
    inProgress.add(schema);
    const guide = compute(schema);
    inProgress.delete(schema);
    memo.set(schema, guide);
    return guide;
  };
  const compute = (schema: JsonObject): WalkGuide | null => {
    let guide: WalkGuide | null = resources.has(schema) ? { visit: true } : null;
    for (const key of ["allOf", "oneOf", "anyOf"] as const) {
      if (Array.isArray(schema[key])) for (const member of schema[key] as unknown[]) guide = merge(guide, guideOf(member));
    }
    if (isJsonObject(schema.properties)) {
      const keys: Record<string, WalkGuide> = {};
      for (const [name, prop] of Object.entries(schema.properties)) {
        const g = guideOf(prop);
        if (g) keys[name] = g;
      }
      if (Object.keys(keys).length > 0) guide = merge(guide, { keys });
    }
    if (schema.items !== undefined) {
      const g = guideOf(schema.items);
      if (g) guide = merge(guide, { items: g });
    }
    const open = schema.additionalProperties ?? schema.patternProperties;
    if (isJsonObject(open) && guideOf(open) !== null) return ANY; // keys not known in advance
    if (schema.prefixItems !== undefined || freeForm(schema)) return ANY;
    return guide;
  };
  return guideOf;
}

/** A schema that says nothing about what is inside: `{}`, a bare object or array type. */
function freeForm(schema: JsonObject): boolean {
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const composed = ["allOf", "oneOf", "anyOf", "$ref", "enum", "const"].some((k) => schema[k] !== undefined);
  if (types.length === 0) return !composed && schema.properties === undefined && schema.items === undefined;
  if (types.includes("object") && schema.properties === undefined && !composed && schema.additionalProperties === undefined) return true;
  return types.includes("array") && schema.items === undefined && !composed;
}

function merge(a: WalkGuide | null, b: WalkGuide | null): WalkGuide | null {
  if (!a) return b;
  if (!b) return a;
  if (a.any || b.any) return ANY;
  const keys: Record<string, WalkGuide> = { ...(a.keys ?? {}) };
  for (const [k, g] of Object.entries(b.keys ?? {})) keys[k] = merge(keys[k] ?? null, g)!;
  const items = merge(a.items ?? null, b.items ?? null);
  return {
    ...(a.visit || b.visit ? { visit: true } : {}),
    ...(Object.keys(keys).length > 0 ? { keys } : {}),
    ...(items ? { items } : {}),
  };
}
