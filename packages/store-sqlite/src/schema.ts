import type BetterSqlite3 from "better-sqlite3";

/**
 * The schema version this code writes; a database with a newer one is refused.
 *
 * @example
 * db.prepare(`SELECT value FROM strata_meta WHERE key = 'schema_version'`).get(); // { value: "1" }
 */
export const SCHEMA_VERSION = 1;

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
}

/**
 * The quoted table names for `prefix`.
 *
 * @example
 * db.prepare(`SELECT COUNT(*) FROM ${tableNames("strata_").pins}`).get();
 */
export function tableNames(prefix: string): SqliteTables {
  return { meta: `"${prefix}meta"`, pins: `"${prefix}pins"`, history: `"${prefix}pin_history"` };
}

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
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${t.pins} (
        account    TEXT PRIMARY KEY,
        version    TEXT NOT NULL,
        pinned_at  INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS "${t.pins.slice(1, -1)}_version" ON ${t.pins} (version);
      CREATE TABLE IF NOT EXISTS ${t.history} (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        account      TEXT NOT NULL,
        from_version TEXT,
        to_version   TEXT NOT NULL,
        actor        TEXT NOT NULL,
        reason       TEXT,
        at           INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS "${t.history.slice(1, -1)}_account" ON ${t.history} (account, id);
    `);
    db.prepare(
      `INSERT INTO ${t.meta} (key, value) VALUES ('schema_version', ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ).run(String(SCHEMA_VERSION));
  }).immediate();
}
