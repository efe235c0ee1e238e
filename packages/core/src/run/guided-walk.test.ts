import fc from "fast-check";
import { change, defineVersions, renameField, type JsonObject, type RequestShape, type WalkGuide } from "@strata/core";

const request = (): RequestShape => ({ method: "GET", path: "/things", query: {}, headers: {}, body: undefined });

/** Keys renamed at v1, a nested `owner` resource renamed too, and a hand-written change moving `customer`. */
const versions = defineVersions({
  versions: [{ id: "2025-01-01", changes: [renameField("thing", "name", "title"), renameField("person", "handle", "login")] }, { id: "2024-01-01" }],
});
const migrate = (body: unknown, guide?: WalkGuide, inPlace = false) => {
  const response = { status: 200, headers: {}, body };
  versions.migrateRequest(request(), "2024-01-01").migrateResponse(response, { inPlace, ...(guide ? { guide } : {}) });
  return response.body;
};

const list = () => ({
  object: "list",
  data: [
    { object: "thing", id: "t1", title: "One", owner: { object: "person", login: "ann" }, meta: { deep: { object: "person", login: "hidden" } } },
    { object: "thing", id: "t2", title: "Two", owner: null },
  ],
});
const LIST_GUIDE: WalkGuide = { keys: { data: { items: { visit: true, keys: { owner: { visit: true } } } } } };

describe("guided walks", () => {
  it("migrate what the guide names exactly as a full walk does, never writing the handler's objects", () => {
    const body = list();
    const before = structuredClone(body);
    expect(migrate(body, LIST_GUIDE)).toEqual(migrate(list()));
    expect(body).toEqual(before);
  });

  it("enter only where the guide says: a resource outside it is left as it is (the document is the contract)", () => {
    const guide: WalkGuide = { keys: { data: { items: { visit: true } } } };
    const out = migrate(list(), guide) as { data: JsonObject[] };
    expect(out.data[0]).toMatchObject({ name: "One" });
    // The guide says nothing can be below a thing: its `owner` is not entered.
    expect(out.data[0]!.owner).toEqual({ object: "person", login: "ann" });
    // With `owner` in the guide, a transformed thing's children are walked whole (the guide,
    // written for the newest shape, may be stale below it), so the hidden person is found too.
    const whole = migrate(list(), LIST_GUIDE) as { data: { meta: { deep: JsonObject } }[] };
    expect(whole.data[0]!.meta.deep).toEqual({ object: "person", handle: "hidden" });
    const untouched = migrate({ object: "list", extra: { object: "thing", title: "x" }, data: [] }, guide) as JsonObject;
    expect(untouched.extra).toEqual({ object: "thing", title: "x" });
  });

  it("still finds a nested resource a transform moved under a new key", () => {
    const moving = defineVersions({
      versions: [
        {
          id: "2025-01-01",
          changes: [
            change({
              description: "`customer` was `client`.",
              resource: "thing",
              response: (t) => {
                t.client = t.customer;
                delete t.customer;
              },
            }),
            renameField("person", "handle", "login"),
          ],
        },
        { id: "2024-01-01" },
      ],
    });
    const response = { status: 200, headers: {}, body: { object: "thing", customer: { object: "person", login: "bo" } } };
    moving.migrateRequest(request(), "2024-01-01").migrateResponse(response, { guide: { visit: true, keys: { customer: { visit: true } } } });
    expect(response.body).toEqual({ object: "thing", client: { object: "person", handle: "bo" } });
  });

  it("walks everything under an `any` node, and stops guiding after a whole-response transform", () => {
    expect(migrate(list(), { any: true })).toEqual(migrate(list()));
    const enveloped = defineVersions({
      versions: [
        {
          id: "2025-01-01",
          changes: [
            renameField("thing", "name", "title"),
            change({ description: "Answers in an envelope.", response: (res) => void (res.body = (res.body as { data: unknown }).data) }),
          ],
        },
        { id: "2024-01-01" },
      ],
    });
    const response = { status: 200, headers: {}, body: { data: { wrapper: { object: "thing", title: "x" } } } };
    // The guide only names `data`; after the envelope change the shape is no longer the head's.
    enveloped.migrateRequest(request(), "2024-01-01").migrateResponse(response, { guide: { keys: { data: {} } } });
    expect(response.body).toEqual({ wrapper: { object: "thing", name: "x" } });
  });

  it("agrees with the full walk on any body when the guide is exact (generated)", () => {
    const leaf = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constant(null));
    const objArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, tie("obj"), fc.array(tie("node"), { maxLength: 3 })),
      obj: fc.record(
        { object: fc.constantFrom("thing", "person", "other"), title: leaf, login: leaf, child: tie("node"), items: fc.array(tie("node"), { maxLength: 3 }) },
        { requiredKeys: ["object"] },
      ),
    })).node;
    // The exact guide of a value: every object is visited, every key holding an object entered.
    const exact = (value: unknown): WalkGuide => {
      if (Array.isArray(value)) return { items: { any: true } };
      if (typeof value !== "object" || value === null) return {};
      return { visit: true, keys: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === "object" && v !== null ? exact(v) : {}])) };
    };
    fc.assert(
      fc.property(objArb, fc.boolean(), (body, inPlace) => {
        const expected = migrate(structuredClone(body));
        expect(migrate(structuredClone(body), exact(body), inPlace)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
