import { isObject, type JsonObject } from "./json";
import { child, type Loc } from "./pointer";
import { record, sentence, walkOf, type Documents } from "./difference";
import { viewOf, type SchemaView } from "./schema-walk";
import { compareSchemas } from "./schema-rules";
import type { Direction } from "./narrowing";

interface MediaType {
  readonly name: string;
  readonly loc: Loc;
}

// `application/json; charset=utf-8` and `application/json` are the same media type for a client.
function mediaTypes(content: Loc | undefined): Map<string, MediaType> {
  const found = new Map<string, MediaType>();
  for (const [name, node] of Object.entries(content?.node ?? {})) {
    const key = name.split(";")[0].trim().toLowerCase();
    if (content !== undefined && isObject(node) && !found.has(key)) found.set(key, { name, loc: { node, pointer: child(content.pointer, name) } });
  }
  return found;
}

function schemaOf(doc: JsonObject, media: MediaType): SchemaView {
  const schema = media.loc.node.schema;
  const pointer = child(media.loc.pointer, "schema");
  return viewOf(doc, isObject(schema) ? [{ node: schema, pointer }] : [], pointer);
}

/**
 * Compare the `content` of a request body or a response: a media type removed breaks the clients
 * that send or ask for it, one added breaks nobody, and each kept one has its schema compared.
 */
export function compareContent(
  docs: Documents,
  operation: string,
  direction: Direction,
  before: Loc | undefined,
  after: Loc | undefined,
  subject: string,
): void {
  const [olds, news] = [mediaTypes(before), mediaTypes(after)];
  const several = olds.size > 1 || news.size > 1;
  for (const [key, old] of olds) {
    const now = news.get(key);
    if (now === undefined) {
      record(docs, operation, `${direction}-media-type-removed`, true, old.loc.pointer, `${sentence(subject)} no longer has the media type \`${old.name}\`.`);
      continue;
    }
    const walk = walkOf(docs, direction, direction, operation, several ? `${subject} (${now.name})` : subject);
    compareSchemas(walk, schemaOf(docs.before, old), schemaOf(docs.after, now), "");
  }
  for (const [key, now] of news) {
    if (!olds.has(key)) {
      record(docs, operation, `${direction}-media-type-added`, false, now.loc.pointer, `${sentence(subject)} has a new media type \`${now.name}\`.`);
    }
  }
}
