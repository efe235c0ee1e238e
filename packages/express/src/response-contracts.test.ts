import request from "supertest";
import express5 from "express";
import express4 from "express4";
import { ConfigurationError, defineVersions, renameField, type Version } from "@strata/core";
import { versioning, type ResponseContracts } from "@strata/express";

type ExpressFactory = typeof express5;
const flavours: [string, ExpressFactory][] = [
  ["express 5", express5],
  ["express 4", express4 as unknown as ExpressFactory],
];

const versions = defineVersions({
  versions: [{ id: "2025-01-01", changes: [renameField("key", "ownerId", "externalId")] }, { id: "2024-01-01" }],
});

/** The v1 contract: a key's `ownerId` is a string. Records what it was asked. */
function contracts(): ResponseContracts & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    validateResponse(version: Version, r) {
      asked.push({ version: version.id, method: r.method, path: r.path, status: r.status });
      if (r.path !== "/keys/1") return undefined;
      const body = r.body as Record<string, unknown>;
      return typeof body.ownerId === "string" ? [] : [{ pointer: "/ownerId", message: "must be string" }];
    },
  };
}

function app(express: ExpressFactory, mode: "off" | "log" | "error", c = contracts(), lines: string[] = []) {
  const a = express();
  a.use(versioning({ versions, validateResponses: mode, contracts: c, onContractViolation: (line) => lines.push(line) }));
  a.get("/keys/:id", (req, res) => void res.json({ object: "key", id: req.params.id, externalId: req.params.id === "1" ? "u_1" : 42 }));
  return a;
}

describe.each(flavours)("validateResponses (%s)", (_, express) => {
  it('"log" reports a migrated response outside its version\'s contract and sends it', async () => {
    const lines: string[] = [];
    const c = contracts();
    const a = express();
    a.use(versioning({ versions, validateResponses: "log", contracts: c, onContractViolation: (line) => lines.push(line) }));
    a.get("/keys/:id", (_req, res) => void res.json({ object: "key", id: "1", externalId: 42 }));
    const res = await request(a).get("/keys/1").set("Api-Version", "2024-01-01");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ object: "key", id: "1", ownerId: 42 });
    expect(lines).toEqual(["strata: GET /keys/1 answered 200 outside the 2024-01-01 contract: /ownerId must be string"]);
    expect(c.asked).toEqual([{ version: "2024-01-01", method: "GET", path: "/keys/1", status: 200 }]);
  });

  it('"error" answers a 500 problem instead, without the details', async () => {
    const lines: string[] = [];
    const a = express();
    a.use(versioning({ versions, validateResponses: "error", contracts: contracts(), onContractViolation: (line) => lines.push(line) }));
    a.get("/keys/:id", (_req, res) => void res.json({ object: "key", id: "1", externalId: 42 }));
    const res = await request(a).get("/keys/1").set("Api-Version", "2024-01-01");
    expect(res.status).toBe(500);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: "response_contract_violation", status: 500 });
    expect(JSON.stringify(res.body)).not.toContain("ownerId");
    expect(lines).toHaveLength(1);
  });

  it("passes responses that fit, and checks nothing at the latest version or when off", async () => {
    const c = contracts();
    const lines: string[] = [];
    const ok = await request(app(express, "error", c, lines))
      .get("/keys/1")
      .set("Api-Version", "2024-01-01");
    expect(ok.status).toBe(200);
    expect(ok.body.ownerId).toBe("u_1");
    await request(app(express, "error", c, lines)).get("/keys/1");
    expect(c.asked).toHaveLength(1);
    const off = contracts();
    const res = await request(app(express, "off", off))
      .get("/keys/2")
      .set("Api-Version", "2024-01-01");
    expect(res.status).toBe(200);
    expect(off.asked).toEqual([]);
    expect(lines).toEqual([]);
  });
});

it("refuses validateResponses without contracts, naming the option", () => {
  expect(() => versioning({ versions, validateResponses: "log" })).toThrow(ConfigurationError);
  expect(() => versioning({ versions, validateResponses: "log" })).toThrow(/needs `contracts`/);
  expect(() => versioning({ versions, validateResponses: "loud" as never, contracts: contracts() })).toThrow(/validateResponses/);
});
