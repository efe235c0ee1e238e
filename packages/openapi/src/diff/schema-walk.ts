import { isObject, canonical, type JsonObject } from "./json";
import { child, refTarget, type Loc } from "./pointer";
import { covered, LOWER_BOUNDS, UPPER_BOUNDS, type BoundKeyword } from "./narrowing";

/** A keyword's value and the pointer of the schema object that declares it. */
export interface Declared<T> {
  readonly value: T;
  readonly at: string;
}

/** A property as the schema declares it: its entry in `properties` and every schema that applies to it. */
export interface PropertyEntry {
  readonly pointer: string;
  readonly locs: readonly Loc[];
}

/** `additionalProperties`: absent or true (open), false (closed), or a schema the extra properties must match. */
export type Additional =
  | { readonly kind: "open" }
  | { readonly kind: "closed"; readonly at: string }
  | { readonly kind: "schema"; readonly at: string; readonly locs: readonly Loc[] };

/**
 * One schema with its local `$ref`s followed and its `allOf` merged: the constraints of every
 * object that applies, each with the pointer of where it is declared.
 */
export interface SchemaView {
  /** The pointers of the objects merged into it: two views with the same key are the same schema. */
  readonly key: string;
  /** Where the schema was reached (a `$ref` object stays itself, not its target). */
  readonly pointer: string;
  /** The objects merged, the reached one first. */
  readonly locs: readonly Loc[];
  /** The first `$ref` followed, which names a component alternative in messages. */
  readonly ref?: string;
  readonly types?: Declared<readonly string[]>;
  /** `enum`, or `const` as a one-value enum. */
  readonly values?: Declared<readonly unknown[]>;
  readonly format?: Declared<string>;
  readonly pattern?: Declared<string>;
  readonly bounds: ReadonlyMap<BoundKeyword, Declared<number>>;
  readonly properties: ReadonlyMap<string, PropertyEntry>;
  readonly required: ReadonlySet<string>;
  readonly additional: Additional;
  readonly items: readonly Loc[];
  /** `oneOf` or `anyOf` (both read as "one of these shapes"), the first one declared. */
  readonly alternatives?: Declared<readonly Loc[]> & { readonly keyword: "oneOf" | "anyOf" };
  readonly readOnly: boolean;
  readonly writeOnly: boolean;
}

// $ref siblings apply in OpenAPI 3.1, so a $ref object and its target are both merged, like allOf.
function flatten(doc: JsonObject, loc: Loc, into: Loc[], seen: Set<string>): void {
  if (seen.has(loc.pointer)) return; // a $ref or allOf cycle adds nothing new
  seen.add(loc.pointer);
  into.push(loc);
  const ref = loc.node.$ref;
  const target = typeof ref === "string" ? refTarget(doc, ref) : undefined;
  if (target !== undefined) flatten(doc, target, into, seen);
  const allOf = loc.node.allOf;
  if (!Array.isArray(allOf)) return;
  allOf.forEach((member, i) => {
    if (isObject(member)) flatten(doc, { node: member, pointer: child(loc.pointer, "allOf", i) }, into, seen);
  });
}

function ownTypes(node: JsonObject): string[] | undefined {
  const declared = typeof node.type === "string" ? [node.type] : Array.isArray(node.type) ? node.type.filter((t) => typeof t === "string") : [];
  if (declared.length === 0) return undefined;
  // OpenAPI 3.0's `nullable: true` is 3.1's "null" in the type array.
  return node.nullable === true && !declared.includes("null") ? [...declared, "null"] : declared;
}

function ownValues(node: JsonObject): unknown[] | undefined {
  if (Object.hasOwn(node, "const")) return [node.const];
  return Array.isArray(node.enum) ? node.enum : undefined;
}

