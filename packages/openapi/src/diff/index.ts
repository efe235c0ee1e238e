import { isObject, type JsonObject } from "./json";
import { compareOperations } from "./operations";
import type { ContractDifference, Documents } from "./difference";

export type { ContractDifference } from "./difference";

function documentOf(value: object, name: string): JsonObject {
  if (!isObject(value)) throw new TypeError(`diffDocuments: \`${name}\` must be an OpenAPI document (a JSON object).`);
  return value;
}

/**
 * The differences between two OpenAPI 3.1 documents, each classified as breaking or not for a
 * client written against `before`: operations matched by method and path, then their parameters,
 * request bodies and responses, schemas compared with local `$ref`s followed and `allOf` merged.
 * Neither document is modified. Differences come in the order of `before`'s operations, added
 * endpoints last; two identical documents give `[]`.
 *
 * @example
 * const breaking = diffDocuments(released, head).filter((d) => d.breaking);
 * if (breaking.length > 0) throw new Error(breaking.map((d) => d.message).join("\n"));
 */
export function diffDocuments(before: object, after: object): ContractDifference[] {
  const docs: Documents = { before: documentOf(before, "before"), after: documentOf(after, "after"), out: [] };
  compareOperations(docs);
  return docs.out;
}
