import type { Change, SchemaOp, SchemaTools, Version } from "@strata/core";
import { matchOperations, patternsOf } from "../document/operations";
import { resolveSchema, type OpenApiDocument } from "../document/schemas";
import { undoEndpointOp } from "./endpoint-ops";
import { undoFieldOp } from "./field-ops";
import { SchemaDeltaError } from "./errors";
import type { JsonObject } from "@strata/core";

/** Finds a resource's schemas in a document. */
export type FindResource = (doc: OpenApiDocument, resource: string) => JsonObject[];

/**
 * Undo one change on `doc` (new -> old), in place. Returns why the result is approximate, or
 * `undefined` when the change's delta says exactly what it does to the contract.
 */
export function undoChange(doc: OpenApiDocument, change: Change, version: Version, findResource: FindResource): string | undefined {
  const delta = change.schema;
  if (delta === undefined) return change.kind === "side-effect" ? undefined : "it has no schema delta";
  const notes: string[] = [];
  const tools: SchemaTools = {
    version,
    operations: (route) =>
      matchOperations(doc, patternsOf(route, `Change "${change.description}"`)).map(({ method, path, operation }) => ({ method, path, operation })),
    resourceSchemas: (resource) => findResource(doc, resource),
    resolve: (schema) => resolveSchema(doc, schema),
    apply: (ops) => applyOps(doc, ops, change.description, findResource, notes),
  };
  try {
    if (typeof delta === "function") delta(doc, tools);
    else tools.apply(delta);
  } catch (err) {
    if (err instanceof SchemaDeltaError) throw err;
    throw new SchemaDeltaError(change.description, err instanceof Error ? err.message : String(err));
  }
  return notes.length > 0 ? notes.join("; ") : undefined;
}

function applyOps(doc: OpenApiDocument, ops: readonly SchemaOp[], owner: string, findResource: FindResource, notes: string[]): void {
  for (const op of ops) {
    if ("resource" in op) {
      const schemas = findResource(doc, op.resource);
      const missing = `the document has no schema for the resource "${op.resource}" (map it with the \`resources\` option)`;
      if (schemas.length === 0 && !notes.includes(missing)) notes.push(missing);
      for (const schema of schemas) {
        const note = undoFieldOp(doc, schema, op);
        if (note && !notes.includes(note)) notes.push(note);
      }
    } else {
      const note = undoEndpointOp(doc, op, owner);
      if (note && !notes.includes(note)) notes.push(note);
    }
  }
}
