import { isObject, type JsonObject } from "./json";

/** A node of one document and the JSON pointer (URI fragment form, "#/...") where it lives. */
export interface Loc {
  readonly node: JsonObject;
  readonly pointer: string;
}

export const ROOT = "#";

// RFC 6901 section 6: the "#/..." form is a URI fragment, so a token is escaped (~0, ~1) and then
// percent-encoded wherever RFC 3986 does not allow the character in a fragment (`{id}` -> `%7Bid%7D`).
const FRAGMENT_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;

function encodeToken(token: string): string {
  const escaped = token.replace(/~/g, "~0").replace(/\//g, "~1");
  let out = "";
  for (const ch of escaped) out += FRAGMENT_SAFE.test(ch) ? ch : encodeURIComponent(ch);
  return out;
}

/** The pointer to a child of `pointer`, one token per path segment. */
export function child(pointer: string, ...tokens: readonly (string | number)[]): string {
  return tokens.reduce<string>((p, t) => `${p}/${encodeToken(String(t))}`, pointer);
}

function decodeToken(token: string): string {
  let text = token;
  try {
    text = decodeURIComponent(token);
  } catch {
    // A stray "%" is not an escape: keep the token as written.
  }
  return text.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** Where a local `$ref` ("#/components/schemas/Key") points, or undefined for a remote or dangling one. */
export function refTarget(doc: JsonObject, ref: string): Loc | undefined {
  if (ref !== "#" && !ref.startsWith("#/")) return undefined;
  const tokens = ref === "#" ? [] : ref.slice(2).split("/").map(decodeToken);
  let node: unknown = doc;
  for (const token of tokens) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token];
    else return undefined;
  }
  return isObject(node) ? { node, pointer: child(ROOT, ...tokens) } : undefined;
}

/**
 * Follow `$ref`s from a parameter, request body, response or path item to the object itself.
 * A chain that loops or dangles stops at its last object: the diff then compares what is written.
 */
export function deref(doc: JsonObject, loc: Loc): Loc {
  const seen = new Set<string>();
  let at = loc;
  while (typeof at.node.$ref === "string" && !seen.has(at.pointer)) {
    seen.add(at.pointer);
    const target = refTarget(doc, at.node.$ref);
    if (target === undefined) break;
    at = target;
  }
  return at;
}

/** The object at `tokens` below a located object, located; undefined when it is absent or not an object. */
export function childLoc(loc: Loc, ...tokens: readonly string[]): Loc | undefined {
  let node: unknown = loc.node;
  for (const token of tokens) node = isObject(node) ? node[token] : undefined;
  return isObject(node) ? { node, pointer: child(loc.pointer, ...tokens) } : undefined;
}
