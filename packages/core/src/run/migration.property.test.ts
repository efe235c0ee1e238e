import fc from "fast-check";
import { change, defineVersions, renameField, routePattern, type Change, type JsonObject, type RequestShape, type VersionDefinition } from "@strata/core";

/**
 * Properties of the migrator over generated version lists: 2 to 12 date versions, each newer
 * one with 0 to 4 changes of every kind, every transform recording into a trace.
 */

const RUNS = { numRuns: 300 };

interface Spec {
  kind: "route" | "resource" | "global";
  route: string;
  resource: "thing" | "other" | "ghost";
  request: boolean;
  response: boolean;
  error: boolean;
}

/** One call of one transform: which change (version ordinal, declaration index), on what. */
interface Call {
  ordinal: number;
  index: number;
  direction: "request" | "response" | "error";
  /** The resource object's id for resource transforms; "-" for route and global ones. */
  target: string;
}

const specArb: fc.Arbitrary<Spec> = fc
  .record({
    kind: fc.constantFrom("route", "resource", "global"),
    route: fc.constantFrom("POST /things", "* /things", "GET /things", "POST /others", "POST /:collection"),
    resource: fc.constantFrom("thing", "other", "ghost"),
    request: fc.boolean(),
    response: fc.boolean(),
    error: fc.boolean(),
  })
  .map((s) => {
    const error = s.kind !== "resource" && s.error;
    // Every change needs a transform; give the transform-less ones a request transform.
    return { ...s, error, request: s.request || (!s.response && !error) };
  });

