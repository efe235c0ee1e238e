import { canonical, type JsonObject } from "./json";
import { child } from "./pointer";
import { boundEffect, breaks, formatEffect, LOWER_BOUNDS, patternEffect, typeEffect, UPPER_BOUNDS, type Effect } from "./narrowing";
import { join, quote, recordSchema, sentence, where, type Walk } from "./difference";
import { viewOf, type SchemaView } from "./schema-walk";
import { compareAlternatives } from "./alternatives";

/**
 * Compare one schema of `before` with its counterpart in `after`, recursing into properties,
 * array items, additional properties and alternatives. `path` names the place for messages.
 */
export function compareSchemas(walk: Walk, before: SchemaView, after: SchemaView, path: string): void {
  // Keyed by the pair, not by one side: a recursive schema ends, and a component reached through
  // many properties is walked once per root instead of once per path (no exponential blowup).
  const pair = `${before.key}\n${after.key}`;
  if (walk.visited.has(pair)) return;
  walk.visited.add(pair);
  if (compareAlternatives(walk, before, after, path, compareSchemas)) return;
  compareKeywords(walk, before, after, path);
  compareValues(walk, before, after, path);
  compareProperties(walk, before, after, path);
  compareAdditional(walk, before, after, path);
  if (before.items.length > 0 || after.items.length > 0) {
    const items = (doc: JsonObject, view: SchemaView) => viewOf(doc, view.items, child(view.pointer, "items"));
    compareSchemas(walk, items(walk.before, before), items(walk.after, after), join(path, "[]"));
  }
}

const text = (value: string | number | undefined) => (value === undefined ? "none" : `\`${value}\``);

// Keygen lists "changing the length or format of ... opaque strings" as backwards-compatible, so a
// response string growing longer (or shorter) than documented is not counted as breaking.
const TOLERATED_IN_RESPONSES: ReadonlySet<string> = new Set(["maxLength", "minLength"]);

function compareKeywords(walk: Walk, before: SchemaView, after: SchemaView, path: string): void {
  const subject = sentence(where(walk, path));
  const report = (what: string, effect: Effect | undefined, at: string | undefined, from: string, to: string, tolerated = false) => {
    if (effect === undefined) return;
    const breaking = breaks(walk.direction, effect) && !(tolerated && walk.direction === "response");
    recordSchema(walk, `${what}-${effect}`, breaking, at ?? after.pointer, `${subject} changed ${from} to ${to}.`);
  };
  const types = (t: readonly string[] | undefined) => text(t?.join(" | ") ?? "any");
  const [bt, at] = [before.types?.value, after.types?.value];
  report("type", typeEffect(bt, at), after.types?.at, `type from ${types(bt)}`, types(at));
  const [bf, af] = [before.format?.value, after.format?.value];
  report("format", formatEffect(bf, af), after.format?.at, `format from ${text(bf)}`, text(af));
  for (const keyword of [...UPPER_BOUNDS, ...LOWER_BOUNDS]) {
    const [b, a] = [before.bounds.get(keyword), after.bounds.get(keyword)];
    report(
      "constraint",
      boundEffect(keyword, b?.value, a?.value),
      a?.at,
      `\`${keyword}\` from ${text(b?.value)}`,
      text(a?.value),
      TOLERATED_IN_RESPONSES.has(keyword),
    );
  }
  const [bp, ap] = [before.pattern?.value, after.pattern?.value];
  report("constraint", patternEffect(bp, ap), after.pattern?.at, `\`pattern\` from ${text(bp)}`, text(ap));
}

