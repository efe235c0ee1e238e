import request from "supertest";
import express from "express";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { ConfigurationError, defineVersions, memoryPins, renameField } from "@strata/core";
import { usageMetrics, versioning, versioningAdmin } from "@strata/express";

const versions = defineVersions({
  scheme: "semver",
  versions: [
    { id: "1.6", changes: [renameField("license", "name", "title")] },
    { id: "1.0", deprecatedAt: "2026-06-01" },
  ],
});
const NOW = new Date("2026-12-01T12:00:00Z");

/** Reads what the SDK collected, on demand. */
class Collector extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

function app(pins = memoryPins(), extra: Parameters<typeof versioning>[0] extends infer O ? Partial<O> : never = {}) {
  const a = express();
  const mw = versioning({
    versions,
    header: "Keygen-Version",
    account: (req) => req.get("x-account"),
    pins,
    usage: { flushIntervalMs: 60_000 },
    now: () => NOW,
    ...extra,
  });
  a.use("/settings/api-version", versioningAdmin({ versions, pins, account: (req) => req.get("x-account"), authorize: () => true, now: () => NOW }));
  a.use(mw);
  a.get("/v1/licenses", (_req, res) => void res.json({ object: "license", title: "Pro" }));
  return { a, mw, pins };
}

describe("usage per account and version", () => {
  it("counts requests by version and source, and writes them in one batch", async () => {
    const { a, mw, pins } = app();
    await pins.set("acct_1", "1.0", { actor: "ops" });
    await request(a).get("/v1/licenses").set("x-account", "acct_1"); // pin 1.0 (deprecated)
    await request(a).get("/v1/licenses").set("x-account", "acct_1");
    await request(a).get("/v1/licenses").set("x-account", "acct_1").set("Keygen-Version", "1.6"); // header override
    await request(a).get("/v1/licenses").set("x-account", "acct_2"); // first request: pinned now
    await request(a).get("/v1/licenses"); // anonymous, the default
    expect(await pins.readUsage()).toEqual([]);
    await mw.usage!.flush();
    const rows = await pins.readUsage();
    expect(rows.map((r) => [r.account, r.version, r.source, r.requests, r.deprecated])).toEqual([
      ["", "1.6", "default", 1, 0],
      ["acct_1", "1.0", "pin", 2, 2],
      ["acct_1", "1.6", "header", 1, 0],
      ["acct_2", "1.6", "first-request", 1, 0],
    ]);
    expect(rows.every((r) => r.day === "2026-12-01")).toBe(true);
    await mw.close();
  });

  it("shows an account's usage per version and source to its admins (GET /usage)", async () => {
    const { a, mw, pins } = app();
    await pins.set("acct_1", "1.0", { actor: "ops" });
    for (let i = 0; i < 3; i++) await request(a).get("/v1/licenses").set("x-account", "acct_1");
    await request(a).get("/v1/licenses").set("x-account", "acct_1").set("Keygen-Version", "1.6");
    await mw.usage!.flush();
    const res = await request(a).get("/settings/api-version/usage?days=30").set("x-account", "acct_1");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      account: "acct_1",
      recorded: true,
      days: 30,
      since: "2026-11-02",
      versions: [
        { version: "1.6", status: "active", requests: 1, deprecated: 0, sources: { header: 1 } },
        { version: "1.0", status: "deprecated", requests: 3, deprecated: 3, sources: { pin: 3 } },
      ],
    });
    expect(res.body.daily).toEqual([
      { day: "2026-12-01", version: "1.0", source: "pin", requests: 3 },
      { day: "2026-12-01", version: "1.6", source: "header", requests: 1 },
    ]);
    expect((await request(a).get("/settings/api-version/usage?days=0").set("x-account", "acct_1")).body.code).toBe("invalid_request");
    await mw.close();
  });

  it("says when the store records no usage", async () => {
    // A pin store of its own making, without the usage methods.
    const { readUsage: _read, recordUsage: _write, ...plain } = memoryPins();
    const a = express();
    a.use("/settings", versioningAdmin({ versions, pins: plain, account: () => "acct_1", authorize: () => true, now: () => NOW }));
    const res = await request(a).get("/settings/usage");
    expect(res.body).toMatchObject({ recorded: false, versions: [] });
    expect(() => versioning({ versions, pins: plain, usage: true })).toThrow(ConfigurationError);
    expect(() => versioning({ versions, pins: plain, usage: true })).toThrow(/`usage` needs a store with recordUsage/);
  });

  it("counts requests in an OpenTelemetry counter, by version, source and deprecation, never by account", async () => {
    const reader = new Collector();
    const provider = new MeterProvider({ readers: [reader] });
    const { a, mw, pins } = app(memoryPins(), { usage: undefined, onResolved: usageMetrics(provider.getMeter("test")) });
    await pins.set("acct_1", "1.0", { actor: "ops" });
    await request(a).get("/v1/licenses").set("x-account", "acct_1");
    await request(a).get("/v1/licenses").set("x-account", "acct_1");
    await request(a).get("/v1/licenses").set("Keygen-Version", "1.6");
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === "strata.requests")!;
    const points = metric.dataPoints.map((p) => ({ ...p.attributes, value: p.value }));
    expect(points).toEqual([
      { "strata.version": "1.0", "strata.version.source": "pin", "strata.version.deprecated": true, value: 2 },
      { "strata.version": "1.6", "strata.version.source": "header", "strata.version.deprecated": false, value: 1 },
    ]);
    expect(mw.usage).toBeUndefined();
    await provider.shutdown();
  });
});
