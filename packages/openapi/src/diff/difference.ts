import type { JsonObject } from "./json";
import type { Direction } from "./narrowing";

/** One difference between two OpenAPI documents, classified for clients of the API. */
export interface ContractDifference {
  /** Stable rule id in kebab case, e.g. "response-property-removed", "request-parameter-required-added", "endpoint-removed", "request-enum-value-removed". */
  readonly rule: string;
  /** True when a client written against `before` may break against `after`. */
  readonly breaking: boolean;
  /** "GET /v1/keys.getKey" (method upper case + the OpenAPI path template) when the difference is inside an operation. */
  readonly operation?: string;
  /** JSON pointer (RFC 6901, URI fragment form "#/...") to where it is: in `after`, or in `before` for things removed. */
  readonly pointer: string;
  /** One sentence for humans, naming the field/parameter/endpoint: "Response 200 of GET /v1/keys.getKey no longer has `ownerId`." */
  readonly message: string;
}

/** The two documents being compared and the list the differences go to, in the order they are found. */
export interface Documents {
  readonly before: JsonObject;
  readonly after: JsonObject;
  readonly out: ContractDifference[];
}

/** One schema comparison: a parameter, or one media type of a request body or response. */
export interface Walk extends Documents {
  readonly direction: Direction;
  /** Prefix of the rule ids: "request", "request-parameter" or "response". */
  readonly prefix: string;
  readonly operation: string;
  /** What holds the schema, for messages: "response 200 of GET /v1/keys". */
  readonly subject: string;
  /** Pairs of schemas already compared, so recursive schemas end and shared components are walked once. */
  readonly visited: Set<string>;
}

/** A new walk over one schema root, with its own visited set. */
export function walkOf(docs: Documents, direction: Direction, prefix: string, operation: string, subject: string): Walk {
  return { ...docs, direction, prefix, operation, subject, visited: new Set() };
}

/** Record a difference inside an operation. */
export function record(docs: Documents, operation: string, rule: string, breaking: boolean, pointer: string, message: string): void {
  docs.out.push({ rule, breaking, operation, pointer, message });
}

/** Record a schema difference under the walk's rule prefix (`type-narrowed` -> `request-type-narrowed`). */
export function recordSchema(walk: Walk, rule: string, breaking: boolean, pointer: string, message: string): void {
  record(walk, walk.operation, `${walk.prefix}-${rule}`, breaking, pointer, message);
}

/** A message's subject: the walk's subject, or the property path inside it. */
export function where(walk: Walk, path: string): string {
  return path === "" ? walk.subject : `\`${path}\` in ${walk.subject}`;
}

/** Capitalised, as a message starts. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The path to a property or to array items: `owner.id`, `[].id`, `tags[]`. */
export function join(path: string, name: string): string {
  if (path === "") return name;
  return name === "[]" ? `${path}[]` : `${path}.${name}`;
}

/** A value as messages quote it: `"expired"`, `3`, `null`. */
export function quote(value: unknown): string {
  return `\`${JSON.stringify(value)}\``;
}
