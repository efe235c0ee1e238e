import {
  addEndpoint,
  addField,
  change,
  ConfigurationError,
  moveEndpoint,
  moveEndpoints,
  moveQueryToBody,
  removeField,
  renameEnumValues,
  renameField,
} from "../index";

describe("schema deltas", () => {
  it("the declarative helpers state their effect on the contract as data", () => {
    expect(renameField("key", "ownerId", "externalId").schema).toEqual([{ op: "renameField", resource: "key", from: "ownerId", to: "externalId" }]);
    expect(addField("key", "lastUsedAt").schema).toEqual([{ op: "addField", resource: "key", field: "lastUsedAt" }]);
    expect(removeField("key", "workspaceId", { value: "ws", schema: { type: "string" } }).schema).toEqual([
      { op: "removeField", resource: "key", field: "workspaceId", schema: { type: "string" } },
    ]);
    expect(removeField("key", "workspaceId", { value: "ws" }).schema).toEqual([{ op: "removeField", resource: "key", field: "workspaceId" }]);
    expect(removeField("key", "workspaceId", { value: "ws", schema: { type: "string" }, required: true }).schema).toEqual([
      { op: "removeField", resource: "key", field: "workspaceId", schema: { type: "string" }, required: true },
    ]);
    expect(renameEnumValues("key", "status", { on: "enabled" }).schema).toEqual([
      { op: "renameEnumValues", resource: "key", field: "status", values: { on: "enabled" } },
    ]);
    expect(moveEndpoint("GET /v1/keys/:keyId", "GET /v2/keys").schema).toEqual([{ op: "moveEndpoint", from: "GET /v1/keys/:keyId", to: "GET /v2/keys" }]);
    expect(
      moveEndpoints(
        [
          ["POST /v1/a", "POST /v2/a"],
          ["POST /v1/b", "POST /v2/b"],
        ],
        { description: "Moved." },
      ).schema,
    ).toHaveLength(2);
    expect(moveQueryToBody("GET /v1/keys.getKey", "POST /v2/keys.getKey", { types: { decrypt: "boolean" } }).schema).toEqual([
      { op: "moveQueryToBody", from: "GET /v1/keys.getKey", to: "POST /v2/keys.getKey", types: { decrypt: "boolean" } },
    ]);
    expect(addEndpoint(["POST /v2/keys.whoami"]).schema).toEqual([{ op: "addEndpoint", routes: ["POST /v2/keys.whoami"] }]);
  });

  it("a hand-written change may carry ops, a function, or [] (no shape changes)", () => {
    const fn = () => undefined;
    const base = { description: "Answers in an envelope.", response: () => undefined };
    expect(change({ ...base, schema: fn }).schema).toBe(fn);
    expect(change({ ...base, schema: [] }).schema).toEqual([]);
    expect(change({ ...base }).schema).toBeUndefined();
    const ops = change({ ...base, resource: "key", schema: [{ op: "addField", resource: "key", field: "meta" }] }).schema as readonly unknown[];
    expect(Object.isFrozen(ops) && Object.isFrozen(ops[0])).toBe(true);
  });

  it.each([
    ["not a list", "envelope", /`schema` must be a list of schema ops or a function/],
    ["an unknown op", [{ op: "renameFeld", resource: "key", from: "a", to: "b" }], /schema\[0\]: unknown op "renameFeld"\. Known ops: renameField/],
    ["a missing field", [{ op: "renameField", resource: "key", from: "a" }], /schema\[0\] \(renameField\): `to` must be a non-empty string/],
    ["a bad route", [{ op: "moveEndpoint", from: "FETCH /a", to: "GET /b" }], /unknown HTTP method "FETCH"/],
    ["an empty addEndpoint", [{ op: "addEndpoint", routes: [] }], /`routes` must list at least one route/],
    ["an empty enum mapping", [{ op: "renameEnumValues", resource: "k", field: "f", values: {} }], /`values` must map old values/],
  ])("refuses %s at startup, naming the change", (_, schema, message) => {
    const make = () => change({ description: "Bad delta.", response: () => undefined, schema: schema as never });
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(message);
    expect(make).toThrow(/Change "Bad delta\."/);
  });
});
