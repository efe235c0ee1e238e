import {
  addField,
  change,
  defineVersions,
  removeField,
  renameEnumValues,
  renameField,
  type JsonObject,
  type RequestShape,
  type ResponseShape,
} from "@strata/core";

// DESIGN.md semantics 9: the handler's objects are never changed; the chain copies what it touches.
const get = (): RequestShape => ({ method: "GET", path: "/v1/keys", query: {}, headers: {}, body: undefined });
const ok = (body: unknown): ResponseShape => ({ status: 200, headers: {}, body });

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const handWritten = change({
  description: "`credits` is split into `remaining` and `refill`.",
  resource: "key",
  response: (key) => {
    const credits = key.credits as { remaining: number; refill: JsonObject };
    credits.refill.interval = "daily"; // writes below the resource: needs a deep copy
    key.remaining = credits.remaining;
    key.refill = credits.refill;
    delete key.credits;
  },
});
const envelope = change({
  description: "Responses are wrapped in `{ meta, data }`.",
  response: (res) => {
    const body = res.body as { meta: JsonObject; data: unknown };
    body.meta.version = "old"; // a whole-response transform writing into the body
    res.body = { data: body.data, meta: body.meta };
  },
});

const versions = defineVersions({
  versions: [
    { id: "2025-05-01", changes: [renameField("key", "ownerId", "externalId"), addField("key", "tags")] },
    { id: "2025-04-01", changes: [handWritten, renameEnumValues("key", "state", { on: "enabled" })] },
    { id: "2025-03-01", changes: [removeField("key", "name", { value: (k: JsonObject) => `key ${String(k.id)}` }), envelope] },
    { id: "2025-01-01" },
  ],
});

const handlerBody = () => ({
  meta: { requestId: "req_1" },
  data: [
    { object: "key", id: "k1", externalId: "u1", tags: ["x"], state: "enabled", credits: { remaining: 5, refill: { amount: 1 } } },
    { object: "api", id: "a1", nested: { object: "key", id: "k2", externalId: "u2", state: "enabled", credits: { remaining: 1, refill: { amount: 2 } } } },
  ],
});
const oldShape = {
  meta: { requestId: "req_1", version: "old" },
  data: [
    { object: "key", id: "k1", ownerId: "u1", state: "on", remaining: 5, refill: { amount: 1, interval: "daily" }, name: "key k1" },
    {
      object: "api",
      id: "a1",
      nested: { object: "key", id: "k2", ownerId: "u2", state: "on", remaining: 1, refill: { amount: 2, interval: "daily" }, name: "key k2" },
    },
  ],
};
const migrate = (body: unknown, inPlace?: boolean) =>
  versions.migrateRequest(get(), "2025-01-01").migrateResponse(ok(body), inPlace === undefined ? {} : { inPlace }).body;
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe("the handler's objects", () => {
  it("are never changed by default, whatever kind of change runs", () => {
    const body = handlerBody();
    expect(asJson(migrate(body))).toEqual(oldShape);
    expect(body).toEqual(handlerBody());
  });

  it("can be shared between requests: a cached body answers every version correctly, any number of times", () => {
    const cached = handlerBody();
    for (let i = 0; i < 3; i++) {
      expect(asJson(migrate(cached))).toEqual(oldShape);
      expect(versions.migrateRequest(get(), "2025-05-01").migrateResponse(ok(cached)).body).toBe(cached);
    }
    expect(cached).toEqual(handlerBody());
  });

  it("may be frozen, deeply: they are migrated, not passed on in the new shape", () => {
    expect(asJson(migrate(deepFreeze(handlerBody())))).toEqual(oldShape);
    expect(asJson(migrate(deepFreeze(handlerBody()), true))).toEqual(oldShape);
  });

  it("are migrated in place only with the explicit opt-in, to the same result", () => {
    const body = handlerBody();
    expect(asJson(migrate(body, true))).toEqual(oldShape);
    expect(body).not.toEqual(handlerBody());
  });

  it("are shared where no change applies (copy-on-write copies only the path to a change)", () => {
    const onlyRename = defineVersions({ versions: [{ id: "2025-05-01", changes: [renameField("key", "ownerId", "externalId")] }, { id: "2025-01-01" }] });
    const other = { object: "api", id: "a1", deep: { list: [1, 2, 3] } };
    const body = { data: [{ object: "key", externalId: "u1" }, other], page: { next: null } };
    const out = onlyRename.migrateRequest(get(), "2025-01-01").migrateResponse(ok(body)).body as typeof body;
    expect(out).not.toBe(body);
    expect(out.data[1]).toBe(other);
    expect(out.page).toBe(body.page);
    expect(out.data[0]).toEqual({ object: "key", ownerId: "u1" });
    expect(body.data[0]).toEqual({ object: "key", externalId: "u1" });
  });

  it("pass through untouched (the same object) when nothing applies", () => {
    const onlyRename = defineVersions({ versions: [{ id: "2025-05-01", changes: [renameField("key", "ownerId", "externalId")] }, { id: "2025-01-01" }] });
    const body = {
      data: [
        { object: "api", id: "a1" },
        { object: "key", id: "k1" },
      ],
    };
    expect(onlyRename.migrateRequest(get(), "2025-01-01").migrateResponse(ok(body)).body).toBe(body);
  });

  it("include error bodies: an error transform gets a private copy", () => {
    const errors = defineVersions({
      versions: [
        { id: "2025-05-01", changes: [change({ description: "Errors gain `type`.", error: (res) => void delete (res.body as JsonObject).type })] },
        { id: "2025-01-01" },
      ],
    });
    const NOT_FOUND = Object.freeze({ type: "not_found", message: "no such key" });
    const out = errors.migrateRequest(get(), "2025-01-01").migrateResponse({ status: 404, headers: {}, body: NOT_FOUND });
    expect(out.body).toEqual({ message: "no such key" });
    expect(NOT_FOUND).toEqual({ type: "not_found", message: "no such key" });
  });

  it("include webhook payloads, in both directions", () => {
    const event = handlerBody();
    // Events get resource and `event` transforms; the envelope change has only `response`.
    expect(asJson(versions.migratePayload(event, { to: "2025-01-01" }))).toEqual({ ...oldShape, meta: { requestId: "req_1" } });
    expect(event).toEqual(handlerBody());
    const old = { object: "key", id: "k1", ownerId: "u1" };
    expect(versions.migratePayload(old, { from: "2025-04-01", to: "2025-05-01" })).toEqual({ object: "key", id: "k1", externalId: "u1" });
    expect(old).toEqual({ object: "key", id: "k1", ownerId: "u1" });
  });
});

describe("a body nested deeper than the walk follows", () => {
  const renamed = defineVersions({ versions: [{ id: "2025-05-01", changes: [renameField("key", "ownerId", "externalId")] }, { id: "2025-01-01" }] });
  const migrate = (body: unknown) => renamed.migrateRequest(get(), "2025-01-01").migrateResponse(ok(body)).body;
  const deep = (levels: number): JsonObject => {
    let inner: JsonObject = { object: "key", externalId: "deep" };
    for (let i = 0; i < levels; i++) inner = { child: inner };
    return inner;
  };

  it("is still migrated at depths real APIs never reach", () => {
    const out = JSON.stringify(migrate(deep(300)));
    expect(out).toContain('"ownerId":"deep"');
    expect(out).not.toContain("externalId");
  });

  it("is refused as migration_failed, never passed on in the new shape", () => {
    expect(() => migrate(deep(5000))).toThrow(expect.objectContaining({ code: "migration_failed" }));
  });
});
