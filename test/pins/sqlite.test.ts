import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { sqlitePins } from "@strata/store-sqlite";
import { describePinStoreConformance, Heard, type ConformanceFixture } from "./pin-store-conformance";
import { describeUsageConformance } from "./usage-conformance";
import type { PinStore, UsageRow } from "@strata/core";
import { Cleanup, tempSqliteFile } from "./helpers";

const fixture = async (): Promise<ConformanceFixture> => {
  const file = tempSqliteFile();
  return {
    store: sqlitePins(file.filename),
    reopen: async () => sqlitePins({ filename: file.filename }),
    cleanup: file.remove,
  };
};

describePinStoreConformance("sqlite", fixture);
describeUsageConformance("sqlite", fixture);

/**
 * A separate process that writes usage batches to `filename` from `startAt` on (the store
 * from the TypeScript sources, as test/pins/fixtures/pin-child.js loads it).
 */
const USAGE_WRITER = `
  const path = require("node:path");
  const Module = require("node:module");
  const root = ${JSON.stringify(join(__dirname, "..", ".."))};
  require("ts-node").register({ project: path.join(root, "tsconfig.test.json"), transpileOnly: true, compilerOptions: { module: "commonjs", rootDir: root } });
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    const match = /^@strata\\/([a-z-]+)$/.exec(request);
    return resolve.call(this, match ? path.join(root, "packages", match[1], "src", "index.ts") : request, ...rest);
  };
  const [filename, startAt, batches] = process.argv.slice(1);
  const store = require("@strata/store-sqlite").sqlitePins(filename);
  const at = new Date("2026-12-01T10:00:00.000Z");
  const row = (account, source) => ({ account, version: "2024-06-01", source, day: "2026-12-01", requests: 1, deprecated: 0, firstSeen: at, lastSeen: at });
  setTimeout(async () => {
    for (let i = 0; i < Number(batches); i++) await store.recordUsage([row("acct_1", "pin"), row("acct_" + (i % 3), "header")]);
    await store.close();
  }, Math.max(0, Number(startAt) - Date.now()));
`;

const usageRow = (over: Partial<UsageRow>): UsageRow => ({
  account: "acct_1",
  version: "2024-06-01",
  source: "pin",
  day: "2026-12-01",
  requests: 1,
  deprecated: 0,
  firstSeen: new Date("2026-12-01T10:00:00.000Z"),
  lastSeen: new Date("2026-12-01T10:00:00.000Z"),
  ...over,
});
describeUsageConformance("sqlite", fixture);

