import type BetterSqlite3 from "better-sqlite3";

/**
 * The schema version this code writes; a database with a newer one is refused.
 * Version 1: meta, pins, pin_history. Version 2: usage.
 *
 * @example
 * db.prepare(`SELECT value FROM strata_meta WHERE key = 'schema_version'`).get(); // { value: "2" }
 */
export const SCHEMA_VERSION = 2;

/**
 * Table names for one prefix; the prefix is validated, so interpolating it is safe.
 *
 * @example
 * const t: SqliteTables = tableNames("strata_"); // t.pins === '"strata_pins"'
 */
export interface SqliteTables {
  meta: string;
  pins: string;
  history: string;
  usage: string;
}

/**
 * The quoted table names for `prefix`.
 *
 * @example
 * db.prepare(`SELECT COUNT(*) FROM ${tableNames("strata_").pins}`).get();
 */
export function tableNames(prefix: string): SqliteTables {
  return { meta: `"${prefix}meta"`, pins: `"${prefix}pins"`, history: `"${prefix}pin_history"`, usage: `"${prefix}usage"` };
}

/** An index name beside its table: `"strata_pins"` + `version` -> `"strata_pins_version"`. */
const indexName = (table: string, suffix: string): string => `"${table.slice(1, -1)}_${suffix}"`;

/**
 * The DDL that takes a database from version `i` to `i + 1`, in order. Every statement is
 * idempotent (IF NOT EXISTS), so a step interrupted before its version was recorded is
 * simply run again.
 */
const STEPS: Array<(t: SqliteTables) => string> = [
  (t) => `
    CREATE TABLE IF NOT EXISTS ${t.pins} (
      account    TEXT PRIMARY KEY,
      version    TEXT NOT NULL,
      pinned_at  INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${indexName(t.pins, "version")} ON ${t.pins} (version);
    CREATE TABLE IF NOT EXISTS ${t.history} (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      account      TEXT NOT NULL,
      from_version TEXT,
      to_version   TEXT NOT NULL,
      actor        TEXT NOT NULL,
      reason       TEXT,
      at           INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${indexName(t.history, "account")} ON ${t.history} (account, id);`,
  // One row per account x version x source x UTC day; the key leads with the day, so reading
  // recent days and pruning old ones are range scans. The two indexes serve the per-account
  // and per-version reads.
  (t) => `
    CREATE TABLE IF NOT EXISTS ${t.usage} (
      day        TEXT NOT NULL,
      account    TEXT NOT NULL,
      version    TEXT NOT NULL,
      source     TEXT NOT NULL,
      requests   INTEGER NOT NULL,
      deprecated INTEGER NOT NULL,
      first_seen INTEGER NOT NULL,
      last_seen  INTEGER NOT NULL,
      PRIMARY KEY (day, account, version, source)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${indexName(t.usage, "account")} ON ${t.usage} (account, day);
    CREATE INDEX IF NOT EXISTS ${indexName(t.usage, "version")} ON ${t.usage} (version, day);`,
];

/**
 * Creates or upgrades the tables. Runs in an IMMEDIATE transaction so two processes opening
 * the same new file at once take turns instead of racing on CREATE TABLE.
 *
 * The history table doubles as the change log other processes poll: its AUTOINCREMENT id
 * never goes backwards or gets reused, and every pin change writes exactly one row.
 *
 * @example
 * migrate(db, tableNames("strata_")); // safe to run on every open
 */
export function migrate(db: BetterSqlite3.Database, t: SqliteTables): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${t.meta} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    const row = db.prepare(`SELECT value FROM ${t.meta} WHERE key = 'schema_version'`).get() as { value: string } | undefined;
    const current = row ? Number(row.value) : 0;
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `sqlitePins: the database has pin schema version ${current}, newer than this package understands (${SCHEMA_VERSION}); upgrade @strata/store-sqlite`,
      );
    }
    if (current === SCHEMA_VERSION) return;
    for (const step of STEPS.slice(current)) db.exec(step(t));
    db.prepare(
      `INSERT INTO ${t.meta} (key, value) VALUES ('schema_version', ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ).run(String(SCHEMA_VERSION));
  }).immediate();
}
