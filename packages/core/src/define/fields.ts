import { change, topLevelOnly, withMoves, type Change } from "./change";
import { compileMoves } from "../compile/field-moves";
import { ConfigurationError } from "../errors";
import { isForbiddenKey } from "../run/safe-object";
import type { JsonObject } from "../shapes";

function checkField(helper: string, field: string): void {
  if (typeof field !== "string" || !field || isForbiddenKey(field)) {
    throw new ConfigurationError(`${helper}(): invalid field name ${JSON.stringify(field)}.`, String(field));
  }
}

const has = (obj: JsonObject, key: string) => Object.prototype.hasOwnProperty.call(obj, key);

/**
 * A field of a resource was renamed. Old clients send and receive `from`; the handlers see `to`.
 *
 * In responses the new name is left as `undefined` rather than deleted: JSON omits it just the
 * same, and V8 keeps the object in its fast mode, where `delete` would make every later access
 * and the serialisation markedly slower. Request bodies, which handlers inspect, are cleaned.
 *
 * @example
 * renameField("key", "ownerId", "externalId")
 */
export function renameField(resource: string, from: string, to: string, options: { description?: string } = {}): Change {
  checkField("renameField", from);
  checkField("renameField", to);
  const moves = { request: [[from, to]], response: [[to, from]] } as const;
  const renamed = change({
    description: options.description ?? `\`${from}\` on ${resource} is renamed to \`${to}\`.`,
    resource,
    request: compileMoves(moves.request, "request"),
    response: compileMoves(moves.response, "response"),
    schema: [{ op: "renameField", resource, from, to }],
  });
  return withMoves(renamed, moves);
}

/**
 * A field was added to a resource. Old clients never see it; when they create or update the
 * resource, `default` (a value or a function of the resource) fills it in.
 */
export function addField(resource: string, field: string, options: { default?: unknown; description?: string } = {}): Change {
  checkField("addField", field);
  const fill = options.default;
  const hasDefault = has(options as JsonObject, "default");
  const drop = [[field, null]] as const;
  const added = change({
    description: options.description ?? `\`${field}\` is added to ${resource}.`,
    resource,
    ...(hasDefault
      ? {
          request: (obj: JsonObject) => {
            if (!has(obj, field)) obj[field] = typeof fill === "function" ? (fill as (o: JsonObject) => unknown)(obj) : structuredClone(fill);
          },
        }
      : {}),
    response: compileMoves(drop, "response"),
    schema: [{ op: "addField", resource, field }],
  });
  return withMoves(added, { response: drop });
}

/**
 * A field was removed from a resource. Old clients still receive it, computed by `value` (a
 * constant or a function of the resource); what they send for it is dropped. `schema` (its
 * JSON Schema) documents it in older versions' OpenAPI documents, `required` marks it as
 * always present there (older clients always receive it).
 *
 * @example
 * removeField("key", "workspaceId", { value: (key) => workspaceOf(key), schema: { type: "string" } })
 */
export function removeField(
  resource: string,
  field: string,
  options: { value: unknown; schema?: JsonObject; required?: boolean; description?: string },
): Change {
  checkField("removeField", field);
  if (!options || !has(options as JsonObject, "value")) {
    throw new ConfigurationError(`removeField("${resource}", "${field}"): give \`value\`, what old clients receive in its place.`, field);
  }
  const value = options.value;
  return topLevelOnly(
    change({
      description: options.description ?? `\`${field}\` is removed from ${resource}.`,
      resource,
      request: (obj) => {
        delete obj[field];
      },
      response: (obj) => {
        obj[field] = typeof value === "function" ? (value as (o: JsonObject) => unknown)(obj) : structuredClone(value);
      },
      schema: [
        {
          op: "removeField",
          resource,
          field,
          ...(options.schema === undefined ? {} : { schema: options.schema }),
          ...(options.required ? { required: true } : {}),
        },
      ],
    }),
  );
}

/** Values of an enum field were renamed: `{ oldValue: newValue }`. */
export function renameEnumValues(resource: string, field: string, mapping: Record<string, string>, options: { description?: string } = {}): Change {
  checkField("renameEnumValues", field);
  const forward = new Map(Object.entries(mapping));
  const backward = new Map(Object.entries(mapping).map(([o, n]) => [n, o]));
  if (forward.size === 0 || backward.size !== forward.size) {
    throw new ConfigurationError(`renameEnumValues("${resource}", "${field}"): the mapping must be non-empty and one-to-one.`, field);
  }
  const list = [...forward].map(([o, n]) => `\`${o}\` → \`${n}\``).join(", ");
  const swap = (obj: JsonObject, map: Map<string, string>) => {
    const v = obj[field];
    if (typeof v === "string" && map.has(v)) obj[field] = map.get(v);
  };
  return topLevelOnly(
    change({
      description: options.description ?? `Values of \`${field}\` on ${resource} are renamed: ${list}.`,
      resource,
      request: (obj) => swap(obj, forward),
      response: (obj) => swap(obj, backward),
      schema: [{ op: "renameEnumValues", resource, field, values: { ...mapping } }],
    }),
  );
}
