import type { JsonObject } from "../shapes";

/**
 * How many key lists one copier learns. Resources of one type nearly always share one key
 * list (one handler builds them); a few more cover optional fields. Beyond it, the loop.
 */
const MAX_SHAPES = 4;
/** Wider objects are copied by the loop: a literal that large is not worth compiling. */
const MAX_KEYS = 64;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A shallow copier of objects without the `skip` keys, for copy-on-write. For each key list it
 * sees (up to four) it compiles an object literal copying exactly those keys: about three
 * times cheaper than a property-by-property loop, and its result serialises faster, since V8
 * gives a literal's properties in-object slots. Any other object is copied by the loop. The
 * learned literals are derived from the data and bounded, so the copier stays a pure function
 * of its input.
 */
export function shapeCopier(skip: readonly string[]): (obj: JsonObject) => JsonObject {
  const skipped = new Set(skip);
  const shapes: { keys: readonly string[]; clone: (obj: JsonObject) => JsonObject }[] = [];
  return function copyWithout(obj) {
    const keys = Object.keys(obj);
    for (let s = 0; s < shapes.length; s++) {
      const shape = shapes[s]!;
      if (sameKeys(shape.keys, keys)) return shape.clone(obj);
    }
    // A "__proto__" key in a literal would set the prototype: such objects take the loop.
    if (shapes.length < MAX_SHAPES && keys.length <= MAX_KEYS && !keys.includes("__proto__")) {
      const kept = keys.filter((k) => !skipped.has(k)).map((k) => JSON.stringify(k));
      const clone = new Function("o", `"use strict"; return { ${kept.map((k) => `${k}: o[${k}]`).join(", ")} };`) as (obj: JsonObject) => JsonObject;
      shapes.push({ keys, clone });
      return clone(obj);
    }
    return loopCopy(obj, skipped);
  };
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function loopCopy(obj: JsonObject, skipped: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  for (const key in obj) {
    if (skipped.has(key) || !hasOwn.call(obj, key)) continue;
    if (key === "__proto__") Object.defineProperty(out, key, { value: obj[key], enumerable: true, writable: true, configurable: true });
    else out[key] = obj[key];
  }
  return out;
}
