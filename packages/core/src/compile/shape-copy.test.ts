import { shapeCopier } from "./shape-copy";

describe("shapeCopier", () => {
  it("copies own fields without the skipped ones, for learned and unlearned key lists alike", () => {
    const copy = shapeCopier(["b"]);
    const shapes = Array.from({ length: 8 }, (_, i) => ({ a: i, b: "skip", [`extra${i}`]: true }));
    for (let round = 0; round < 2; round++) {
      for (const obj of shapes) {
        const out = copy(obj);
        expect(out).not.toBe(obj);
        expect(out).toEqual(Object.fromEntries(Object.entries(obj).filter(([k]) => k !== "b")));
      }
    }
  });

  it("keeps a __proto__ field a field, never the copy's prototype", () => {
    const obj = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const out = copy(obj);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true},"a":1}');
    function copy(o: Record<string, unknown>) {
      return shapeCopier([])(o);
    }
  });

  it("copies only own enumerable fields, as JSON.stringify reads them", () => {
    const proto = { inherited: 1 };
    const obj = Object.create(proto) as Record<string, unknown>;
    obj.own = 2;
    Object.defineProperty(obj, "hidden", { value: 3, enumerable: false });
    expect(JSON.stringify(shapeCopier([])(obj))).toBe(JSON.stringify(obj));
  });
});
