import { MAX_DEPTH, NestingTooDeepError } from "./copy";
import { shallowCopy } from "../compile/field-moves";
import type { JsonObject } from "../shapes";

/** Tells which resource type a JSON object is, if any. */
export type ResourceIdentifier = (value: JsonObject) => string | undefined;

/** Stripe's convention: an object names its own type in an `object` field. */
export const byObjectField: ResourceIdentifier = (value) => {
  const type = value["object"];
  return typeof type === "string" ? type : undefined;
};

/**
 * What the walk does at each object. `visit` answers the object itself when nothing changed,
 * else the object to keep in its place, and says through the walk's `state` whether that
 * object, and everything below it, may be written to. A visitor is built once, with its plan;
 * everything that belongs to one walk lives in `state`, so optimised code never specialises
 * on an object that dies with the request (V8 would throw that code away at the next GC).
 */
export interface Visitor<S extends WalkState> {
  /**
   * `owned`: `obj` and everything below it are the engine's to change in place, unless
   * non-extensible (frozen, sealed): checked only where a write is about to happen, since
   * `Object.isExtensible` is a runtime call and most objects are never written.
   */
  visit(obj: JsonObject, owned: boolean, state: S): JsonObject;
}

/** The flags a visitor sets for the object it answers with. */
export interface WalkState {
  selfOwned: boolean;
  childrenOwned: boolean;
}

/**
 * Visit every object in `value` once, pre-order, and answer the result. Arrays are entered but
 * not visited. Copy-on-write: where `owned` is false the value belongs to someone else (the
 * handler's response), so a container is copied, shallowly, only when something below it
 * changed; everything untouched is shared with the original. Where `owned` is true containers
 * are changed in place, except non-extensible (frozen, sealed) ones, which are copied.
 */
export function walkObjects<S extends WalkState>(value: unknown, visitor: Visitor<S>, state: S, owned: boolean, depth = 0): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (depth > MAX_DEPTH) throw new NestingTooDeepError();
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== "object" || item === null) continue;
      const next = walkObjects(item, visitor, state, owned, depth + 1);
      if (next === item) continue;
      out ??= owned && Object.isExtensible(value) ? value : value.slice();
      out[i] = next;
    }
    return out ?? value;
  }
  let obj = visitor.visit(value as JsonObject, owned, state);
  let selfOwned = owned;
  let childrenOwned = owned;
  if (obj !== value) {
    selfOwned = state.selfOwned;
    childrenOwned = state.childrenOwned;
  }
  let writable: boolean | undefined; // decided at the first write
  const source = obj;
  for (const key in source) {
    const child = source[key];
    if (typeof child !== "object" || child === null) continue;
    const next = walkObjects(child, visitor, state, childrenOwned, depth + 1);
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
