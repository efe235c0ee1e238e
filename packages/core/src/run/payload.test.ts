import { addField, change, defineVersions, MigrationError, renameField, type JsonObject } from "@strata/core";

/**
 * 2024-01-01  key.ownerId, event.type "key.made"
 * 2024-06-01  ownerId -> externalId
 * 2025-01-01  key.credits added (default 0); events say "key.created"; a route change
 * 2025-06-01  externalId -> owner
 */
function build() {
  const trace: string[] = [];
  const eventType = change({
    description: "Event `key.made` is renamed `key.created`.",
    event: (event) => {
      trace.push("eventType event");
      if (event.type === "key.created") event.type = "key.made";
    },
    request: (req) => {
      trace.push("eventType request");
      req.headers["x-touched"] = "yes";
    },
  });
  const route = change({
    description: "A route change.",
    routes: "GET /v1/keys",
    request: () => void trace.push("route request"),
    response: () => void trace.push("route response"),
  });
  const versions = defineVersions({
    versions: [
      { id: "2025-06-01", changes: [renameField("key", "externalId", "owner")] },
      { id: "2025-01-01", changes: [addField("key", "credits", { default: 0 }), eventType, route] },
      { id: "2024-06-01", changes: [renameField("key", "ownerId", "externalId")] },
      { id: "2024-01-01" },
    ],
  });
  return { versions, trace };
}

const latestEvent = () => ({ type: "key.created", data: { object: { object: "key", id: "k1", owner: "u1", credits: 5 } } });

describe("migratePayload", () => {
  it("renders a latest-version event at an old version (backward)", () => {
    const { versions, trace } = build();
    expect(versions.migratePayload(latestEvent(), { to: "2024-01-01" })).toEqual({
      type: "key.made",
      data: { object: { object: "key", id: "k1", ownerId: "u1" } },
    });
    expect(trace).toEqual(["eventType event"]);
  });

  it("migrates an old document to the latest version (forward) with resource request transforms only", () => {
    const { versions, trace } = build();
    const doc = { type: "key.made", data: { object: { object: "key", id: "k1", ownerId: "u1" } } };
    expect(versions.migratePayload(doc, { from: "2024-01-01", to: "2025-06-01" })).toEqual({
      type: "key.made",
      data: { object: { object: "key", id: "k1", owner: "u1", credits: 0 } },
    });
    expect(trace).toEqual([]);
  });

  it("moves backward between two versions that are not the latest", () => {
    const { versions } = build();
    const key = { object: "key", externalId: "u1", credits: 2 };
    expect(versions.migratePayload(key, { from: "2025-01-01", to: "2024-06-01" })).toEqual({ object: "key", externalId: "u1" });
  });

  it("moves forward between two versions that are not the latest", () => {
    const { versions } = build();
    expect(versions.migratePayload({ object: "key", ownerId: "u1" }, { from: "2024-01-01", to: "2024-06-01" })).toEqual({ object: "key", externalId: "u1" });
    expect(versions.migratePayload({ object: "key", externalId: "u1" }, { from: "2024-06-01", to: "2025-01-01" })).toEqual({
      object: "key",
      externalId: "u1",
      credits: 0,
    });
  });

  it("returns the payload itself when from and to are the same version", () => {
    const { versions, trace } = build();
    const event = latestEvent();
    expect(versions.migratePayload(event, { to: "2025-06-01" })).toBe(event);
    expect(versions.migratePayload(event, { from: "2024-06-01", to: versions.list[2]! })).toBe(event);
    expect(event).toEqual(latestEvent());
    expect(trace).toEqual([]);
  });

  it("reaches resources in arrays of events", () => {
    const { versions } = build();
    expect(versions.migratePayload([latestEvent(), latestEvent()], { to: "2024-06-01" })).toEqual([
      { type: "key.created", data: { object: { object: "key", id: "k1", externalId: "u1" } } },
      { type: "key.created", data: { object: { object: "key", id: "k1", externalId: "u1" } } },
    ]);
  });

  it("uses an event transform's return value as the new payload, and skips it for non-objects", () => {
    const versions = defineVersions({
      versions: [
        { id: "2025-01-01", changes: [change({ description: "Events gained an envelope.", event: (e) => e.data as JsonObject })] },
        { id: "2024-01-01" },
      ],
    });
    expect(versions.migratePayload({ data: { id: "evt_1" } }, { to: "2024-01-01" })).toEqual({ id: "evt_1" });
    expect(versions.migratePayload([{ data: 1 }], { to: "2024-01-01" })).toEqual([{ data: 1 }]);
    expect(versions.migratePayload("text", { to: "2024-01-01" })).toBe("text");
  });

  it("wraps a throwing event transform in a MigrationError with the event direction", () => {
    const versions = defineVersions({
      versions: [
        {
          id: "2025-01-01",
          changes: [
            change({
              description: "Breaks.",
              event: () => {
                throw new Error("boom");
              },
            }),
          ],
        },
        { id: "2024-01-01" },
      ],
    });
    expect(() => versions.migratePayload({}, { to: "2024-01-01" })).toThrow(
      expect.objectContaining({ name: "MigrationError", direction: "event", change: "Breaks.", version: "2025-01-01" }),
    );
    expect(() => versions.migratePayload({}, { to: "2024-01-01" })).toThrow(MigrationError);
  });
});

describe("payload plans", () => {
  it("are compiled once: rendering a payload compiles nothing, at startup's pairs or any later one", () => {
    const moves = require("../compile/field-moves") as typeof import("../compile/field-moves");
    const { defineVersions: define, renameField: rename } = jest.requireActual("@strata/core") as typeof import("@strata/core");
    const spy = jest.spyOn(moves, "compileMoves");
    try {
      const set = define({
        versions: [{ id: "2025-09-01", changes: [rename("key", "b", "c")] }, { id: "2025-06-01", changes: [rename("key", "a", "b")] }, { id: "2025-01-01" }],
      });
      const compiledAtStartup = spy.mock.calls.length;
      expect(compiledAtStartup).toBeGreaterThan(0);
      for (let i = 0; i < 3; i++) {
        expect(set.migratePayload({ object: "key", c: 1 }, { to: "2025-01-01" })).toEqual({ object: "key", a: 1 });
        expect(set.migratePayload({ object: "key", b: 1 }, { from: "2025-06-01", to: "2025-09-01" })).toEqual({ object: "key", c: 1 });
      }
      // The forward pair was compiled on its first use only.
      expect(spy.mock.calls.length - compiledAtStartup).toBeLessThanOrEqual(1);
    } finally {
      spy.mockRestore();
    }
  });
});