/** Ids newest first, distinct dates. */
const idsArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 20_000 }), { minLength: 2, maxLength: 12 })
  .map((days) => days.sort((a, b) => b - a).map((d) => new Date(Date.UTC(2000, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)));

/** A version list (newest first) with change specs for every version but the oldest, and a client version index. */
const scenarioArb = idsArb.chain((ids) =>
  fc.record({
    ids: fc.constant(ids),
    specs: fc.array(fc.array(specArb, { maxLength: 4 }), { minLength: ids.length - 1, maxLength: ids.length - 1 }),
    client: fc.nat({ max: ids.length - 1 }),
  }),
);

type Scenario = { ids: string[]; specs: Spec[][]; client: number };

function build({ ids, specs }: Scenario) {
  const calls: Call[] = [];
  const n = ids.length;
  const definitions: VersionDefinition[] = ids.map((id, i) => {
    const ordinal = n - 1 - i;
    if (i === n - 1) return { id };
    const changes = specs[i]!.map((s, index): Change => {
      const rec = (direction: Call["direction"]) => (value: unknown) => {
        const target = s.kind === "resource" ? String((value as JsonObject).id) : "-";
        calls.push({ ordinal, index, direction, target });
      };
      const description = `v${ordinal} c${index}`;
      const pick = <K extends "request" | "response" | "error">(k: K) => (s[k] ? { [k]: rec(k) } : {});
      if (s.kind === "resource") return change({ description, resource: s.resource, ...pick("request"), ...pick("response") });
      if (s.kind === "route") return change({ description, routes: s.route, ...pick("request"), ...pick("response"), ...pick("error") });
      return change({ description, ...pick("request"), ...pick("response"), ...pick("error") });
    });
    return { id, changes };
  });
  return { versions: defineVersions({ versions: definitions }), calls };
}

/** The changes a request POST /things at the client's version applies, in chain order, by the model. */
function applicable({ ids, specs, client }: Scenario, present: ReadonlySet<string>) {
  const n = ids.length;
  const clientOrdinal = n - 1 - client;
  const out: { ordinal: number; index: number; spec: Spec }[] = [];
  for (let i = n - 2; i >= 0; i--) {
    const ordinal = n - 1 - i;
    if (ordinal <= clientOrdinal) continue;
    specs[i]!.forEach((spec, index) => {
      const applies =
        spec.kind === "global" ||
        (spec.kind === "route" ? routePattern(spec.route, "model").match("POST", "/things") !== undefined : present.has(spec.resource));
      if (applies) out.push({ ordinal, index, spec });
    });
  }
  return out;
}

const key = (c: { ordinal: number; index: number }) => `${c.ordinal}.${c.index}`;
const byChain = (a: { ordinal: number; index: number }, b: { ordinal: number; index: number }) => a.ordinal - b.ordinal || a.index - b.index;
const request = (body: unknown): RequestShape => ({ method: "POST", path: "/things", query: {}, headers: {}, body });

describe("migration properties", () => {
  it("(1) request order is (version asc, declaration asc) and holds exactly the applicable changes of newer versions", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { versions, calls } = build(scenario);
        versions.migrateRequest(request({ data: { object: "thing", id: "t1" } }), scenario.ids[scenario.client]!);
        const expected = applicable(scenario, new Set(["thing"])).filter((c) => c.spec.request);
        expect(calls.map(key)).toEqual(expected.map(key));
        expect([...calls].sort(byChain)).toEqual(calls);
        expect(calls.every((c) => c.direction === "request" && c.ordinal > scenario.ids.length - 1 - scenario.client)).toBe(true);
      }),
      RUNS,
    );
  });

  it("(1b) with many resources, each one sees the chain in order, and every change runs once per resource", () => {
    const bodyArb = fc.record({ things: fc.integer({ min: 1, max: 3 }), others: fc.integer({ min: 0, max: 2 }) });
    fc.assert(
      fc.property(scenarioArb, bodyArb, (scenario, shape) => {
        const { versions, calls } = build(scenario);
        const things = Array.from({ length: shape.things }, (_, i) => ({ object: "thing", id: `t${i}` }));
        const others = Array.from({ length: shape.others }, (_, i) => ({ object: "other", id: `o${i}`, owner: { object: "thing", id: `n${i}` } }));
        versions.migrateRequest(request({ data: things, related: { others } }), scenario.ids[scenario.client]!);
        const ids = [...things.map((t) => t.id), ...others.flatMap((o) => [o.id, o.owner.id])];
        const present = new Set(["thing", ...(shape.others > 0 ? ["other"] : [])]);
        const expected = applicable(scenario, present).filter((c) => c.spec.request);
        for (const id of ids) {
          const type = id.startsWith("o") ? "other" : "thing";
          const seen = calls.filter((c) => c.target === id || c.target === "-");
          const want = expected.filter((c) => c.spec.kind !== "resource" || c.spec.resource === type);
          expect(seen.map(key)).toEqual(want.map(key));
        }
        const resourceCalls = calls.filter((c) => c.target !== "-").length;
        const expectedResourceCalls = expected.reduce(
          (sum, c) =>
            sum + (c.spec.kind !== "resource" ? 0 : c.spec.resource === "thing" ? shape.things + shape.others : c.spec.resource === "other" ? shape.others : 0),
          0,
        );
        expect(resourceCalls).toBe(expectedResourceCalls);
      }),
      RUNS,
    );
  });

  it("(2) response order is the exact reverse of the matched changes that have a response transform; errors likewise", () => {
    fc.assert(
      fc.property(scenarioArb, fc.constantFrom(200, 201, 204, 302, 400, 404, 500), (scenario, status) => {
        const { versions, calls } = build(scenario);
        const migration = versions.migrateRequest(request({ data: { object: "thing", id: "t1" } }), scenario.ids[scenario.client]!);
        const requestCalls = calls.splice(0);
        migration.migrateResponse({ status, headers: {}, body: { data: { object: "thing", id: "t1" } } });
        const direction = status >= 400 ? "error" : "response";
        const matched = applicable(scenario, new Set(["thing"]));
        expect(calls.map(key)).toEqual(
          matched
            .filter((c) => c.spec[direction])
            .reverse()
            .map(key),
        );
        expect(calls.every((c) => c.direction === direction)).toBe(true);
        // The reverse of the request order, restricted to the changes both directions ran.
        const both = new Set(calls.map(key));
        const ranBoth = calls.map(key).filter((k) => requestCalls.some((c) => key(c) === k));
        expect(ranBoth).toEqual(
          requestCalls
            .map(key)
            .filter((k) => both.has(k))
            .reverse(),
        );
      }),
      RUNS,
    );
  });

  describe("rename chains", () => {
    const FORBIDDEN = new Set(["object", "__proto__", "constructor", "prototype"]);
    /** JSON values without the keys request-direction migration strips on purpose (see safe-object). */
    const pollutes = (v: unknown): boolean =>
      typeof v === "object" &&
      v !== null &&
      (Object.prototype.hasOwnProperty.call(v, "__proto__") || Object.prototype.hasOwnProperty.call(v, "constructor") || Object.values(v).some(pollutes));
    const valuesArb = fc.array(
      fc.jsonValue({ maxDepth: 3 }).filter((v) => !pollutes(v)),
      { minLength: 6, maxLength: 6 },
    );
    const nameArb = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,7}$/).filter((s) => !FORBIDDEN.has(s));

    /** Versions newest first; the key's fields at the oldest version are renamed step by step. */
    const chainArb = idsArb.chain((ids) =>
      fc.record({
        ids: fc.constant(ids),
        names: fc.uniqueArray(nameArb, { minLength: 6 + 3 * ids.length, maxLength: 6 + 3 * ids.length }),
        fieldCount: fc.integer({ min: 1, max: 6 }),
        picks: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: ids.length - 1, maxLength: ids.length - 1 }),
      }),
    );

    function buildChain({ ids, names, fieldCount, picks }: { ids: string[]; names: string[]; fieldCount: number; picks: number[][] }) {
      let fresh = fieldCount;
      const fields = names.slice(0, fieldCount);
      const changesOldestFirst: Change[][] = [];
      /** The key's field names at each version, by id. */
      const fieldsAt = new Map<string, string[]>([[ids[ids.length - 1]!, [...fields]]]);
      for (let v = ids.length - 2; v >= 0; v--) {
        changesOldestFirst.push(
          picks[v]!.map((p) => {
            const slot = p % fields.length;
            const from = fields[slot]!;
            const to = names[fresh++]!;
            fields[slot] = to;
            return renameField("key", from, to);
          }),
        );
        fieldsAt.set(ids[v]!, [...fields]);
      }
      const definitions: VersionDefinition[] = ids.map((id, i) => (i === ids.length - 1 ? { id } : { id, changes: changesOldestFirst[ids.length - 2 - i]! }));
      return { versions: defineVersions({ versions: definitions }), latestFields: [...fields], fieldsAt };
    }

    it("(3) migrating a resource back to any version gives that version's fields, and forward again the original", () => {
      fc.assert(
        fc.property(chainArb, valuesArb, fc.nat(), (chain, values, p) => {
          const { versions, latestFields, fieldsAt } = buildChain(chain);
          const key: JsonObject = { object: "key" };
          latestFields.forEach((f, i) => (key[f] = values[i]));
          const body = { data: [key, structuredClone(key)], meta: { object: "meta", count: 2 } };
          const original = structuredClone(body);
          const target = chain.ids[p % chain.ids.length]!;
          const old = versions.migratePayload<typeof body>(body, { to: target });
          // At the target version, the key has the fields that version named, with the same values.
          const expectedOld: JsonObject = { object: "key" };
          fieldsAt.get(target)!.forEach((f, i) => (expectedOld[f] = original.data[0]![latestFields[i]!]));
          expect(old.data).toEqual([expectedOld, expectedOld]);
          const back = versions.migratePayload(old, { from: target, to: versions.latest });
          expect(back).toEqual(original);
        }),
        RUNS,
      );
    });

    it("(3b) the same round trip through migrateResponse and migrateRequest", () => {
      fc.assert(
        fc.property(chainArb, valuesArb, fc.nat(), (chain, values, p) => {
          const { versions, latestFields } = buildChain(chain);
          const key: JsonObject = { object: "key" };
          latestFields.forEach((f, i) => (key[f] = values[i]));
          const original = structuredClone(key);
          const client = chain.ids[p % chain.ids.length]!;
          const shown = versions.migrateRequest(request(undefined), client).migrateResponse({ status: 200, headers: {}, body: key }).body;
          const sent = request(shown);
          versions.migrateRequest(sent, client);
          expect(sent.body).toEqual(original);
        }),
        RUNS,
      );
    });
  });

  it("(4) migrating to the latest never changes the payload, and a request at the latest runs nothing", () => {
    fc.assert(
      fc.property(scenarioArb, fc.jsonValue(), fc.jsonValue(), (scenario, payload, body) => {
        const { versions, calls } = build(scenario);
        const before = structuredClone(payload);
        expect(versions.migratePayload(payload, { to: versions.latest.id })).toBe(payload);
        expect(versions.migratePayload(payload, { from: versions.latest, to: versions.latest })).toBe(payload);
        expect(payload).toEqual(before);

        const req = request(body);
        const res = { status: 200, headers: {}, body: structuredClone(body) };
        versions.migrateRequest(req, versions.latest).migrateResponse(res);
        expect(req).toEqual(request(structuredClone(body)));
        expect(res.body).toEqual(body);
        expect(calls).toEqual([]);
      }),
      RUNS,
    );
  });
});