function compareValues(walk: Walk, before: SchemaView, after: SchemaView, path: string): void {
  const [b, a] = [before.values, after.values];
  const subject = sentence(where(walk, path));
  const list = (values: readonly unknown[]) => values.map(quote).join(", ");
  if (b === undefined && a === undefined) return;
  if (a === undefined) {
    recordSchema(
      walk,
      "enum-restriction-removed",
      breaks(walk.direction, "widened"),
      after.pointer,
      `${subject} is no longer limited to ${list(b?.value ?? [])}.`,
    );
  } else if (b === undefined) {
    recordSchema(walk, "enum-restriction-added", breaks(walk.direction, "narrowed"), a.at, `${subject} is now limited to ${list(a.value)}.`);
  } else {
    const kept = new Set(a.value.map(canonical));
    const had = new Set(b.value.map(canonical));
    const removed = b.value.filter((v) => !kept.has(canonical(v)));
    for (const v of removed) {
      recordSchema(walk, "enum-value-removed", breaks(walk.direction, "narrowed"), b.at, `${subject} can no longer be ${quote(v)}.`);
    }
    // A new value alone is not breaking, even in a response: Keygen lists new event types as
    // backwards-compatible ("your webhook listeners should gracefully handle unfamiliar event
    // types"), and any enum makes the same promise, so clients switch with a default branch.
    // Values added while others go are a rename (`const` changed, "enabled" -> "active"): a client
    // testing for the old value silently stops matching, so in a response that breaks.
    const replaced = removed.length > 0 && walk.direction === "response";
    for (const v of a.value.filter((v) => !had.has(canonical(v)))) {
      if (replaced) recordSchema(walk, "enum-value-replaced", true, a.at, `${subject} can now be ${quote(v)} instead of the values it lost.`);
      else recordSchema(walk, "enum-value-added", false, a.at, `${subject} can now be ${quote(v)}.`);
    }
  }
}

interface Property {
  readonly pointer: string;
  readonly view: SchemaView;
  readonly required: boolean;
}

function propertyOf(walk: Walk, doc: JsonObject, parent: SchemaView, name: string): Property | undefined {
  const entry = parent.properties.get(name);
  if (entry === undefined && !parent.required.has(name)) return undefined;
  // A name only listed in `required` is a property of any value, declared by its parent.
  const view = viewOf(doc, entry?.locs ?? [], entry?.pointer ?? child(parent.pointer, "properties", name));
  // Clients never send readOnly properties and never receive writeOnly ones.
  if (walk.direction === "request" ? view.readOnly : view.writeOnly) return undefined;
  return { pointer: entry?.pointer ?? parent.pointer, view, required: parent.required.has(name) };
}

function compareProperties(walk: Walk, before: SchemaView, after: SchemaView, path: string): void {
  const names = new Set([...before.properties.keys(), ...before.required, ...after.properties.keys(), ...after.required]);
  const subject = sentence(walk.subject);
  const request = walk.direction === "request";
  for (const name of names) {
    const [b, a] = [propertyOf(walk, walk.before, before, name), propertyOf(walk, walk.after, after, name)];
    const full = join(path, name);
    if (b !== undefined && a === undefined) {
      // The server ignores a property it no longer knows, unless the schema now rejects unknown ones.
      const closed = after.additional.kind === "closed";
      const why = request && closed ? ", and it allows no additional properties" : "";
      recordSchema(walk, "property-removed", !request || closed, b.pointer, `${subject} no longer has \`${full}\`${why}.`);
    } else if (b === undefined && a !== undefined) {
      if (request && a.required) recordSchema(walk, "property-required-added", true, a.pointer, `${subject} has a new required property \`${full}\`.`);
      else recordSchema(walk, "property-added", false, a.pointer, `${subject} has a new ${request ? "optional " : ""}property \`${full}\`.`);
    } else if (b !== undefined && a !== undefined) {
      if (!b.required && a.required) recordSchema(walk, "property-became-required", request, a.pointer, `${sentence(where(walk, full))} became required.`);
      if (b.required && !a.required) recordSchema(walk, "property-became-optional", !request, a.pointer, `${sentence(where(walk, full))} became optional.`);
      compareSchemas(walk, b.view, a.view, full);
    }
  }
}

const OPENNESS = { closed: 0, schema: 1, open: 2 } as const;

function compareAdditional(walk: Walk, before: SchemaView, after: SchemaView, path: string): void {
  const [b, a] = [before.additional, after.additional];
  if (b.kind === "schema" && a.kind === "schema") {
    compareSchemas(walk, viewOf(walk.before, b.locs), viewOf(walk.after, a.locs), join(path, "*"));
    return;
  }
  const subject = sentence(where(walk, path));
  const at = a.kind === "open" ? after.pointer : a.at;
  if (OPENNESS[a.kind] < OPENNESS[b.kind]) {
    const what = a.kind === "closed" ? "no longer allows additional properties" : "restricts additional properties to a schema";
    recordSchema(walk, "additional-properties-narrowed", breaks(walk.direction, "narrowed"), at, `${subject} ${what}.`);
  } else if (OPENNESS[a.kind] > OPENNESS[b.kind]) {
    // Extra properties in a response are new properties, which Keygen counts as backwards-compatible.
    recordSchema(walk, "additional-properties-widened", false, at, `${subject} now allows ${a.kind === "open" ? "any" : "more"} additional properties.`);
  }
}
