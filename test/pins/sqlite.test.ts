import Database from "better-sqlite3";
import { sqlitePins } from "@strata/store-sqlite";
import { describePinStoreConformance, Heard } from "./pin-store-conformance";
import type { PinStore } from "@strata/core";
import { Cleanup, tempSqliteFile } from "./helpers";

describePinStoreConformance("sqlite", async () => {
  const file = tempSqliteFile();
  return {
    store: sqlitePins(file.filename),
    reopen: async () => sqlitePins({ filename: file.filename }),
    cleanup: file.remove,
  };
});

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
    expect(db.prepare("SELECT value FROM strata_meta WHERE key = 'schema_version'").get()).toEqual({ value: "1" });
  });

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
