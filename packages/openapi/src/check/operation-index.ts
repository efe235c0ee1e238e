import { isJsonObject, routePattern, type JsonObject, type RoutePattern } from "@strata/core";
import { HEAD_OPERATION, operationsOf } from "../document/operations";
import type { OpenApiDocument } from "../document/schemas";

/** One operation, found by a concrete request. */
export interface IndexedOperation {
  readonly method: string;
  /** The OpenAPI template. */
  readonly path: string;
  /** `POST /v2/keys.getKey`: this version's method and template. */
  readonly label: string;
  /** The operation's route in the head document, which every version's copy keeps. */
  readonly head: string;
  readonly operation: JsonObject;
  readonly pattern: RoutePattern;
}

/**
 * The operations of a document, matched against concrete requests the way OpenAPI says:
 * concrete paths before templated ones.
 */
export class OperationIndex {
  readonly all: readonly IndexedOperation[];
  private readonly byHead = new Map<string, IndexedOperation>();

  constructor(doc: OpenApiDocument) {
    const all = operationsOf(doc).map(({ method, path, operation }) => ({
      method,
      path,
      label: `${method} ${path}`,
      head: typeof operation[HEAD_OPERATION] === "string" ? (operation[HEAD_OPERATION] as string) : `${method} ${path}`,
      operation,
      pattern: routePattern({ method, path: toExpressPath(path) }, "OpenAPI document"),
    }));
    all.sort((a, b) => a.pattern.params.length - b.pattern.params.length);
    this.all = all;
    for (const op of all) this.byHead.set(op.head, op);
  }

  /** The operation that serves `method path`, if the document has one. */
  find(method: string, path: string): IndexedOperation | undefined {
    for (const op of this.all) if (op.pattern.method === method && op.pattern.match(method, path)) return op;
    return undefined;
  }

  /** This version's copy of the head operation `head` (`POST /v2/keys.getKey`). */
  ofHead(head: string): IndexedOperation | undefined {
    return this.byHead.get(head);
  }
}

/** `/licenses/{id}` as a path-to-regexp path, `/licenses/:id`, literal text escaped. */
export function toExpressPath(template: string): string {
  return template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const param = /^\{([^}]+)\}$/.exec(part);
      if (!param) return part.replace(/[{}()[\]+?!:*\\]/g, "\\$&");
      return /^[A-Za-z_$][\w$]*$/.test(param[1]!) ? `:${param[1]}` : `:${JSON.stringify(param[1])}`;
    })
    .join("");
}

/** The JSON media type entry of a `content` map that fits `contentType` best. */
export function jsonContent(content: unknown, contentType?: string): [string, JsonObject] | undefined {
  if (!isJsonObject(content)) return undefined;
  const entries = Object.entries(content).filter(([type, media]) => /json/i.test(type) && isJsonObject(media)) as [string, JsonObject][];
  const base = contentType?.split(";")[0]?.trim().toLowerCase();
  return entries.find(([type]) => type.toLowerCase() === base) ?? entries[0];
}
