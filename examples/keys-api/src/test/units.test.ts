/** The small pieces the handlers rely on: refill dates, permission queries, validation. */
import { lastRefillBoundary, refillIfDue } from "../credits";
import { openDb } from "../db";
import { formatPermissionQuery, parsePermissionQuery, PermissionQueryError, satisfies } from "../permission-query";
import { Ratelimiter } from "../ratelimiter";
import { ApiError } from "../v2/errors";
import { int, list, nullable, obj, opt, parseBody, str } from "../v2/validate";

describe("credits > refill boundaries (UTC)", () => {
  const at = (iso: string) => Date.parse(iso);
  test("daily: midnight today", () => {
    expect(lastRefillBoundary({ interval: "daily", amount: 1 }, at("2025-03-10T15:00:00Z"))).toBe(at("2025-03-10T00:00:00Z"));
  });
  test("monthly: this month's refill day once reached, else last month's", () => {
    expect(lastRefillBoundary({ interval: "monthly", amount: 1, refillDay: 15 }, at("2025-03-20T00:00:00Z"))).toBe(at("2025-03-15T00:00:00Z"));
    expect(lastRefillBoundary({ interval: "monthly", amount: 1, refillDay: 15 }, at("2025-03-10T00:00:00Z"))).toBe(at("2025-02-15T00:00:00Z"));
  });
  test("monthly on the 31st refills on the last day of shorter months", () => {
    expect(lastRefillBoundary({ interval: "monthly", amount: 1, refillDay: 31 }, at("2025-02-28T12:00:00Z"))).toBe(at("2025-02-28T00:00:00Z"));
  });
  test("refillIfDue resets remaining to the amount once per period", () => {
    const db = openDb();
    db.workspaces.create("w", "ws");
    db.workspaces.createApi("ws", "api", { id: "api" });
    const key = db.keys.insert({
      id: "k",
      workspaceId: "ws",
      apiId: "api",
      hash: "h",
      start: "s",
      enabled: true,
      credits: { remaining: 0, refill: { interval: "daily", amount: 5 } },
    });
    const tomorrow = key.createdAt + 86_400_000;
    const refilled = refillIfDue(db, key, tomorrow);
    expect(refilled.credits).toEqual({ remaining: 5, refill: { interval: "daily", amount: 5, lastRefillAt: tomorrow } });
    expect(refillIfDue(db, { ...refilled, credits: { ...refilled.credits!, remaining: 2 } }, tomorrow + 1000).credits!.remaining).toBe(2);
    db.close();
  });
});

describe("permission queries", () => {
  test.each([
    ["a", "a"],
    ["a AND b", { and: ["a", "b"] }],
    ["a and (b OR c)", { and: ["a", { or: ["b", "c"] }] }],
    ["api.*.read OR admin", { or: ["api.*.read", "admin"] }],
  ])("%s parses", (query, tree) => expect(parsePermissionQuery(query)).toEqual(tree));

  test.each(["", "a AND", "(a", "a b", "a $ b"])("%j is rejected", (query) => {
    expect(() => parsePermissionQuery(query)).toThrow(PermissionQueryError);
  });

  test("format is the inverse of parse, parenthesising nested groups", () => {
    const tree = { and: ["a", { or: ["b", "c"] }] };
    expect(formatPermissionQuery(tree)).toBe("a AND (b OR c)");
    expect(parsePermissionQuery(formatPermissionQuery(tree))).toEqual(tree);
  });

  test("satisfies", () => {
    expect(satisfies({ and: ["a", { or: ["b", "c"] }] }, new Set(["a", "c"]))).toBe(true);
    expect(satisfies({ and: ["a", { or: ["b", "c"] }] }, new Set(["b", "c"]))).toBe(false);
  });
});

describe("ratelimiter", () => {
  test("a rejected check commits nothing; commit spends every limit", () => {
    const limiter = new Ratelimiter();
    const rules = [
      { id: "a", limit: 2, duration: 1000, cost: 1 },
      { id: "b", limit: 1, duration: 1000, cost: 1 },
    ];
    limiter.check(rules, 0).commit();
    const second = limiter.check(rules, 10);
    expect(second.results.map((r) => r.passed)).toEqual([true, false]);
    expect(limiter.check([rules[0]!], 20).results[0]).toEqual({ passed: true, remaining: 0, reset: 1000 });
    expect(limiter.check(rules, 1000).results.every((r) => r.passed)).toBe(true);
  });
});

describe("validation > 400s list every problem with location, message and fix", () => {
  const shape = { keyId: str(), limit: opt(int({ min: 1, max: 100 })), name: opt(nullable(str())), tags: opt(list(str())), nested: opt(obj({ cost: int() })) };
  test("valid bodies pass, unknown fields are ignored", () => {
    expect(parseBody(shape, { keyId: "k", name: null, extra: 1 })).toEqual({ keyId: "k", name: null });
  });
  test("every problem is reported", () => {
    try {
      parseBody(shape, { limit: 0, tags: ["x", 1], nested: { cost: 1.5 } });
      throw new Error("expected a 400");
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).errors).toEqual([
        { location: "body.keyId", message: "Required field missing", fix: "Provide `keyId`." },
        { location: "body.limit", message: "Must be at least 1", fix: "Use a value of 1 or more." },
        { location: "body.tags[1]", message: "Expected a string, received number", fix: "Send `tags[1]` as a string." },
        { location: "body.nested.cost", message: "Expected an integer, received number", fix: "Send `nested.cost` as an integer." },
      ]);
    }
  });
});
