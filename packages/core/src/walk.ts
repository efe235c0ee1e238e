import type { JsonObject } from "./shapes";

/** Tells which resource type a JSON object is, if any. */
export type ResourceIdentifier = (value: JsonObject) => string | undefined;

/** Stripe's convention: an object names its own type in an `object` field. */
export const byObjectField: ResourceIdentifier = (value) => {
  const type = value["object"];
  return typeof type === "string" ? type : undefined;
};

/**
 * Visit every object in `value` once, pre-order: `visit` may return a replacement, whose
 * children are then visited. Arrays are entered but not visited. The migrator fuses all the
 * resource changes of a stretch of the chain into one visitor, so ten resource changes cost
 * one traversal plus ten small functions per resource.
 */
export function walkObjects(value: unknown, visit: (obj: JsonObject) => JsonObject, depth = 0): unknown {
  if (typeof value !== "object" || value === null || depth > 256) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null) {
        const next = walkObjects(item, visit, depth + 1);
        if (next !== item) value[i] = next;
      }
    }
    return value;
  }
  const obj = visit(value as JsonObject);
  for (const key in obj) {
    const child = obj[key];
    if (typeof child === "object" && child !== null) {
      const next = walkObjects(child, visit, depth + 1);
      if (next !== child) obj[key] = next;
    }
  }
  return obj;
}