describe("sqlitePins", () => {
  let file: ReturnType<typeof tempSqliteFile>;
  const cleanup = new Cleanup();
  const closeStore = (store: PinStore) => store.close?.();
  const closeDb = (db: Database.Database) => db.open && db.close();
  beforeEach(() => (file = tempSqliteFile()));
  afterEach(async () => {
    await cleanup.run();
    await file.remove();
  });

  it("rejects bad options with a message naming the option", () => {
    expect(() => sqlitePins("")).toThrow(expect.objectContaining({ name: "ConfigurationError", offender: "filename" }));
    expect(() => sqlitePins({} as never)).toThrow(/exactly one of `filename` or `database`/);
    expect(() => sqlitePins({ filename: file.filename, tablePrefix: "x; DROP TABLE y" })).toThrow(
      expect.objectContaining({ name: "ConfigurationError", offender: "tablePrefix" }),
    );
    expect(() => sqlitePins({ filename: file.filename, pollIntervalMs: -1 })).toThrow(
      expect.objectContaining({ name: "ConfigurationError", offender: "pollIntervalMs" }),
    );
    expect(() => sqlitePins({ database: {} as never })).toThrow(expect.objectContaining({ name: "ConfigurationError", offender: "database" }));
  });

  it("rejects a history limit that is not a non-negative integer", async () => {
    const store = cleanup.add(sqlitePins(file.filename), closeStore);
    await expect(store.history("a", { limit: -1 })).rejects.toThrow(RangeError);
    await expect(store.history("a", { limit: 1.5 })).rejects.toThrow(/non-negative integer/);
  });

  it("opens the file in WAL mode and migrates idempotently", async () => {
    const a = cleanup.add(sqlitePins(file.filename), closeStore);
    await a.pinIfAbsent("acct", "2024-06-01");
    await a.close!();
    const b = cleanup.add(sqlitePins(file.filename), closeStore); // second open over existing tables
    expect(await b.get("acct")).toMatchObject({ version: "2024-06-01" });
    await b.close!();
    const db = cleanup.add(new Database(file.filename, { readonly: true }), closeDb);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.prepare("SELECT value FROM strata_meta WHERE key = 'schema_version'").get()).toEqual({ value: "2" });
  });

  it("upgrades a version 1 database in place, keeping its pins and adding the usage table", async () => {
    const db = cleanup.add(new Database(file.filename), closeDb);
    const v1 = cleanup.add(sqlitePins({ database: db }), closeStore);
    await v1.pinIfAbsent("acct", "2024-06-01");
    await v1.close();
    db.exec(`DROP TABLE strata_usage; UPDATE strata_meta SET value = '1' WHERE key = 'schema_version'`); // as version 1 left it
    const store = cleanup.add(sqlitePins({ database: db }), closeStore);
    expect(await store.get("acct")).toMatchObject({ version: "2024-06-01" });
    await store.recordUsage([usageRow({ requests: 2 })]);
    expect(await store.readUsage()).toEqual([usageRow({ requests: 2 })]);
    expect(db.prepare("SELECT value FROM strata_meta WHERE key = 'schema_version'").get()).toEqual({ value: "2" });
  });

  it("keeps usage in <prefix>usage, times in milliseconds, and prunes the days before a given one", async () => {
    const db = cleanup.add(new Database(file.filename), closeDb);
    const store = cleanup.add(sqlitePins({ database: db, tablePrefix: "app_" }), closeStore);
    await store.recordUsage([usageRow({ day: "2026-11-30" }), usageRow({ day: "2026-12-01" }), usageRow({ day: "2026-12-01", source: "header" })]);
    expect(db.prepare("SELECT day, first_seen FROM app_usage ORDER BY day LIMIT 1").get()).toEqual({
      day: "2026-11-30",
      first_seen: Date.parse("2026-12-01T10:00:00.000Z"),
    });
    expect(await store.pruneUsage("2026-12-01")).toBe(1);
    expect((await store.readUsage()).map((r) => r.day)).toEqual(["2026-12-01", "2026-12-01"]);
    await expect(store.pruneUsage("2026-12")).rejects.toThrow(RangeError);
  });

  it("rejects a usage batch it could not store as given, writing none of it", async () => {
    const store = cleanup.add(sqlitePins(file.filename), closeStore);
    await expect(store.recordUsage([usageRow({}), usageRow({ day: "2026-13-01" })])).rejects.toThrow(/usage row 1 has an invalid day/);
    await expect(store.recordUsage([usageRow({ requests: 1.5 })])).rejects.toThrow(/invalid requests/);
    await expect(store.recordUsage([usageRow({ lastSeen: new Date(Number.NaN) })])).rejects.toThrow(/invalid lastSeen/);
    await expect(store.readUsage({ since: "yesterday" })).rejects.toThrow(RangeError);
    expect(await store.readUsage()).toEqual([]);
  });

  it("adds up usage batches that two processes write to one file at the same time", async () => {
    await cleanup.add(sqlitePins(file.filename), closeStore).close(); // the tables, before the race
    const startAt = Date.now() + 2500; // both processes have loaded the sources by then
    const write = () => promisify(execFile)(process.execPath, ["-e", USAGE_WRITER, file.filename, String(startAt), "100"]);
    await Promise.all([write(), write()]);
    const rows = await cleanup.add(sqlitePins(file.filename), closeStore).readUsage();
    expect(rows.reduce((n, r) => n + r.requests, 0)).toBe(400);
    expect(rows.find((r) => r.account === "acct_1" && r.source === "pin")!.requests).toBe(200);
  }, 30_000);

  it("refuses a database written by a newer schema", () => {
    const db = cleanup.add(new Database(file.filename), closeDb);
    cleanup.add(sqlitePins({ database: db }), closeStore); // creates the tables
    db.prepare("UPDATE strata_meta SET value = '99' WHERE key = 'schema_version'").run();
    expect(() => sqlitePins({ database: db })).toThrow(/schema version 99/);
  });

  it("shares a database with the app under its own table prefix and leaves it open", async () => {
    const db = cleanup.add(new Database(file.filename), closeDb);
    const one = cleanup.add(sqlitePins({ database: db, tablePrefix: "one_" }), closeStore);
    const two = cleanup.add(sqlitePins({ database: db, tablePrefix: "two_" }), closeStore);
    await one.pinIfAbsent("acct", "2024-06-01");
    expect(await two.get("acct")).toBeUndefined();
    await one.close!();
    await two.close!();
    expect(db.open).toBe(true);
  });

  it("rejects (not throws) while another process holds the write lock, then recovers", async () => {
    const store = cleanup.add(sqlitePins({ filename: file.filename, busyTimeoutMs: 50 }), closeStore);
    await store.pinIfAbsent("kept", "2024-06-01");
    const other = cleanup.add(new Database(file.filename), closeDb);
    other.exec("BEGIN EXCLUSIVE");
    const attempt = store.set("kept", "2025-01-15", { actor: "admin" }); // must be a promise, not a throw
    await expect(attempt).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    other.exec("ROLLBACK");
    await store.set("kept", "2025-01-15", { actor: "admin" });
    expect(await store.history("kept")).toHaveLength(2);
  });

  it("rejects after the app closes a shared database, and its poller keeps quiet", async () => {
    const db = cleanup.add(new Database(file.filename), closeDb);
    const errors: unknown[] = [];
    const store = cleanup.add(sqlitePins({ database: db, pollIntervalMs: 20, onError: (e) => errors.push(e) }), closeStore);
    const heard = new Heard();
    const unsubscribe = await store.subscribe!(heard.listener);
    db.close();
    await expect(store.get("acct")).rejects.toThrow(/not open/);
    await new Promise((r) => setTimeout(r, 60));
    expect(errors.length).toBeGreaterThan(0); // reported, not thrown from the timer
    await unsubscribe();
  });
});
