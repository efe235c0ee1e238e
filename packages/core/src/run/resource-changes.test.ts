import { change, defineVersions, MigrationError, renameField, type JsonObject, type RequestShape, type ResponseShape } from "@strata/core";

const request = (body: unknown): RequestShape => ({ method: "POST", path: "/v1/anything", query: {}, headers: {}, body });
const response = (body: unknown, status = 200): ResponseShape => ({ status, headers: {}, body });

/** `ownerId` (2024-01-01) became `externalId` (2025-01-01) on every key. */
const versions = defineVersions({
  versions: [{ id: "2025-01-01", changes: [renameField("key", "ownerId", "externalId")] }, { id: "2024-01-01" }],
});
const back = (body: unknown, status?: number) => versions.migrateRequest(request(undefined), "2024-01-01").migrateResponse(response(body, status)).body;
const forward = (body: unknown) => {
  const req = request(body);
  versions.migrateRequest(req, "2024-01-01");
  return req.body;
};

describe("resource changes", () => {
  describe("reach the resource wherever it appears", () => {
    it("as the whole body", () => {
      expect(back({ object: "key", id: "k1", externalId: "u1" })).toEqual({ object: "key", id: "k1", ownerId: "u1" });
      expect(forward({ object: "key", ownerId: "u1" })).toEqual({ object: "key", externalId: "u1" });
    });

    it("as list items and in an envelope", () => {
      const body = {
        meta: { requestId: "req_1", object: "meta" },
        data: [
          { object: "key", externalId: "a" },
          { object: "key", externalId: "b" },
          { object: "api", externalId: "not a key" },
        ],
      };
      expect(back(body)).toEqual({
        meta: { requestId: "req_1", object: "meta" },
        data: [
          { object: "key", ownerId: "a" },
          { object: "key", ownerId: "b" },
          { object: "api", externalId: "not a key" },
        ],
      });
    });

    it("nested inside another resource", () => {
      expect(back({ object: "api", id: "api_1", primaryKey: { object: "key", externalId: "u1", meta: { externalId: "untouched" } } })).toEqual({
        object: "api",
        id: "api_1",
        primaryKey: { object: "key", ownerId: "u1", meta: { externalId: "untouched" } },
      });
    });

    it("in objects inside arrays inside objects", () => {
      const body = { groups: [{ name: "g", members: [[{ object: "key", externalId: "deep" }]] }], count: 1 };
      expect(back(body)).toEqual({ groups: [{ name: "g", members: [[{ object: "key", ownerId: "deep" }]] }], count: 1 });
    });

    it("in a top-level array", () => {
      expect(back([{ object: "key", externalId: "a" }, "text", 3, null])).toEqual([{ object: "key", ownerId: "a" }, "text", 3, null]);
    });

    it("a resource nested in a resource of the same type", () => {
      expect(back({ object: "key", externalId: "outer", rotatedFrom: { object: "key", externalId: "inner" } })).toEqual({
        object: "key",
        ownerId: "outer",
        rotatedFrom: { object: "key", ownerId: "inner" },
      });
    });
  });

  it("leave scalars, null and non-resource objects alone", () => {
    for (const body of [undefined, null, "text", 42, true, [], {}]) expect(back(structuredClone(body))).toEqual(body);
    expect(back({ object: 1, externalId: "x" })).toEqual({ object: 1, externalId: "x" });
  });

  it("never change the handler's body, and share what they do not touch", () => {
    const untouched = { object: "api", id: "api_1" };
    const body = { data: [{ object: "key", externalId: "a" }], api: untouched };
    const out = back(body) as typeof body;
    expect(out).toEqual({ data: [{ object: "key", ownerId: "a" }], api: untouched });
    expect(body).toEqual({ data: [{ object: "key", externalId: "a" }], api: untouched });
    expect(out.api).toBe(untouched);
  });

  it("do not run on error responses", () => {
    expect(back({ object: "key", externalId: "a" }, 404)).toEqual({ object: "key", externalId: "a" });
  });

  it("run once per resource: requests in declaration order, responses in reverse", () => {
    const calls: string[] = [];
    const set = defineVersions({
      versions: [
        {
          id: "2025-01-01",
          changes: [
            change({ description: "one", resource: "key", request: (k) => void calls.push(`one ${k.id}`), response: (k) => void calls.push(`one ${k.id}`) }),
            change({ description: "two", resource: "key", request: (k) => void calls.push(`two ${k.id}`), response: (k) => void calls.push(`two ${k.id}`) }),
          ],
        },
        { id: "2024-01-01" },
      ],
    });
    const migration = set.migrateRequest(
      request({
        data: [
          { object: "key", id: 1 },
          { object: "key", id: 2 },
        ],
      }),
      "2024-01-01",
    );
    expect(calls).toEqual(["one 1", "two 1", "one 2", "two 2"]);
    calls.length = 0;
    migration.migrateResponse(
      response({
        data: [
          { object: "key", id: 1 },
          { object: "key", id: 2 },
        ],
      }),
    );
    expect(calls).toEqual(["two 1", "one 1", "two 2", "one 2"]);
  });

  describe("custom `resources` predicates", () => {
    const custom = defineVersions({
      resources: {
        key: (v) => typeof v.keyId === "string",
        api: (v) => typeof v.apiId === "string" && !("keyId" in v),
      },
      versions: [{ id: "2025-01-01", changes: [renameField("key", "ownerId", "externalId"), renameField("api", "title", "name")] }, { id: "2024-01-01" }],
    });

    it("identify resources without an `object` field", () => {
      const body = { apiId: "api_1", name: "prod", keys: [{ keyId: "k1", apiId: "api_1", externalId: "u1" }], object: "key" };
      const res = custom.migrateRequest(request(undefined), "2024-01-01").migrateResponse(response(body));
      expect(res.body).toEqual({ apiId: "api_1", title: "prod", keys: [{ keyId: "k1", apiId: "api_1", ownerId: "u1" }], object: "key" });
    });

    it("are tried in declaration order, first match wins", () => {
      const res = custom.migrateRequest(request(undefined), "2024-01-01").migrateResponse(response({ keyId: "k", apiId: "a", externalId: "u", name: "n" }));
      expect(res.body).toEqual({ keyId: "k", apiId: "a", ownerId: "u", name: "n" });
    });
  });

  describe("replacement return values", () => {
    const wrapped = defineVersions({
      versions: [
        {
          id: "2025-01-01",
          changes: [
            change({
              description: "Keys are no longer wrapped.",
              resource: "key",
              request: (old) => old.key as JsonObject,
              response: (key) => ({ object: "key_wrapper", key }),
            }),
          ],
        },
        { id: "2024-01-01" },
      ],
    });

    it("replace the resource in its parent, in arrays and at the top level", () => {
      const res = wrapped
        .migrateRequest(request(undefined), "2024-01-01")
        .migrateResponse(response({ data: [{ object: "key", id: "a" }], one: { object: "key", id: "b" } }));
      expect(res.body).toEqual({
        data: [{ object: "key_wrapper", key: { object: "key", id: "a" } }],
        one: { object: "key_wrapper", key: { object: "key", id: "b" } },
      });
      expect(wrapped.migrateRequest(request(undefined), "2024-01-01").migrateResponse(response({ object: "key", id: "c" })).body).toEqual({
        object: "key_wrapper",
        key: { object: "key", id: "c" },
      });
    });

    it("walk the replacement's children, so older changes reach resources it creates", () => {
      const set = defineVersions({
        versions: [
          {
            id: "2025-06-01",
            changes: [
              change({
                description: "Holders inline their key.",
                resource: "holder",
                response: (h) => ({ object: "holder", key: { object: "key", externalId: h.keyOwner } }),
              }),
            ],
          },
          { id: "2025-01-01", changes: [renameField("key", "ownerId", "externalId")] },
          { id: "2024-01-01" },
        ],
      });
      const res = set.migrateRequest(request(undefined), "2024-01-01").migrateResponse(response({ data: [{ object: "holder", keyOwner: "u1" }] }));
      expect(res.body).toEqual({ data: [{ object: "holder", key: { object: "key", ownerId: "u1" } }] });
    });

    it("replace a request body", () => {
      const req = request({ object: "key", key: { object: "new_key", id: "a" } });
      wrapped.migrateRequest(req, "2024-01-01");
      expect(req.body).toEqual({ object: "new_key", id: "a" });
    });

    it("must be objects", () => {
      const bad = defineVersions({
        versions: [{ id: "2025-01-01", changes: [change({ description: "Bad.", resource: "key", response: () => "nope" as never })] }, { id: "2024-01-01" }],
      });
      const migration = bad.migrateRequest(request(undefined), "2024-01-01");
      expect(() => migration.migrateResponse(response({ object: "key" }))).toThrow(MigrationError);
      expect(() => migration.migrateResponse(response({ object: "key" }))).toThrow(
        'The response transform of change "Bad." (version 2025-01-01) failed: a resource transform must return an object or nothing',
      );
    });
  });
});
