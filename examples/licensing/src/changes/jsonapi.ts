import { change, isJsonObject, type Change, type JsonObject, type SchemaTools } from "@strata/core";

/**
 * Strata's field helpers (`renameField`, `addField`, ...) act on a resource object's own
 * fields. A JSON:API resource keeps its fields one level down, in `attributes` and
 * `relationships`, so the changes of this API reach in there themselves, and state their
 * schema delta on the `attributes` / `relationships` schemas of the resource.
 */

/** JSON:API resources by Strata resource name: recognised by `type`, with a body (not a bare `{ type, id }` identifier). */
const isResource =
  (type: string) =>
  (o: JsonObject): boolean =>
    o.type === type && (isJsonObject(o.attributes) || isJsonObject(o.relationships));

export const RESOURCES = {
  account: isResource("accounts"),
  product: isResource("products"),
  policy: isResource("policies"),
  user: isResource("users"),
  license: isResource("licenses"),
  machine: isResource("machines"),
  webhookEndpoint: isResource("webhook-endpoints"),
  webhookEvent: isResource("webhook-events"),
  /** A validation's `meta` (`{ ts, valid, detail, code }`): treated as a resource so changes reach it in responses and events alike. */
  validation: (o: JsonObject): boolean => typeof o.valid === "boolean" && typeof o.detail === "string",
} satisfies Record<string, (o: JsonObject) => boolean>;

export type ResourceName = keyof typeof RESOURCES;

/** The object under `member` (`attributes`, `relationships`), if the resource has one. */
export const memberOf = (resource: JsonObject, member: "attributes" | "relationships"): JsonObject | undefined => {
  const value = resource[member];
  return isJsonObject(value) ? value : undefined;
};

/** Move `from` to `to` in `obj`, if `from` is there. */
export function renameKey(obj: JsonObject | undefined, from: string, to: string): void {
  if (!obj || !Object.prototype.hasOwnProperty.call(obj, from)) return;
  obj[to] = obj[from];
  delete obj[from];
}

/**
 * The `attributes` or `relationships` schemas of a resource in the document being derived:
 * of every schema the contracts locate for it (the resource as answered, and as sent), or of
 * the one component named.
 */
export function memberSchemas(tools: SchemaTools, resource: ResourceName, member: "attributes" | "relationships", component?: string): JsonObject[] {
  const out: JsonObject[] = [];
  const schemas =
    component === undefined ? tools.resourceSchemas(resource) : [tools.resolve({ $ref: `#/components/schemas/${component}` })].filter(isJsonObject);
  for (const schema of schemas) {
    const props = isJsonObject(schema.properties) ? schema.properties : undefined;
    const found = props ? tools.resolve(props[member]) : undefined;
    if (found) out.push(found);
  }
  if (out.length === 0) throw new Error(`the document has no ${member} schema for ${resource}`);
  return out;
}

/** In an object schema: property `to` was called `from` (same schema, same required-ness). */
export function renameProperty(schema: JsonObject, to: string, from: string): void {
  const props = schema.properties as JsonObject;
  if (!isJsonObject(props) || props[to] === undefined) throw new Error(`no property ${to} to rename to ${from}`);
  props[from] = props[to];
  delete props[to];
  if (Array.isArray(schema.required)) schema.required = schema.required.map((r) => (r === to ? from : r));
}

/** In an object schema: property `name` did not exist. */
export function dropProperty(schema: JsonObject, name: string): void {
  delete (schema.properties as JsonObject)[name];
  if (Array.isArray(schema.required)) schema.required = schema.required.filter((r) => r !== name);
}

/** In an object schema: property `name` existed, with `property` as its schema. */
export function addProperty(schema: JsonObject, name: string, property: JsonObject, required: boolean): void {
  (schema.properties as JsonObject)[name] = property;
  if (required) schema.required = [...(Array.isArray(schema.required) ? schema.required : []), name];
}

/**
 * An attribute of a JSON:API resource was renamed: older clients send and receive `from`,
 * the handlers see `to`. `renameField` for `data.attributes`.
 */
export function renameAttribute(resource: ResourceName, from: string, to: string, description: string): Change {
  return change({
    description,
    resource,
    request: (r) => renameKey(memberOf(r, "attributes"), from, to),
    response: (r) => renameKey(memberOf(r, "attributes"), to, from),
    schema: (_doc, tools) => {
      for (const attributes of memberSchemas(tools, resource, "attributes")) renameProperty(attributes, to, from);
    },
  });
}
