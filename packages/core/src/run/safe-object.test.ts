import { change, defineVersions, moveQueryToBody, stripPollutingKeys, type Change, type JsonObject, type RequestShape } from "@strata/core";

/** The kind of deep merge transform authors write, and attackers hope for. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately untyped, like the code it models
function naiveMerge(target: any, source: any): any {
  for (const key in source) {
    const value = source[key];
    if (typeof value === "object" && value !== null) {
      if (target[key] === null || (typeof target[key] !== "object" && typeof target[key] !== "function")) target[key] = {};
      naiveMerge(target[key], value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

const polluted = () => ({}) as Record<string, unknown>;

afterEach(() => {
  // A failing test must not poison the next one.
  delete (Object.prototype as Record<string, unknown>).polluted;
  delete (Object as unknown as Record<string, unknown>).polluted;
});

const ATTACKS = {
  proto: '{"name":"legit","nested":{"keep":1},"__proto__":{"polluted":"yes"}}',
  constructor: '{"name":"legit","nested":{"keep":1},"constructor":{"prototype":{"polluted":"yes"}}}',
  nested: '{"name":"legit","nested":{"keep":1,"__proto__":{"polluted":"yes"}},"list":[{"constructor":{"prototype":{"polluted":"yes"}}}]}',
};

function migrateWith(c: Change, body: unknown): RequestShape {
  const versions = defineVersions({ versions: [{ id: "2025-01-01", changes: [c] }, { id: "2024-01-01" }] });
  const req: RequestShape = { method: "POST", path: "/v1/keys", query: {}, headers: {}, body };
  versions.migrateRequest(req, "2024-01-01");
  return req;
}

describe("prototype pollution", () => {
  it("is real without Strata: the naive merge pollutes Object.prototype (control)", () => {
    naiveMerge({}, JSON.parse(ATTACKS.proto));
    expect(polluted().polluted).toBe("yes");
    delete (Object.prototype as Record<string, unknown>).polluted;
    naiveMerge({}, JSON.parse(ATTACKS.constructor));
    expect(polluted().polluted).toBe("yes");
  });

  describe.each(Object.entries(ATTACKS))("a request body with a %s attack", (_name, json) => {
    it("cannot pollute through a deep merge in a request transform", () => {
      let merged: JsonObject = {};
      const req = migrateWith(change({ description: "merge", request: (r) => void (merged = naiveMerge({}, r.body)) }), JSON.parse(json));
      expect(polluted().polluted).toBeUndefined();
      expect(merged.name).toBe("legit");
      expect(merged.nested).toEqual({ keep: 1 });
      expect((req.body as JsonObject).name).toBe("legit");
    });

    it("cannot pollute through Object.assign into a new object", () => {
      let copy: JsonObject = {};
      migrateWith(change({ description: "assign", request: (r) => void (copy = Object.assign({}, r.body)) }), JSON.parse(json));
      expect(copy.polluted).toBeUndefined();
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      expect(copy.name).toBe("legit");
      expect(polluted().polluted).toBeUndefined();
    });

    it("cannot pollute through a resource transform", () => {
      const body = { data: [JSON.parse(json.replace(/^\{/, '{"object":"key",'))] };
      let merged: JsonObject = {};
      migrateWith(change({ description: "merge key", resource: "key", request: (k) => void (merged = naiveMerge({}, k)) }), body);
      expect(polluted().polluted).toBeUndefined();
      expect(merged.name).toBe("legit");
    });
  });

  it("cannot pollute through a body nested deeper than the walker's limit", () => {
    let json = '{"__proto__":{"polluted":"yes"}}';
    for (let i = 0; i < 300; i++) json = `{"a":${json}}`;
    migrateWith(change({ description: "merge", request: (r) => void naiveMerge({}, r.body) }), JSON.parse(json));
    expect(polluted().polluted).toBeUndefined();
  });

  it("cannot pollute through a JSON query parameter moved into the body", () => {
    const versions = defineVersions({
      versions: [
        { id: "2025-06-01", changes: [change({ description: "merge", routes: "POST /v2/keys", request: (r) => void naiveMerge({}, r.body) })] },
        { id: "2025-01-01", changes: [moveQueryToBody("GET /v1/keys", "POST /v2/keys", { types: { filter: "json" } })] },
        { id: "2024-01-01" },
      ],
    });
    const req: RequestShape = {
      method: "GET",
      path: "/v1/keys",
      query: { filter: '{"__proto__":{"polluted":"yes"},"name":"legit"}' },
      headers: {},
      body: undefined,
    };
    versions.migrateRequest(req, "2024-01-01");
    expect(polluted().polluted).toBeUndefined();
    expect(req.body).toEqual({ filter: { name: "legit" } });
  });

  it("cannot pollute through a document migrated forward with migratePayload", () => {
    const versions = defineVersions({
      versions: [
        { id: "2025-01-01", changes: [change({ description: "merge key", resource: "key", request: (k) => naiveMerge({}, k) })] },
        { id: "2024-01-01" },
      ],
    });
    const doc = JSON.parse('{"object":"key","__proto__":{"polluted":"yes"}}');
    expect(versions.migratePayload(doc, { from: "2024-01-01", to: "2025-01-01" })).toEqual({ object: "key" });
    expect(polluted().polluted).toBeUndefined();
  });

  describe("stripPollutingKeys", () => {
    it("removes own __proto__ keys and constructor.prototype objects, keeping the rest", () => {
      const value = JSON.parse('{"a":1,"__proto__":{"x":1},"b":[{"constructor":{"prototype":{}}},{"constructor":"fine"}],"c":{"prototype":{"ok":true}}}');
      stripPollutingKeys(value);
      expect(Object.keys(value)).toEqual(["a", "b", "c"]);
      expect(value.b).toEqual([{}, { constructor: "fine" }] as unknown[]);
      expect(value.c).toEqual({ prototype: { ok: true } });
    });

    it("cleans bodies at any depth", () => {
      let value: JsonObject = JSON.parse('{"__proto__":{"polluted":"yes"},"keep":true}');
      const bottom = value;
      for (let i = 0; i < 5000; i++) value = { a: value };
      stripPollutingKeys(value);
      expect(Object.keys(bottom)).toEqual(["keep"]);
    });

    it("terminates on cyclic objects", () => {
      const a: JsonObject = { name: "a" };
      const b: JsonObject = { name: "b", a, list: [a] };
      a.b = b;
      Object.defineProperty(a, "__proto__", { value: { polluted: "yes" }, enumerable: true, configurable: true });
      stripPollutingKeys(a);
      expect(Object.keys(a)).toEqual(["name", "b"]);
    });

    it("ignores non-objects", () => {
      for (const v of [undefined, null, 1, "s", true]) expect(() => stripPollutingKeys(v)).not.toThrow();
    });
  });
});
