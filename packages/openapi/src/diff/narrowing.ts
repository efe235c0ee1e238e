/**
 * Which way a difference moves the set of values a schema allows, and whom that breaks.
 * A request schema describes what clients send: the server must keep accepting it, so narrowing breaks.
 * A response schema describes what clients receive: they must keep understanding it, so widening breaks.
 */
export type Direction = "request" | "response";

/** `changed` is both at once: some old values are no longer allowed and some new ones are. */
export type Effect = "widened" | "narrowed" | "changed";

/** Whether a difference with this effect may break a client written against the older document. */
export function breaks(direction: Direction, effect: Effect): boolean {
  return effect === "changed" || effect === (direction === "request" ? "narrowed" : "widened");
}

/** The effect of replacing `before` with `after`, given which one contains the other (both: no difference). */
function effectOf(afterHoldsBefore: boolean, beforeHoldsAfter: boolean): Effect | undefined {
  if (afterHoldsBefore) return beforeHoldsAfter ? undefined : "widened";
  return beforeHoldsAfter ? "narrowed" : "changed";
}

/** Every integer is a number, so `integer` is covered by `number` (integer -> number widens). */
export function covered(type: string, types: readonly string[]): boolean {
  return types.includes(type) || (type === "integer" && types.includes("number"));
}

/** Type sets as OpenAPI 3.1 writes them (`["string", "null"]`); undefined means any type. */
export function typeEffect(before: readonly string[] | undefined, after: readonly string[] | undefined): Effect | undefined {
  const afterHolds = after === undefined || (before !== undefined && before.every((t) => covered(t, after)));
  const beforeHolds = before === undefined || (after !== undefined && after.every((t) => covered(t, before)));
  return effectOf(afterHolds, beforeHolds);
}

// Formats whose values are all valid values of a wider format. Anything else that changes is both ways.
const WIDER_FORMAT: Readonly<Record<string, string>> = { int32: "int64", float: "double" };

/** A `format` change; no format means any string or number of the type. */
export function formatEffect(before: string | undefined, after: string | undefined): Effect | undefined {
  if (before === after) return undefined;
  if (after === undefined) return "widened";
  if (before === undefined) return "narrowed";
  if (WIDER_FORMAT[before] === after) return "widened";
  if (WIDER_FORMAT[after] === before) return "narrowed";
  return "changed";
}

/** Keywords that cap a value from above: lowering or adding one narrows. */
export const UPPER_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"] as const;
/** Keywords that hold a value from below: raising or adding one narrows. */
export const LOWER_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"] as const;
export type BoundKeyword = (typeof UPPER_BOUNDS)[number] | (typeof LOWER_BOUNDS)[number];

/** A bound's change; undefined on a side means the keyword is absent there. */
export function boundEffect(keyword: BoundKeyword, before: number | undefined, after: number | undefined): Effect | undefined {
  if (before === after) return undefined;
  const upper = (UPPER_BOUNDS as readonly string[]).includes(keyword);
  if (after === undefined) return "widened";
  if (before === undefined) return "narrowed";
  return after > before === upper ? "widened" : "narrowed";
}

/** A `pattern` change: regular expressions are not compared, so a new one counts as changed both ways. */
export function patternEffect(before: string | undefined, after: string | undefined): Effect | undefined {
  if (before === after) return undefined;
  if (after === undefined) return "widened";
  return before === undefined ? "narrowed" : "changed";
}
