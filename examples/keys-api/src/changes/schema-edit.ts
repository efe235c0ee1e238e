import { isJsonObject, type JsonObject, type SchemaOperation, type SchemaTools } from "@strata/core";

/**
 * Small helpers for the changes' schema deltas, which edit the OpenAPI document new -> old.
 * Every accessor follows `$ref`s, so an edit lands on the component the operation uses.
 */

export type Schema = JsonObject;

/** One operation a delta edits, with the parts of it deltas touch. */
export interface EditedOperation extends SchemaOperation {
  /** The JSON request body's schema. Its examples are dropped: they show the newer shape. */
  body(): Schema;
  /** The 200 answer's JSON schema (the `{meta, data}` envelope until it is undone). Its examples are dropped. */
  answer(): Schema;
  /** The envelope's `data` schema. */
  data(): Schema;
  /** Replace the envelope's `data` schema. */
  setData(schema: Schema): void;
}

/** Run `edit` on each operation `routes` names; a route that names none fails at startup. */
export function eachOperation(tools: SchemaTools, routes: string | readonly string[], edit: (op: EditedOperation) => void): void {
  for (const route of typeof routes === "string" ? [routes] : routes) {
    const found = tools.operations(route);
    if (found.length === 0) throw new Error(`the document has no operation ${route}`);
    for (const op of found) edit(edited(tools, op));
  }
}

function edited(tools: SchemaTools, op: SchemaOperation): EditedOperation {
  const where = `${op.method} ${op.path}`;
  const media = (holder: unknown, what: string): JsonObject => {
    const content = tools.resolve(holder)?.content;
    const json = isJsonObject(content) ? tools.resolve(content["application/json"]) : undefined;
    if (!json) throw new Error(`${where} has no JSON ${what}`);
    delete json.example;
    delete json.examples;
    return json;
  };
  const schemaOf = (m: JsonObject, what: string): Schema => {
    const s = tools.resolve(m.schema);
    if (!s) throw new Error(`${where} has no schema for its ${what}`);
    return s;
  };
  const answer = () => schemaOf(media((tools.resolve(op.operation.responses) ?? {})["200"], "200 answer"), "200 answer");
  const data = () => {
    const s = tools.resolve(props(answer()).data);
    if (!s) throw new Error(`${where} answers no \`data\``);
    return s;
  };
  return {
    ...op,
    body: () => schemaOf(media(op.operation.requestBody, "request body"), "request body"),
    answer,
    data,
    setData: (schema) => void (props(answer()).data = schema),
  };
}

/** A schema's `properties`, created if missing. */
export function props(schema: Schema): Record<string, unknown> {
  if (!isJsonObject(schema.properties)) schema.properties = {};
  return schema.properties as Record<string, unknown>;
}

/** Add (or replace) properties; `required` lists those of them that were required. */
export function addProps(schema: Schema, added: Record<string, Schema>, required: readonly string[] = []): void {
  Object.assign(props(schema), structuredClone(added));
  for (const name of required) setRequired(schema, name, true);
}

/**
 * The property `now` replaced the properties `was` (`credits` replaced `remaining` and `refill`):
 * they take its place; `required` lists those of them that were required.
 */
export function replaceProp(schema: Schema, now: string, was: Record<string, Schema>, required: readonly string[] = []): void {
  const entries = Object.entries(props(schema));
  const at = entries.findIndex(([k]) => k === now);
  const older = Object.entries(structuredClone(was));
  entries.splice(at < 0 ? entries.length : at, at < 0 ? 0 : 1, ...older);
  schema.properties = Object.fromEntries(entries);
  setRequired(schema, now, false);
  for (const name of required) setRequired(schema, name, true);
}

/** Remove properties (and their `required` entries). */
export function removeProps(schema: Schema, ...names: string[]): void {
  for (const name of names) {
    delete props(schema)[name];
    setRequired(schema, name, false);
  }
}

/** Properties that had other names, `{ now: was }`: same place, same schema, same required-ness. */
export function renameBack(schema: Schema, names: Record<string, string>): void {
  const was = (name: string) => names[name] ?? name;
  schema.properties = Object.fromEntries(Object.entries(props(schema)).map(([k, v]) => [was(k), v]));
  if (Array.isArray(schema.required)) schema.required = schema.required.map((r) => was(r as string));
}

export function setRequired(schema: Schema, name: string, required: boolean): void {
  const list = Array.isArray(schema.required) ? (schema.required as string[]).filter((r) => r !== name) : [];
  if (required) list.push(name);
  if (list.length > 0) schema.required = list;
  else delete schema.required;
}

/**
 * Put the older version's words in a description (an operation's, a schema's) where the newer
 * ones would be false: `from` must be there, so a head document that changes fails loudly.
 */
export function reword(target: JsonObject, from: string, to: string): void {
  const text = typeof target.description === "string" ? target.description : "";
  if (!text.includes(from)) throw new Error(`the description ${JSON.stringify(text)} does not say ${JSON.stringify(from)}`);
  target.description = text.replace(from, to);
}

/** `{ $ref }` to a component schema. */
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** The document's component schemas, created if missing. */
export function componentSchemas(document: JsonObject): Record<string, unknown> {
  const components = isJsonObject(document.components) ? document.components : (document.components = {});
  if (!isJsonObject(components.schemas)) components.schemas = {};
  return components.schemas as Record<string, unknown>;
}

/**
 * Drop the component schemas nothing refers to any more (once a delta replaced their last use),
 * so an older document lists only the shapes of its own version.
 */
export function dropUnusedSchemas(document: JsonObject): void {
  const schemas = componentSchemas(document);
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isJsonObject(node)) {
      const target = typeof node.$ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(node.$ref)?.[1] : undefined;
      if (target !== undefined && !used.has(target)) {
        used.add(target);
        visit(schemas[target]);
      }
      for (const value of Object.values(node)) visit(value);
    }
  };
  // From everything but the component schemas themselves: they count only when reached.
  visit({ ...document, components: { ...(document.components as JsonObject), schemas: undefined } });
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}
