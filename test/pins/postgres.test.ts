import pg from "pg";
import { postgresPins } from "@strata/store-postgres";
import { describePinStoreConformance, Heard, sleep, type ConformanceFixture } from "./pin-store-conformance";
import { describeUsageConformance } from "./usage-conformance";
import type { PinStore, UsageRow } from "@strata/core";
import { Cleanup, dropSchema, PG_URL, uniqueId } from "./helpers";
import { describeWith, whenService } from "./services";

/** An empty store in a schema of its own, for each test. */
const fixture = async (): Promise<ConformanceFixture> => {
  const schema = `strata_test_${uniqueId()}`;
  return {
    store: postgresPins({ connectionString: PG_URL, schema }),
    reopen: async () => postgresPins({ connectionString: PG_URL, schema }),
    cleanup: () => dropSchema(schema),
  };
};

whenService("postgres", () => {
  describePinStoreConformance("postgres", fixture);
  describeUsageConformance("postgres", fixture);
});

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

/** Waits until `sql` returns a row, and returns its first column. */
async function waitForRow(client: pg.Client, sql: string, values: unknown[], timeoutMs = 5000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query(sql, values);
    if (rows[0]) return Object.values(rows[0])[0];
    if (Date.now() > deadline) throw new Error(`no row for ${sql}`);
    await sleep(20);
  }
}

