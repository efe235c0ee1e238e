import {
  addField,
  ConfigurationError,
  defineVersions,
  removeField,
  renameEnumValues,
  renameField,
  type Change,
  type JsonObject,
  type RequestShape,
} from "@strata/core";

/** One change between 2024-01-01 (old) and 2025-01-01 (latest). */
function across(c: Change) {
  const versions = defineVersions({ versions: [{ id: "2025-01-01", changes: [c] }, { id: "2024-01-01" }] });
  return {
    /** What the handler receives when an old client sends `body`. */
    up(body: unknown): unknown {
      const req: RequestShape = { method: "POST", path: "/v1/keys", query: {}, headers: {}, body };
      versions.migrateRequest(req, "2024-01-01");
      return req.body;
    },
    /** What an old client receives when the handler answers `body`. */
    down(body: unknown): unknown {
      const req: RequestShape = { method: "GET", path: "/v1/keys", query: {}, headers: {}, body: undefined };
      return versions.migrateRequest(req, "2024-01-01").migrateResponse({ status: 200, headers: {}, body }).body;
    },
  };
}

describe("renameField", () => {
  const c = renameField("key", "ownerId", "externalId");

  it("describes itself for the changelog", () => {
    expect(c.description).toBe("`ownerId` on key is renamed to `externalId`.");
    expect(renameField("key", "a", "b", { description: "Custom." }).description).toBe("Custom.");
  });

  it("renames old -> new in requests and new -> old in responses", () => {
    expect(across(c).up({ object: "key", ownerId: "u1", name: "n" })).toEqual({ object: "key", externalId: "u1", name: "n" });
    expect(across(c).down({ object: "key", externalId: "u1", name: "n" })).toEqual({ object: "key", ownerId: "u1", name: "n" });
  });

  it("keeps null values and leaves absent fields absent", () => {
    expect(across(c).down({ object: "key", externalId: null })).toEqual({ object: "key", ownerId: null });
    expect(across(c).down({ object: "key" })).toEqual({ object: "key" });
    expect(across(c).up({ object: "key" })).toEqual({ object: "key" });
  });

  it("rejects empty and prototype-polluting field names", () => {
    for (const bad of ["", "__proto__", "constructor", "prototype"]) {
      expect(() => renameField("key", bad, "x")).toThrow(ConfigurationError);
      expect(() => renameField("key", "x", bad)).toThrow(ConfigurationError);
    }
  });
});

describe("addField", () => {
  it("hides the new field from old clients", () => {
    const c = addField("key", "credits");
    expect(c.description).toBe("`credits` is added to key.");
    expect(across(c).down({ object: "key", id: "k", credits: { remaining: 5 } })).toEqual({ object: "key", id: "k" });
  });

  it("fills a default value into old clients' requests, a fresh copy each time", () => {
    const c = addField("key", "tags", { default: ["default"] });
    const a = across(c).up({ object: "key" }) as JsonObject;
    const b = across(c).up({ object: "key" }) as JsonObject;
    expect(a).toEqual({ object: "key", tags: ["default"] });
    (a.tags as string[]).push("mutated");
    expect(b).toEqual({ object: "key", tags: ["default"] });
  });

  it("computes the default from the resource when given a function", () => {
    const c = addField("key", "name", { default: (key: JsonObject) => `key ${key.id}` });
    expect(across(c).up({ object: "key", id: "k1" })).toEqual({ object: "key", id: "k1", name: "key k1" });
  });

  it("keeps a value the client sent anyway, and fills falsy defaults", () => {
    expect(across(addField("key", "enabled", { default: true })).up({ object: "key", enabled: false })).toEqual({ object: "key", enabled: false });
    expect(across(addField("key", "credits", { default: 0 })).up({ object: "key" })).toEqual({ object: "key", credits: 0 });
    expect(across(addField("key", "meta", { default: null })).up({ object: "key" })).toEqual({ object: "key", meta: null });
  });

  it("without a default leaves old clients' requests alone", () => {
    expect(across(addField("key", "credits")).up({ object: "key" })).toEqual({ object: "key" });
  });
});

describe("removeField", () => {
  const c = removeField("key", "apiId", { value: "api_legacy" });

  it("gives old clients the removed field with the configured value", () => {
    expect(c.description).toBe("`apiId` is removed from key.");
    expect(across(c).down({ object: "key", id: "k" })).toEqual({ object: "key", id: "k", apiId: "api_legacy" });
  });

  it("computes the value from the resource when given a function", () => {
    const computed = removeField("key", "enabled", { value: (key: JsonObject) => key.status === "active" });
    expect(across(computed).down({ object: "key", status: "active" })).toEqual({ object: "key", status: "active", enabled: true });
  });

  it("drops what old clients send for it", () => {
    expect(across(c).up({ object: "key", apiId: "api_1", name: "n" })).toEqual({ object: "key", name: "n" });
  });

  it("requires the value old clients receive", () => {
    expect(() => removeField("key", "apiId", {} as never)).toThrow(ConfigurationError);
  });
});

describe("renameEnumValues", () => {
  const c = renameEnumValues("key", "mode", { legacy: "classic", fast: "express" });

  it("maps old values forward and new values back, leaving others", () => {
    expect(c.description).toBe("Values of `mode` on key are renamed: `legacy` → `classic`, `fast` → `express`.");
    expect(across(c).up({ object: "key", mode: "legacy" })).toEqual({ object: "key", mode: "classic" });
    expect(across(c).down({ object: "key", mode: "express" })).toEqual({ object: "key", mode: "fast" });
    expect(across(c).down({ object: "key", mode: "other" })).toEqual({ object: "key", mode: "other" });
    expect(across(c).down({ object: "key", mode: 3 })).toEqual({ object: "key", mode: 3 });
  });

  it("requires a non-empty one-to-one mapping", () => {
    expect(() => renameEnumValues("key", "mode", {})).toThrow(ConfigurationError);
    expect(() => renameEnumValues("key", "mode", { a: "x", b: "x" })).toThrow(ConfigurationError);
  });
});

describe("response-side removals", () => {
  it("leave no trace in the serialised body (the key is left undefined, not deleted)", () => {
    const vs = defineVersions({
      versions: [{ id: "2025-02-01", changes: [renameField("key", "ownerId", "externalId"), addField("key", "lastUsedAt")] }, { id: "2025-01-01" }],
    });
    const m = vs.migrateRequest({ method: "GET", path: "/k", query: {}, headers: {}, body: undefined }, "2025-01-01");
    const res = m.migrateResponse({ status: 200, headers: {}, body: { object: "key", externalId: "u1", lastUsedAt: 5 } });
    expect(JSON.stringify(res.body)).toBe('{"object":"key","ownerId":"u1"}');
  });
});
