import { isObject, type JsonObject } from "./json";
import { child, deref, ROOT, type Loc } from "./pointer";
import { record, type Documents } from "./difference";
import { compareParameters } from "./parameters";
import { compareRequestBody, compareResponses } from "./bodies";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** One operation of a document, with the path item it belongs to. */
export interface OperationSite {
  /** "GET /v1/keys/{id}" */
  readonly name: string;
  readonly template: string;
  readonly pathItem: Loc;
  readonly op: Loc;
}

/** The operations of a document by method and path shape: `/a/{id}` and `/a/{key}` are one path. */
function operationsOf(doc: JsonObject): Map<string, OperationSite> {
  const found = new Map<string, OperationSite>();
  for (const [template, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    if (!isObject(item)) continue;
    const pathItem = deref(doc, { node: item, pointer: child(ROOT, "paths", template) });
    const shape = template.replace(/\{[^}]*\}/g, "{}");
    for (const method of METHODS) {
      const op = pathItem.node[method];
      const key = `${method.toUpperCase()} ${shape}`;
      if (!isObject(op) || found.has(key)) continue;
      found.set(key, { name: `${method.toUpperCase()} ${template}`, template, pathItem, op: { node: op, pointer: child(pathItem.pointer, method) } });
    }
  }
  return found;
}

/** Compare every operation: removed ones break clients, added ones do not, kept ones are compared in depth. */
export function compareOperations(docs: Documents): void {
  const [olds, news] = [operationsOf(docs.before), operationsOf(docs.after)];
  for (const [key, old] of olds) {
    const now = news.get(key);
    if (now === undefined) record(docs, old.name, "endpoint-removed", true, old.op.pointer, `The endpoint ${old.name} was removed.`);
    else compareOperation(docs, old, now);
  }
  for (const [key, now] of news) {
    if (!olds.has(key)) record(docs, now.name, "endpoint-added", false, now.op.pointer, `The endpoint ${now.name} was added.`);
  }
}

function compareOperation(docs: Documents, before: OperationSite, after: OperationSite): void {
  const name = after.name;
  const [was, is] = [before.op.node.deprecated === true, after.op.node.deprecated === true];
  // Keygen's list calls deprecating an endpoint a breaking change in the sense that it needs a new
  // version; a deprecated endpoint still answers, though, so no client breaks yet: report it only.
  if (!was && is) record(docs, name, "endpoint-deprecated", false, after.op.pointer, `${name} is now deprecated.`);
  if (was && !is) record(docs, name, "endpoint-reactivated", false, after.op.pointer, `${name} is no longer deprecated.`);
  compareParameters(docs, name, before, after);
  compareRequestBody(docs, name, before.op, after.op);
  compareResponses(docs, name, before.op, after.op);
}
