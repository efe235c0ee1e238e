import { canonical, type JsonObject } from "./json";
import { breaks, covered } from "./narrowing";
import { recordSchema, sentence, where, type Walk } from "./difference";
import { viewOf, type SchemaView } from "./schema-walk";

/** The schema comparison to recurse into, passed in so this module does not import its caller. */
export type Compare = (walk: Walk, before: SchemaView, after: SchemaView, path: string) => void;

interface Alternative {
  readonly view: SchemaView;
  /** The `$ref`, or the object's JSON for an inline alternative: equal identities are the same alternative. */
  readonly identity: string;
  readonly isRef: boolean;
  /** The type set, to pair an inline alternative that was edited with its old self. */
  readonly kind: string;
  readonly label: string;
}

function alternative(view: SchemaView): Alternative {
  const first = view.locs[0]?.node;
  const ref = typeof first?.$ref === "string" ? first.$ref : undefined;
  const kind = view.types === undefined ? "" : [...view.types.value].sort().join(" | ");
  const label = ref !== undefined ? `\`${ref.slice(ref.lastIndexOf("/") + 1)}\`` : kind !== "" ? `\`${kind}\`` : "an untyped schema";
  return { view, identity: ref ?? (first === undefined ? view.key : canonical(first)), isRef: ref !== undefined, kind, label };
}

function alternativesOf(doc: JsonObject, view: SchemaView): Alternative[] {
  return (view.alternatives?.value ?? []).map((loc) => alternative(viewOf(doc, [loc])));
}

/** A schema whose only constraint is its alternatives: it stands for their union. */
function bare(view: SchemaView): boolean {
  return view.types === undefined && view.values === undefined && view.properties.size === 0 && view.items.length === 0;
}

/** The JSON types a schema may take, through one level of alternatives; undefined when any type is possible. */
function possibleTypes(doc: JsonObject, view: SchemaView): readonly string[] | undefined {
  if (view.types !== undefined || view.alternatives === undefined) return view.types?.value;
  const sets = alternativesOf(doc, view).map((alt) => alt.view.types?.value);
  return sets.every((s) => s !== undefined) ? sets.flat() : undefined;
}

function disjoint(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a !== undefined && b !== undefined && !a.some((t) => covered(t, b)) && !b.some((t) => covered(t, a));
}

/**
 * `oneOf` / `anyOf` compared as sets of alternatives: paired by `$ref` or equal JSON, then an inline
 * alternative with one of the same types, and the rest are added (widens) or removed (narrows).
 * A plain schema facing a bare `oneOf` counts as a set of one, so wrapping `Dog` into `oneOf: [Dog, Cat]`
 * reads as "Cat added". Returns true when the alternatives stood for the whole schema.
 * A `oneOf` appearing or vanishing next to the schema's own keywords is not analysed: it is reported as
 * `schema-changed`, breaking only when the two schemas cannot hold a value of the same JSON type.
 */
export function compareAlternatives(walk: Walk, before: SchemaView, after: SchemaView, path: string, compare: Compare): boolean {
  const [b, a] = [before.alternatives, after.alternatives];
  if (b === undefined && a === undefined) return false;
  if (b !== undefined && a !== undefined) {
    compareSets(walk, alternativesOf(walk.before, before), alternativesOf(walk.after, after), path, compare);
    return false;
  }
  if (bare(b !== undefined ? before : after)) {
    const olds = b !== undefined ? alternativesOf(walk.before, before) : [alternative(before)];
    const news = a !== undefined ? alternativesOf(walk.after, after) : [alternative(after)];
    compareSets(walk, olds, news, path, compare);
    return true;
  }
  const keyword = (a ?? b)?.keyword ?? "oneOf";
  const breaking = disjoint(possibleTypes(walk.before, before), possibleTypes(walk.after, after));
  const change = a !== undefined ? `gained \`${keyword}\`` : `lost \`${keyword}\``;
  recordSchema(
    walk,
    "schema-changed",
    breaking,
    a?.at ?? after.pointer,
    `${sentence(where(walk, path))} ${change} next to its own keywords; this diff does not analyse that.`,
  );
  return false;
}

function compareSets(walk: Walk, olds: Alternative[], news: Alternative[], path: string, compare: Compare): void {
  const left = [...olds];
  const right = [...news];
  const pairs: [Alternative, Alternative][] = [];
  // Two different $refs are different alternatives even when both are objects.
  const matchers = [
    (x: Alternative, y: Alternative) => x.identity === y.identity,
    (x: Alternative, y: Alternative) => x.kind === y.kind && !(x.isRef && y.isRef),
  ];
  for (const matches of matchers) {
    for (const x of [...left]) {
      const i = right.findIndex((y) => matches(x, y));
      if (i < 0) continue;
      pairs.push([x, right[i]]);
      right.splice(i, 1);
      left.splice(left.indexOf(x), 1);
    }
  }
  for (const [x, y] of pairs) compare(walk, x.view, y.view, path);
  const subject = sentence(where(walk, path));
  for (const x of left) {
    recordSchema(walk, "alternative-removed", breaks(walk.direction, "narrowed"), x.view.pointer, `${subject} can no longer be ${x.label}.`);
  }
  for (const y of right) {
    recordSchema(walk, "alternative-added", breaks(walk.direction, "widened"), y.view.pointer, `${subject} can now also be ${y.label}.`);
  }
}
