import { isObject, type JsonObject } from "./json";
import { child, deref, type Loc } from "./pointer";
import { record, sentence, walkOf, type Documents } from "./difference";
import { viewOf } from "./schema-walk";
import { compareSchemas } from "./schema-rules";
import type { OperationSite } from "./operations";

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required: boolean;
  /** Where the operation or path item lists it; `loc` is what that resolves to. */
  readonly site: string;
  readonly loc: Loc;
  readonly schema?: Loc;
  /** "query parameter `limit`" */
  readonly label: string;
}

function schemaOf(param: Loc): Loc | undefined {
  const { schema, content } = param.node;
  if (isObject(schema)) return { node: schema, pointer: child(param.pointer, "schema") };
  // A parameter with `content` has exactly one media type, whose schema is the parameter's.
  for (const [type, media] of Object.entries(isObject(content) ? content : {})) {
    if (isObject(media) && isObject(media.schema)) return { node: media.schema, pointer: child(param.pointer, "content", type, "schema") };
  }
  return undefined;
}

/**
 * The parameters of an operation, path item's and operation's merged (the operation's win by name
 * and location). Path parameters are keyed by their position in the template, so `{id}` renamed
 * `{keyId}` is the same parameter; header names are case-insensitive.
 */
function parametersOf(doc: JsonObject, site: OperationSite): Map<string, Parameter> {
  const positions = [...site.template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  const byId = new Map<string, Parameter>();
  for (const owner of [site.pathItem, site.op]) {
    const list = owner.node.parameters;
    if (!Array.isArray(list)) continue;
    list.forEach((node: unknown, i) => {
      if (!isObject(node)) return;
      const site = child(owner.pointer, "parameters", i);
      const loc = deref(doc, { node, pointer: site });
      const { name, in: where } = loc.node;
      if (typeof name !== "string" || typeof where !== "string") return;
      const required = where === "path" || loc.node.required === true;
      const id = `${where}:${where === "header" ? name.toLowerCase() : name}`;
      byId.set(id, { name, in: where, required, site, loc, schema: schemaOf(loc), label: `${where} parameter \`${name}\`` });
    });
  }
  const keyed = new Map<string, Parameter>();
  for (const [id, param] of byId) {
    const position = param.in === "path" ? positions.indexOf(param.name) : -1;
    keyed.set(position >= 0 ? `path#${position}` : id, param);
  }
  return keyed;
}

/** Compare the parameters of one operation: new required ones and narrowed schemas break clients. */
export function compareParameters(docs: Documents, operation: string, before: OperationSite, after: OperationSite): void {
  const [olds, news] = [parametersOf(docs.before, before), parametersOf(docs.after, after)];
  for (const [key, old] of olds) {
    const now = news.get(key);
    if (now === undefined) {
      // A server ignores query, header and cookie parameters it does not know; a path cannot lose one.
      record(docs, operation, "request-parameter-removed", old.in === "path", old.site, `${sentence(old.label)} of ${operation} was removed.`);
      continue;
    }
    if (!old.required && now.required) {
      record(docs, operation, "request-parameter-became-required", true, now.loc.pointer, `${sentence(now.label)} of ${operation} became required.`);
    }
    if (old.required && !now.required) {
      record(docs, operation, "request-parameter-became-optional", false, now.loc.pointer, `${sentence(now.label)} of ${operation} became optional.`);
    }
    const walk = walkOf(docs, "request", "request-parameter", operation, `${now.label} of ${operation}`);
    const view = (doc: JsonObject, p: Parameter) => viewOf(doc, p.schema === undefined ? [] : [p.schema], child(p.loc.pointer, "schema"));
    compareSchemas(walk, view(docs.before, old), view(docs.after, now), "");
  }
  for (const [key, now] of news) {
    if (olds.has(key)) continue;
    if (now.required) record(docs, operation, "request-parameter-required-added", true, now.site, `${operation} has a new required ${now.label}.`);
    else record(docs, operation, "request-parameter-added", false, now.site, `${operation} has a new optional ${now.label}.`);
  }
}
