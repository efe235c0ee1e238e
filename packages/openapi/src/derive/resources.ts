import { ConfigurationError, isJsonObject, type JsonObject } from "@strata/core";
import { allSchemas, atPointer, escapeSegment, type OpenApiDocument } from "../document/schemas";

/**
 * Where a resource's schema is in the head document: a component name (`"Key"`), a JSON
 * pointer (`"#/components/schemas/Key"`), several of those, or a test run on every schema of
 * the document (inline ones too). Without one, a resource is every schema whose `object`
 * property is that name as a `const` or single `enum` (Stripe's convention, the core's default).
 */
export type ResourceLocator = string | readonly string[] | ((schema: JsonObject, pointer: string) => boolean);

/** Find each resource's schemas in `doc` (called on every derived document: edits move them). */
export function resourceFinder(locators: Readonly<Record<string, ResourceLocator>>): (doc: OpenApiDocument, resource: string) => JsonObject[] {
  return (doc, resource) => {
    const locator = locators[resource] ?? ((schema: JsonObject) => namesObject(schema, resource));
    if (typeof locator === "function")
      return allSchemas(doc)
        .filter(([pointer, s]) => locator(s, pointer))
        .map(([, s]) => s);
    const names = typeof locator === "string" ? [locator] : locator;
    return names.map((name) => {
      const pointer = name.startsWith("#") ? name : `#/components/schemas/${escapeSegment(name)}`;
      const found = atPointer(doc, pointer);
      if (!isJsonObject(found))
        throw new ConfigurationError(`OpenAPI resources: "${resource}" names ${pointer}, which the head document does not have.`, resource);
      return found;
    });
  };
}

function namesObject(schema: JsonObject, resource: string): boolean {
  const props = schema.properties;
  if (!isJsonObject(props) || !isJsonObject(props.object)) return false;
  const tag = props.object;
  return tag.const === resource || (Array.isArray(tag.enum) && tag.enum.length === 1 && tag.enum[0] === resource);
}