/** The view of the schema made of `roots` (all of them apply); `pointer` names it when `roots` is empty (any value). */
export function viewOf(doc: JsonObject, roots: readonly Loc[], pointer = roots[0]?.pointer ?? "#"): SchemaView {
  const locs: Loc[] = [];
  const seen = new Set<string>();
  for (const root of roots) flatten(doc, root, locs, seen);
  let ref: string | undefined;
  let types: Declared<readonly string[]> | undefined;
  let values: Declared<readonly unknown[]> | undefined;
  let format: Declared<string> | undefined;
  let pattern: Declared<string> | undefined;
  let alternatives: SchemaView["alternatives"];
  let closedAt: string | undefined;
  let extraAt: string | undefined;
  const extra: Loc[] = [];
  const bounds = new Map<BoundKeyword, Declared<number>>();
  const properties = new Map<string, { pointer: string; locs: Loc[] }>();
  const required = new Set<string>();
  const items: Loc[] = [];
  let readOnly = false;
  let writeOnly = false;

  for (const { node, pointer: at } of locs) {
    if (ref === undefined && typeof node.$ref === "string") ref = node.$ref;
    // allOf intersects: a value must satisfy every member, so type sets and enums narrow.
    const t = ownTypes(node);
    if (t !== undefined) types = { value: types === undefined ? t : intersectTypes(types.value, t), at: types?.at ?? at };
    const v = ownValues(node);
    if (v !== undefined) values = { value: values === undefined ? v : intersectValues(values.value, v), at: values?.at ?? at };
    if (format === undefined && typeof node.format === "string") format = { value: node.format, at };
    if (pattern === undefined && typeof node.pattern === "string") pattern = { value: node.pattern, at };
    for (const keyword of [...UPPER_BOUNDS, ...LOWER_BOUNDS]) {
      const n = node[keyword];
      if (typeof n !== "number") continue; // OpenAPI 3.0's boolean exclusiveMaximum is not a bound of its own
      const held = bounds.get(keyword);
      const tighter = held === undefined || ((UPPER_BOUNDS as readonly string[]).includes(keyword) ? n < held.value : n > held.value);
      if (tighter) bounds.set(keyword, { value: n, at });
    }
    if (isObject(node.properties)) {
      for (const [name, schema] of Object.entries(node.properties)) {
        if (!isObject(schema)) continue;
        const entry = { node: schema, pointer: child(at, "properties", name) };
        const held = properties.get(name);
        if (held === undefined) properties.set(name, { pointer: entry.pointer, locs: [entry] });
        else held.locs.push(entry);
      }
    }
    if (Array.isArray(node.required)) for (const name of node.required) if (typeof name === "string") required.add(name);
    const more = node.additionalProperties;
    if (more === false) closedAt ??= at;
    else if (isObject(more)) {
      extraAt ??= at;
      extra.push({ node: more, pointer: child(at, "additionalProperties") });
    }
    if (isObject(node.items)) items.push({ node: node.items, pointer: child(at, "items") });
    for (const keyword of ["oneOf", "anyOf"] as const) {
      const list = node[keyword];
      if (alternatives !== undefined || !Array.isArray(list)) continue;
      const alts = list.flatMap((alt, i) => (isObject(alt) ? [{ node: alt, pointer: child(at, keyword, i) }] : []));
      alternatives = { value: alts, at, keyword };
    }
    readOnly ||= node.readOnly === true;
    writeOnly ||= node.writeOnly === true;
  }

  // allOf again: one member closing the object closes it, whatever the others allow.
  const additional: Additional =
    closedAt !== undefined ? { kind: "closed", at: closedAt } : extraAt !== undefined ? { kind: "schema", at: extraAt, locs: extra } : { kind: "open" };
  const key = locs.length > 0 ? locs.map((l) => l.pointer).join(" ") : `any ${pointer}`;
  return { key, pointer, locs, ref, types, values, format, pattern, bounds, properties, required, additional, items, alternatives, readOnly, writeOnly };
}

function intersectTypes(held: readonly string[], next: readonly string[]): string[] {
  return [...held.filter((t) => covered(t, next)), ...next.filter((t) => covered(t, held) && !held.includes(t))];
}

function intersectValues(held: readonly unknown[], next: readonly unknown[]): unknown[] {
  const allowed = new Set(next.map(canonical));
  return held.filter((v) => allowed.has(canonical(v)));
}
