import fc from "fast-check";
import { compileMoves, type FieldMove } from "./field-moves";
import { defineVersions, renameField, addField, change } from "@strata/core";

const names = ["a", "b", "c", "d", "e", "toString"];
const move = fc
  .tuple(fc.constantFrom(...names), fc.option(fc.constantFrom(...names), { nil: null }))
  .filter(([from, to]) => from !== to) as fc.Arbitrary<FieldMove>;
const object = fc.dictionary(fc.constantFrom("a", "b", "c", "d", "e", "z"), fc.oneof(fc.integer(), fc.string(), fc.constant(null)));

/** The reference: each move on its own, in order, with plain property operations. */
function oneByOne(obj: Record<string, unknown>, moves: readonly FieldMove[]): Record<string, unknown> {
  for (const [from, to] of moves) {
    const value = Object.prototype.hasOwnProperty.call(obj, from) ? obj[from] : undefined;
    if (value === undefined) continue;
    if (to !== null) obj[to] = value;
    delete obj[from];
  }
  return obj;
}

describe("fused field moves", () => {
  it("have exactly the effect of the moves one by one, as JSON, in both directions", () => {
    // "toString" among the names: a read of it on a plain object finds a function, not data.
    fc.assert(
      fc.property(fc.array(move, { maxLength: 12 }), object, (moves, obj) => {
        // Compared as parsed JSON: key order is not part of a JSON object's meaning.
        const expected = JSON.parse(JSON.stringify(oneByOne({ ...obj }, moves)));
        for (const direction of ["request", "response"] as const) {
          // In place, when the object is the engine's to write...
          const actual = { ...obj };
          expect(compileMoves(moves, direction)(actual, true)).toBe(actual);
          expect(JSON.parse(JSON.stringify(actual))).toStrictEqual(expected);
          // ...else copy-on-write: the same result, and the original untouched.
          const theirs = Object.freeze({ ...obj });
          const copied = compileMoves(moves, direction)(theirs, false);
          expect(JSON.parse(JSON.stringify(copied))).toStrictEqual(expected);
          expect(theirs).toEqual(obj);
          if (JSON.stringify(expected) === JSON.stringify(obj)) expect(copied).toBe(theirs);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("leave no intermediate keys behind when renames chain", () => {
    const chain: FieldMove[] = Array.from({ length: 50 }, (_, i) => [`f${50 - i}`, `f${49 - i}`]);
    const obj: Record<string, unknown> = { id: 1, f50: "v" };
    compileMoves(chain, "response")(obj, true);
    expect(Object.keys(obj).sort()).toEqual(["f0", "f50", "id"]);
    expect(JSON.stringify(obj)).toBe('{"id":1,"f0":"v"}');
  });

  it("run chains longer than the generated-code limit the same way", () => {
    const chain: FieldMove[] = Array.from({ length: 300 }, (_, i) => [`f${300 - i}`, `f${299 - i}`]);
    for (const direction of ["request", "response"] as const) {
      const obj: Record<string, unknown> = { id: 1, f300: "v", f150: "lost" };
      expect(JSON.stringify(compileMoves(chain, direction)(obj, false))).toBe('{"id":1,"f0":"v"}');
      expect(obj).toEqual({ id: 1, f300: "v", f150: "lost" });
      compileMoves(chain, direction)(obj, true);
      expect(JSON.stringify(obj)).toBe('{"id":1,"f0":"v"}');
    }
  });

  it("delete dropped keys from request bodies, which handlers inspect", () => {
    const obj: Record<string, unknown> = { a: 1 };
    compileMoves(
      [
        ["a", "b"],
        ["b", "c"],
      ],
      "request",
    )(obj, true);
    expect(obj).toStrictEqual({ c: 1 });
  });

  it("are fused by the chain compiler without changing what a custom change between them sees", () => {
    const seen: unknown[] = [];
    const peek = change({ description: "peek", resource: "key", response: (k) => void seen.push({ ...k }) });
    const vs = defineVersions({
      versions: [
        { id: "2025-04-01", changes: [renameField("key", "b", "c"), addField("key", "x")] },
        { id: "2025-03-01", changes: [peek] },
        { id: "2025-02-01", changes: [renameField("key", "a", "b")] },
        { id: "2025-01-01" },
      ],
    });
    const body = { object: "key", c: 1, x: 2 };
    const res = vs
      .migrateRequest({ method: "GET", path: "/", query: {}, headers: {}, body: undefined }, "2025-01-01")
      .migrateResponse({ status: 200, headers: {}, body });
    expect(JSON.parse(JSON.stringify(seen))).toEqual([{ object: "key", b: 1 }]);
    expect(JSON.stringify(res.body)).toBe('{"object":"key","a":1}');
    expect(body).toEqual({ object: "key", c: 1, x: 2 });
  });
});
