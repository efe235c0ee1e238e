import { MAX_DEPTH, NestingTooDeepError } from "./copy";
import { shallowCopy } from "../compile/field-moves";
import { walkObjects, type Visitor, type WalkState } from "./walk";
import type { JsonObject } from "../shapes";

/**
 * Where resources can be in a payload, as its schema says: a tree over keys and array items.
 * Keys a node does not list hold no resource and are not entered. Built by
 * `@strata/openapi` from the head document (`contracts.walkGuides`), or by hand.
 *
 * @example
 * // A list whose `data` items are resources, each with a nested `customer` resource:
 * const guide: WalkGuide = { keys: { data: { items: { visit: true, keys: { customer: { visit: true } } } } } };
 */
export interface WalkGuide {
  /** The object here may be a resource: the chain's resource transforms see it. */
  readonly visit?: boolean;
  /** The keys to enter, each with its own guide. */
  readonly keys?: Readonly<Record<string, WalkGuide>>;
  /** For an array: the guide of each item. */
  readonly items?: WalkGuide;
  /** The schema does not say (free-form): walk everything below, as without a guide. */
  readonly any?: boolean;
}

/** What the guided walk needs to know besides the ownership flags: whether a transform ran. */
export interface GuidedState extends WalkState {
  /** Set by the visitor: a resource transform ran on the object it answered. */
  touched: boolean;
}

/**
 * {@link walkObjects}, entering only where `guide` says resources can be. Copy-on-write alike.
 * Below an object a transform ran on, the guide (written for the newest shape) may no longer
 * name the keys, so its children are walked whole: a guide saves the walk where nothing
 * changes, and never misses a resource a transform moved.
 */
export function walkGuided<S extends GuidedState>(value: unknown, guide: WalkGuide, visitor: Visitor<S>, state: S, owned: boolean, depth = 0): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (guide.any) return walkObjects(value, visitor, state, owned, depth);
  if (depth > MAX_DEPTH) throw new NestingTooDeepError();
  if (Array.isArray(value)) {
    const itemGuide = guide.items;
    if (itemGuide === undefined) return value;
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== "object" || item === null) continue;
      const next = walkGuided(item, itemGuide, visitor, state, owned, depth + 1);
      if (next === item) continue;
      out ??= owned && Object.isExtensible(value) ? value : value.slice();
      out[i] = next;
    }
    return out ?? value;
  }
  let obj = value as JsonObject;
  let selfOwned = owned;
  let childrenOwned = owned;
  let touched = false;
  if (guide.visit) {
    state.touched = false;
    obj = visitor.visit(value as JsonObject, owned, state);
    touched = state.touched;
    if (obj !== value) {
      selfOwned = state.selfOwned;
      childrenOwned = state.childrenOwned;
    }
  }
  const keys = guide.keys;
  if (keys === undefined) return obj;
  let writable: boolean | undefined;
  const source = obj;
  const enter = touched ? Object.keys(source) : Object.keys(keys);
  for (let i = 0; i < enter.length; i++) {
    const key = enter[i]!;
    const child = source[key];
    if (typeof child !== "object" || child === null) continue;
    const next = touched
      ? walkObjects(child, visitor, state, childrenOwned, depth + 1)
      : walkGuided(child, keys[key]!, visitor, state, childrenOwned, depth + 1);
    if (next === child) continue;
    writable ??= selfOwned && Object.isExtensible(obj);
    if (!writable) {
      obj = shallowCopy(obj);
      writable = true;
    }
    obj[key] = next;
  }
  return obj;
}
