import request from "supertest";
import express5 from "express";
import express4 from "express4";
import { Readable } from "node:stream";
import { change, defineVersions } from "@strata/core";
import { versioning } from "@strata/express";

type ExpressFactory = typeof express5;
const flavours: [string, ExpressFactory][] = [
  ["express 5", express5],
  ["express 4", express4 as unknown as ExpressFactory],
];

const renameEverywhere = change({
  description: "`name` is renamed to `title`.",
  response: (res) => {
    const body = res.body as Record<string, unknown>;
    if (body && typeof body === "object" && "title" in body) {
      body.name = body.title;
      delete body.title;
    }
  },
});

const versions = defineVersions({
  versions: [
    { id: "2026-01-01", changes: [renameEverywhere] },
    { id: "2025-06-01", changes: [change({ description: "no-op marker", sideEffect: true })], deprecatedAt: "2026-01-01", sunsetAt: "2026-12-31" },
    { id: "2025-01-01", deprecatedAt: "2025-06-01", sunsetAt: "2026-03-01" },
  ],
});

function app(express: ExpressFactory, now: string) {
  const a = express();
  a.use(versioning({ versions, now: () => new Date(now) }));
  a.get("/doc", (_req, res) => void res.json({ title: "hello" }));
  a.get("/buffer", (_req, res) => void res.type("application/octet-stream").send(Buffer.from([1, 2, 3])));
  a.get("/stream", (_req, res) => {
    res.type("application/json");
    Readable.from(['{"title":', '"streamed"}']).pipe(res);
  });
  a.get("/json-string", (_req, res) => void res.type("application/json").send('{"title":"pre-serialised"}'));
  return a;
}

describe.each(flavours)("version lifecycle on %s", (_name, express) => {
  it("marks a deprecated version with Deprecation and Sunset headers", async () => {
    const res = await request(app(express, "2026-02-01T00:00:00Z")).get("/doc").set("Api-Version", "2025-06-01");
    expect(res.status).toBe(200);
    expect(res.headers["deprecation"]).toBe(`@${Date.parse("2026-01-01T00:00:00Z") / 1000}`);
    expect(res.headers["sunset"]).toBe(new Date("2026-12-31T00:00:00Z").toUTCString());
    expect(res.body).toEqual({ name: "hello" });
  });

  it("announces a deprecation before it takes effect (RFC 9745's future date) with the future sunset", async () => {
    const res = await request(app(express, "2025-09-01T00:00:00Z")).get("/doc").set("Api-Version", "2025-06-01");
    expect(res.status).toBe(200);
    expect(res.headers["deprecation"]).toBe(`@${Date.parse("2026-01-01T00:00:00Z") / 1000}`);
    expect(res.headers["sunset"]).toBe(new Date("2026-12-31T00:00:00Z").toUTCString());
    expect(res.headers["link"]).toBeUndefined(); // no upgrade guide configured
  });

  it("answers 410 past the sunset, naming the upgrade path", async () => {
    const res = await request(app(express, "2026-04-01T00:00:00Z")).get("/doc").set("Api-Version", "2025-01-01");
    expect(res.status).toBe(410);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: "version_sunset", version: "2025-01-01", upgradeTo: "2025-06-01" });
  });

  it("leaves the latest version without lifecycle headers", async () => {
    const res = await request(app(express, "2026-04-01T00:00:00Z")).get("/doc");
    expect(res.headers["deprecation"]).toBeUndefined();
    expect(res.headers["sunset"]).toBeUndefined();
    expect(res.body).toEqual({ title: "hello" });
  });
});

describe.each(flavours)("non-JSON bodies on %s pass through untouched", (_name, express) => {
  const old = (path: string) => request(app(express, "2026-02-01T00:00:00Z")).get(path).set("Api-Version", "2025-06-01");

  it("buffers", async () => {
    const res = await old("/buffer")
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c));
        r.on("end", () => cb(null, Buffer.concat(chunks)));
      });
    expect([...(res.body as Buffer)]).toEqual([1, 2, 3]);
  });

  it("streams, even when they are JSON", async () => {
    const res = await old("/stream");
    expect(res.text).toBe('{"title":"streamed"}');
  });

  it("pre-serialised strings", async () => {
    const res = await old("/json-string");
    expect(res.text).toBe('{"title":"pre-serialised"}');
  });
});
