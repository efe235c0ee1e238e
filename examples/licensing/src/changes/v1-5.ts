import { change, isJsonObject, type JsonObject } from "@strata/core";

/**
 * 1.5: nested metadata keys keep their case. Up to 1.4 Keygen answered keys *inside* metadata
 * values in snake_case (`{"tier": {"seatCount": 5}}` came back as `{"tier": {"seat_count": 5}}`);
 * 1.5 fixed that, and `update_nested_key_casing_to_snakecase_for_metadata` keeps the old
 * casing for older clients. Every resource type has metadata, in single documents and lists,
 * so this is one global change (responses and events) rather than one per resource.
 */

const snake = (key: string): string =>
  key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();

/** Deep snake_case of the keys of `value` (objects, and objects inside arrays). */
function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) out[snake(key)] = snakeKeys(v);
  return out;
}

/** The top-level keys of metadata stay as written; what is nested below them goes snake_case. */
function snakeNestedMetadata(document: JsonObject): JsonObject {
  const resources = [document.data, document.included].flatMap((d) => (Array.isArray(d) ? d : [d]));
  for (const resource of resources) {
    const attributes = isJsonObject(resource) && isJsonObject(resource.attributes) ? resource.attributes : undefined;
    if (!attributes || !isJsonObject(attributes.metadata)) continue;
    const metadata = attributes.metadata;
    for (const key of Object.keys(metadata)) metadata[key] = snakeKeys(metadata[key]);
  }
  return document;
}

export const metadataKeysKeepCase = change({
  description:
    "Keys nested inside `metadata` values keep the case they were written in. Before 1.5 they were answered in snake_case (`seatCount` as `seat_count`); top-level metadata keys are unchanged.",
  response: (res) => {
    if (isJsonObject(res.body)) snakeNestedMetadata(res.body);
  },
  event: (payload) => snakeNestedMetadata(payload),
  // Metadata is a free-form object in every version's document: no shape changes.
  schema: [],
});
