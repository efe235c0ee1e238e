import { shapeCopier } from "./shape-copy";
import type { JsonObject } from "../shapes";

/**
 * A declarative change's effect on one resource, as data: move the value of `from` to `to`
 * (or drop it, when `to` is `null`) if `from` holds a value. Renames and added fields are
 * described this way so that consecutive ones can run as one program per object.
 */
export type FieldMove = readonly [from: string, to: string | null];

/**
 * Moves compiled for one direction. Answers `obj` itself when no field moved; otherwise `obj`
 * changed in place if `writable` and extensible, else a shallow copy with the moves applied
 * (copy-on-write: the handler's object is never written).
 */
export type MovesProgram = (obj: JsonObject, writable?: unknown) => JsonObject;

/**
 * Compile moves into one function with exactly their sequential effect. Run one by one, a
 * chain of renames `f50 -> f49 -> ... -> f0` would add (and leave behind) 49 intermediate keys
 * on every object; the program keeps the values in a scratch array and writes back only the
 * keys whose value actually changed. Responses keep dropped keys as `undefined` (JSON omits
 * them, and V8 keeps the object fast); requests delete them, since handlers inspect bodies.
 */
export function compileMoves(moves: readonly FieldMove[], direction: "request" | "response"): MovesProgram {
  const keys: string[] = [];
  const slot = (key: string): number => {
    const i = keys.indexOf(key);
    return i === -1 ? keys.push(key) - 1 : i;
  };
  const program = moves.map(([from, to]) => [slot(from), to === null ? -1 : slot(to)] as const);
  const remove = direction === "request";
  if (keys.length === 0) return (obj) => obj;
  return keys.length <= MAX_GENERATED_KEYS ? generated(keys, program, remove) : interpreted(keys, program, remove);
}

/** Beyond this many distinct fields the generated function would be too large to be worth it. */
const MAX_GENERATED_KEYS = 256;

/**
 * The program as straight-line code with constant property names. Loads like `obj["f49"]`
 * hit V8's inline caches (every resource of a type shares a shape), where the same loads
 * through a key variable are megamorphic and cost several times more. Keys are embedded with
 * JSON.stringify, so any field name is a safe string literal.
 */
function generated(keys: readonly string[], program: readonly (readonly [number, number])[], remove: boolean): MovesProgram {
  // Strict mode: a write that cannot happen throws instead of being silently dropped.
  const lines: string[] = ['"use strict";'];
  const lit = (i: number) => JSON.stringify(keys[i]);
  keys.forEach((_, i) => {
    lines.push(`let o${i} = obj[${lit(i)}]; if (typeof o${i} === "function") o${i} = undefined; let v${i} = o${i};`);
  });
  lines.push(`if (${keys.map((_, i) => `o${i} === undefined`).join(" && ")}) return obj;`);
  for (const [from, to] of program) {
    lines.push(`if (v${from} !== undefined) { ${to === -1 ? "" : `v${to} = v${from}; `}v${from} = undefined; }`);
  }
  lines.push(`if (${keys.map((_, i) => `v${i} === o${i}`).join(" && ")}) return obj;`);
  // Copy-on-write builds the result in one pass: the other fields copied (see shapeCopier;
  // `{ ...obj }` runs on V8's slow path here), then the moved fields that hold a value. No key
  // is left `undefined`, so serialising stays fast.
  lines.push("if (!writable || !Object.isExtensible(obj)) {");
  lines.push("  const out = copyWithout(obj);");
  keys.forEach((_, i) => lines.push(`  if (v${i} !== undefined) out[${lit(i)}] = v${i};`));
  lines.push("  return out;");
  lines.push("}");
  keys.forEach((_, i) => {
    const write = remove ? `if (v${i} === undefined) delete obj[${lit(i)}]; else obj[${lit(i)}] = v${i};` : `obj[${lit(i)}] = v${i};`;
    lines.push(`if (v${i} !== o${i}) { ${write} }`);
  });
  lines.push("return obj;");
  const factory = new Function("copyWithout", `return function fieldMoves(obj, writable) {\n${lines.join("\n")}\n}`);
  return factory(shapeCopier(keys)) as MovesProgram;
}

function interpreted(keys: readonly string[], program: readonly (readonly [number, number])[], remove: boolean): MovesProgram {
  const n = keys.length;
  return function fieldMoves(obj, writable) {
    const values: unknown[] = new Array(n);
    let touched = false;
    for (let i = 0; i < n; i++) if ((values[i] = valueOf(obj, keys[i]!)) !== undefined) touched = true;
    if (!touched) return obj;
    for (let p = 0; p < program.length; p++) {
      const [from, to] = program[p]!;
      const value = values[from];
      if (value === undefined) continue;
      if (to !== -1) values[to] = value;
      values[from] = undefined;
    }
    let out: JsonObject | undefined;
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      const value = values[i];
      if (value === valueOf(obj, key)) continue;
      out ??= writable && Object.isExtensible(obj) ? obj : shallowCopy(obj);
      if (value === undefined && remove) delete out[key];
      else out[key] = value;
    }
    return out ?? obj;
  };
}

/** An object's own enumerable properties, copied (see `shapeCopier` on why not `{ ...obj }`). */
export function shallowCopy(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    // Assignment to "__proto__" would set the prototype instead of copying the field.
    if (key === "__proto__") Object.defineProperty(out, key, { value: obj[key], enumerable: true, writable: true, configurable: true });
    else out[key] = obj[key];
  }
  return out;
}

/**
 * A field's JSON value, or `undefined` when it has none. JSON never holds functions, so a
 * function is absence too: that is what a read of `toString` or `valueOf` finds on a plain
 * object, and it must not be mistaken for data.
 */
function valueOf(obj: JsonObject, key: string): unknown {
  const value = obj[key];
  return typeof value === "function" ? undefined : value;
}
