import { isJsonObject, type JsonObject, type SchemaOp } from "@strata/core";
import { resolveSchema, type OpenApiDocument } from "../document/schemas";

type FieldOp = Extract<SchemaOp, { resource: string }>;

/**
 * Undo one field op on a resource schema, new -> old. Returns a note when the result is only
 * approximate (a removed field whose schema was not given).
 */
export function undoFieldOp(doc: OpenApiDocument, schema: JsonObject, op: FieldOp): string | undefined {
  switch (op.op) {
    case "renameField": {
      const owner = ownerOf(doc, schema, op.to);
      if (!owner) return undefined; // this schema never had the field: nothing to rename
      owner.properties = renameKey(owner.properties as JsonObject, op.to, op.from);
      if (Array.isArray(owner.required)) owner.required = owner.required.map((r) => (r === op.to ? op.from : r));
      return undefined;
    }
    case "addField": {
      const owner = ownerOf(doc, schema, op.field);
      if (!owner) return undefined;
      delete (owner.properties as JsonObject)[op.field];
      if (Array.isArray(owner.required)) {
        owner.required = owner.required.filter((r) => r !== op.field);
        if ((owner.required as unknown[]).length === 0) delete owner.required;
      }
      return undefined;
    }
    case "removeField": {
      const props = ((schema.properties as JsonObject | undefined) ??= {});
      props[op.field] = op.schema === undefined ? {} : structuredClone(op.schema);
      if (op.required) schema.required = [...new Set([...((schema.required as string[] | undefined) ?? []), op.field])];
      return op.schema === undefined ? `the schema of the removed field \`${op.field}\` is not given (any value)` : undefined;
    }
    case "renameEnumValues": {
      const owner = ownerOf(doc, schema, op.field);
      const field = owner && resolveSchema(doc, (owner.properties as JsonObject)[op.field]);
      if (field) renameValues(doc, field, new Map(Object.entries(op.values).map(([oldValue, newValue]) => [newValue, oldValue])));
      return undefined;
    }
  }
}

/** The schema among `schema` and its `allOf` members that declares `field`. */
function ownerOf(doc: OpenApiDocument, schema: JsonObject, field: string): JsonObject | undefined {
  if (isJsonObject(schema.properties) && Object.prototype.hasOwnProperty.call(schema.properties, field)) return schema;
  if (!Array.isArray(schema.allOf)) return undefined;
  for (const member of schema.allOf) {
    const resolved = resolveSchema(doc, member);
    const found = resolved && ownerOf(doc, resolved, field);
    if (found) return found;
  }
  return undefined;
}

/** The same properties with one renamed, in the same place (documents read in order). */
function renameKey(props: JsonObject, from: string, to: string): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(props)) if (k !== to || from === to) out[k === from ? to : k] = v;
  return out;
}

/** Replace enum values (`new -> old`) in `enum`, `const`, and the alternatives of a union. */
function renameValues(doc: OpenApiDocument, schema: JsonObject, map: Map<unknown, string>): void {
  if (Array.isArray(schema.enum)) schema.enum = schema.enum.map((v) => (map.has(v) ? map.get(v) : v));
  if (schema.const !== undefined && map.has(schema.const)) schema.const = map.get(schema.const);
  for (const key of ["oneOf", "anyOf"] as const) {
    if (Array.isArray(schema[key])) for (const alt of schema[key] as unknown[]) if (isJsonObject(alt)) renameValues(doc, resolveSchema(doc, alt) ?? alt, map);
  }
  if (isJsonObject(schema.items)) renameValues(doc, resolveSchema(doc, schema.items) ?? schema.items, map);
}
