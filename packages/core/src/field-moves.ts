import type { JsonObject } from "./shapes";

/**
 * A declarative change's effect on one resource, as data: move the value of `from` to `to`
 * (or drop it, when `to` is `null`) if `from` holds a value. Renames and added fields are
 * described this way so that consecutive ones can run as one program per object.
 */
export type FieldMove = readonly [from: string, to: string | null];

/**
 * Compile moves into one function with exactly their sequential effect. Run one by one, a
 * chain of renames `f50 -> f49 -> ... -> f0` would add (and leave behind) 49 intermediate keys
 * on every object; the program keeps the values in a scratch array and writes back only the
 * keys whose value actually changed. Responses keep dropped keys as `undefined` (JSON omits
 * them, and V8 keeps the object fast); requests delete them, since handlers inspect bodies.
 */
export function compileMoves(moves: readonly FieldMove[], direction: "request" | "response"): (obj: JsonObject) => void {
  const keys: string[] = [];
  const slot = (key: string): number => {
    const i = keys.indexOf(key);
    return i === -1 ? keys.push(key) - 1 : i;
  };
  const program = moves.map(([from, to]) => [slot(from), to === null ? -1 : slot(to)] as const);
  const n = keys.length;
  const remove = direction === "request";
  if (program.length === 1) return single(keys[0]!, program[0]![1] === -1 ? null : keys[program[0]![1]]!, remove);
  return function fieldMoves(obj) {
    const values: unknown[] = new Array(n);
    let touched = false;
    for (let i = 0; i < n; i++) if ((values[i] = valueOf(obj, keys[i]!)) !== undefined) touched = true;
    if (!touched) return;
    for (let p = 0; p < program.length; p++) {
      const [from, to] = program[p]!;
      const value = values[from];
      if (value === undefined) continue;
      if (to !== -1) values[to] = value;
      values[from] = undefined;
    }
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      const value = values[i];
      if (value === valueOf(obj, key)) continue;
      if (value === undefined && remove) delete obj[key];
      else obj[key] = value;
    }
  };
}

function single(from: string, to: string | null, remove: boolean): (obj: JsonObject) => void {
  return function fieldMove(obj) {
    const value = valueOf(obj, from);
    if (value === undefined) return;
    if (to !== null) obj[to] = value;
    if (remove) delete obj[from];
    else obj[from] = undefined;
  };
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