describeWith("postgres")("postgresPins", () => {
  let schema: string;
  let admin: pg.Client;
  const cleanup = new Cleanup();
  const closeStore = (store: PinStore) => store.close?.();
  const endPool = (pool: pg.Pool) => pool.end();
  beforeEach(async () => {
    schema = `strata_test_${uniqueId()}`;
    admin = cleanup.add(new pg.Client({ connectionString: PG_URL }), (c) => c.end());
    await admin.connect();
  });
  afterEach(async () => {
    await cleanup.run();
    await dropSchema(schema);
  });

  it("rejects bad options with a message naming the option", () => {
    expect(() => postgresPins({})).toThrow(/exactly one of `connectionString` or `pool`/);
    expect(() => postgresPins({ connectionString: PG_URL, pool: new pg.Pool() })).toThrow(/exactly one/);
    expect(() => postgresPins({ connectionString: "" })).toThrow(expect.objectContaining({ name: "ConfigurationError", offender: "connectionString" }));
    expect(() => postgresPins({ connectionString: PG_URL, schema: 'x"; DROP' })).toThrow(
      expect.objectContaining({ name: "ConfigurationError", offender: "schema" }),
    );
    expect(() => postgresPins({ connectionString: PG_URL, schema: "s".repeat(60) })).toThrow(
      expect.objectContaining({ name: "ConfigurationError", offender: "schema" }),
    );
    expect(() => postgresPins({ pool: {} as never })).toThrow(expect.objectContaining({ name: "ConfigurationError", offender: "pool" }));
    for (const timeoutMs of [0, -1, 1.5, Infinity, Number.NaN, 2 ** 31, "1000" as never]) {
      expect(() => postgresPins({ connectionString: PG_URL, timeoutMs })).toThrow(/`timeoutMs` must be a whole number of milliseconds/);
    }
    expect(() => postgresPins({ connectionString: PG_URL, timeoutMs: "1000" as never })).toThrow(/got "1000"/);
  });

  it("accepts any whole number of milliseconds as timeoutMs", async () => {
    for (const timeoutMs of [1, 250, 2 ** 31 - 1]) await postgresPins({ connectionString: PG_URL, schema, timeoutMs }).close!();
  });

  it("rejects a history limit that is not a non-negative integer", async () => {
    const store = cleanup.add(postgresPins({ connectionString: PG_URL, schema }), closeStore);
    await expect(store.history("a", { limit: -1 })).rejects.toThrow(RangeError);
    await expect(store.history("a", { limit: 1.5 })).rejects.toThrow(/non-negative integer/);
  });

  it("creates its schema once even when several instances start together", async () => {
    const stores = Array.from({ length: 4 }, () => cleanup.add(postgresPins({ connectionString: PG_URL, schema }), closeStore));
    await Promise.all(stores.map((s, i) => s.pinIfAbsent(`acct_${i}`, "2024-06-01")));
    const { rows } = await admin.query(`SELECT value FROM "${schema}".meta WHERE key = 'schema_version'`);
    expect(rows).toEqual([{ value: "2" }]);
    expect(await stores[0]!.usage()).toEqual([{ version: "2024-06-01", accounts: 4 }]);
  });

  it("upgrades a version 1 schema in place, keeping its pins and adding the usage table", async () => {
    const v1 = cleanup.add(postgresPins({ connectionString: PG_URL, schema }), closeStore);
    await v1.pinIfAbsent("acct", "2024-06-01");
    await v1.close();
    await admin.query(`DROP TABLE "${schema}".usage; UPDATE "${schema}".meta SET value = '1' WHERE key = 'schema_version'`); // as version 1 left it
    const store = cleanup.add(postgresPins({ connectionString: PG_URL, schema }), closeStore);
    expect(await store.get("acct")).toMatchObject({ version: "2024-06-01" });
    await store.recordUsage([usageRow({ requests: 2 })]);
    expect(await store.readUsage()).toEqual([usageRow({ requests: 2 })]);
    expect((await admin.query(`SELECT value FROM "${schema}".meta WHERE key = 'schema_version'`)).rows).toEqual([{ value: "2" }]);
  });

  it("adds up rows repeated within one batch, keeps usage in <schema>.usage, and prunes the days before a given one", async () => {
    const store = cleanup.add(postgresPins({ connectionString: PG_URL, schema }), closeStore);
    const later = new Date("2026-12-01T11:00:00.000Z");
    await store.recordUsage([usageRow({ day: "2026-11-30" }), usageRow({ requests: 2 }), usageRow({ requests: 3, deprecated: 1, lastSeen: later })]);
    expect(await store.readUsage({ since: "2026-12-01" })).toEqual([usageRow({ requests: 5, deprecated: 1, lastSeen: later })]);
    const { rows } = await admin.query(`SELECT day::text, requests::int, first_seen FROM "${schema}".usage ORDER BY day`);
    expect(rows).toEqual([
      { day: "2026-11-30", requests: 1, first_seen: new Date("2026-12-01T10:00:00.000Z") },
      { day: "2026-12-01", requests: 5, first_seen: new Date("2026-12-01T10:00:00.000Z") },
    ]);
    expect(await store.pruneUsage("2026-12-01")).toBe(1);
    expect((await store.readUsage()).map((r) => r.day)).toEqual(["2026-12-01"]);
    await expect(store.pruneUsage("2026-12")).rejects.toThrow(RangeError);
  });

  it("rejects a usage batch it could not store as given, writing none of it", async () => {
    const store = cleanup.add(postgresPins({ connectionString: PG_URL, schema }), closeStore);
    await expect(store.recordUsage([usageRow({}), usageRow({ day: "2026-02-30" })])).rejects.toThrow(/usage row 1 has an invalid day/);
    await expect(store.recordUsage([usageRow({ deprecated: -1 })])).rejects.toThrow(/invalid deprecated/);
    await expect(store.readUsage({ since: "2026-12-1" })).rejects.toThrow(RangeError);
    expect(await store.readUsage()).toEqual([]);
  });

  it("bounds usage calls by timeoutMs, like its other calls", async () => {
    const store = cleanup.add(postgresPins({ connectionString: PG_URL, schema, timeoutMs: 300 }), closeStore);
    await store.recordUsage([usageRow({})]);
    await admin.query("BEGIN");
    await admin.query(`LOCK TABLE "${schema}".usage IN ACCESS EXCLUSIVE MODE`);
    const started = Date.now();
    await expect(store.recordUsage([usageRow({})])).rejects.toMatchObject({ name: "PinStoreTimeoutError", operation: "postgresPins: recordUsage" });
    await expect(store.readUsage()).rejects.toMatchObject({ name: "PinStoreTimeoutError", operation: "postgresPins: readUsage" });
    expect(Date.now() - started).toBeLessThan(2000);
    await admin.query("ROLLBACK");
    expect((await store.readUsage())[0]!.requests).toBe(1); // the timed-out batch was rolled back with its connection
  });

  it("uses an app's pool without ending it", async () => {
    const pool = cleanup.add(new pg.Pool({ connectionString: PG_URL, max: 2 }), endPool);
    const store = cleanup.add(postgresPins({ pool, schema }), closeStore);
    await store.pinIfAbsent("acct", "2024-06-01");
    const heard = new Heard();
    const unsubscribe = await store.subscribe!(heard.listener);
    await store.set("acct", "2025-01-15", { actor: "admin" });
    await heard.waitFor("acct");
    await unsubscribe();
    await store.close!();
    expect((await pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });

  it("rejects when the database cannot be reached, then closes cleanly", async () => {
    const errors: unknown[] = [];
    const store = cleanup.add(postgresPins({ connectionString: "postgres://postgres@127.0.0.1:1/test", schema, onError: (e) => errors.push(e) }), closeStore);
    await expect(store.get("acct")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await expect(store.pinIfAbsent("acct", "2024-06-01")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await expect(store.subscribe!(() => undefined)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("rejects an operation whose connection is terminated, then works again with nothing lost", async () => {
    const appName = `strata-fault-${uniqueId()}`;
    const pool = cleanup.add(new pg.Pool({ connectionString: PG_URL, application_name: appName, max: 2 }), endPool);
    pool.on("error", () => undefined); // idle connections of this pool are killed on purpose
    const store = cleanup.add(postgresPins({ pool, schema }), closeStore);
    await store.pinIfAbsent("kept", "2024-06-01");

    // Hold the table so the store's next query is provably in flight when its backend dies.
    await admin.query("BEGIN");
    await admin.query(`LOCK TABLE "${schema}".pins IN ACCESS EXCLUSIVE MODE`);
    const attempt = store.get("kept");
    const pid = await waitForRow(admin, "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [appName]);
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    await expect(attempt).rejects.toThrow(/terminat/i);
    await admin.query("ROLLBACK");

    expect(await store.get("kept")).toMatchObject({ version: "2024-06-01" });
    await store.set("kept", "2025-01-15", { actor: "admin" });
    expect((await store.history("kept")).map((c) => c.to)).toEqual(["2025-01-15", "2024-06-01"]);
  });

  it("reconnects its LISTEN connection and replays changes made while it was down", async () => {
    const errors: unknown[] = [];
    const listening = cleanup.add(postgresPins({ connectionString: PG_URL, schema, onError: (e) => errors.push(e) }), closeStore);
    const writer = cleanup.add(postgresPins({ connectionString: PG_URL, schema }), closeStore);
    await writer.pinIfAbsent("before", "2024-06-01");
    const heard = new Heard();
    const unsubscribe = await listening.subscribe!(heard.listener);
    const findListener = `SELECT pid FROM pg_stat_activity
      WHERE application_name = 'strata-pins-listener' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()`;
    const pid = await waitForRow(admin, findListener, [`"${schema}"`]);

    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    // Written while the listener is (most likely) still down: only the replay can deliver it.
    await writer.set("during", "2025-01-15", { actor: "admin" });
    await heard.waitFor("during", 1, 3000);
    expect(errors.length).toBeGreaterThan(0);

    await writer.set("after", "2025-01-15", { actor: "admin" });
    await heard.waitFor("after", 1, 1000);
    expect(heard.accounts).not.toContain("before"); // the replay starts where listening began
    await unsubscribe();
  });
});
