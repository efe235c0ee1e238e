import type BetterSqlite3 from "better-sqlite3";

/**
 * Settings shared by both ways of opening a SQLite pin store.
 *
 * @example
 * sqlitePins({ filename: "app.db", tablePrefix: "pins_", pollIntervalMs: 100, onError: console.warn });
 */
export interface SqlitePinsCommonOptions {
  /**
   * Prefix of every table the store creates, so it can share a database with the app.
   * Letters, digits and underscores only. Default `"strata_"`.
   */
  tablePrefix?: string;
  /**
   * How often, in milliseconds, a store with subscribers looks for pin changes written by
   * other processes sharing the file. Default 250.
   */
  pollIntervalMs?: number;
  /**
   * Called with errors that have no caller to reject: a failed background poll or a
   * listener that threw. Default: logged on the `strata:store-sqlite` debug namespace.
   */
  onError?: (error: unknown) => void;
}

/**
 * Open (and own) a database file: the store closes it on `close()`.
 *
 * @example
 * sqlitePins({ filename: "/var/lib/myapp/strata.db", busyTimeoutMs: 2000 });
 */
export interface SqlitePinsFileOptions extends SqlitePinsCommonOptions {
  /** Path of the database file; created if missing. `":memory:"` works for tests. */
  filename: string;
  /** How long, in milliseconds, to wait for another process's write lock. Default 5000. */
  busyTimeoutMs?: number;
}

/**
 * Use a database the app already opened. The store leaves its pragmas alone and does not
 * close it; enable WAL yourself if several processes share the file.
 *
 * @example
 * const db = new Database("app.db");
 * db.pragma("journal_mode = WAL");
 * sqlitePins({ database: db });
 */
export interface SqlitePinsDatabaseOptions extends SqlitePinsCommonOptions {
  database: BetterSqlite3.Database;
}

/**
 * Everything `sqlitePins` accepts: a file name, file options or an open database.
 *
 * @example
 * const options: SqlitePinsOptions = process.env.PINS_DB ?? ":memory:";
 */
export type SqlitePinsOptions = string | SqlitePinsFileOptions | SqlitePinsDatabaseOptions;

/**
 * Options after validation, with defaults applied.
 *
 * @example
 * const { tablePrefix, pollIntervalMs } = resolveSqliteOptions("strata.db"); // "strata_", 250
 */
export interface ResolvedSqliteOptions {
  filename?: string;
  database?: BetterSqlite3.Database;
  tablePrefix: string;
  busyTimeoutMs: number;
  pollIntervalMs: number;
  onError?: (error: unknown) => void;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const fail = (message: string): never => {
  throw new Error(`sqlitePins: ${message}`);
};

const positiveNumber = (value: unknown, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    fail(`option "${name}" must be a non-negative number of milliseconds, got ${JSON.stringify(value)}`);
  }
  return value as number;
};

/**
 * Checks options up front so a typo fails at startup, not on the first request.
 *
 * @example
 * resolveSqliteOptions({ filename: "a.db", tablePrefix: "bad-prefix" }); // throws, naming "tablePrefix"
 */
export function resolveSqliteOptions(options: SqlitePinsOptions): ResolvedSqliteOptions {
  if (typeof options === "string") options = { filename: options };
  if (options === null || typeof options !== "object") {
    return fail("expected a file name or an options object with \"filename\" or \"database\"");
  }
  const raw = options as Partial<SqlitePinsFileOptions & SqlitePinsDatabaseOptions>;
  const hasFile = raw.filename !== undefined;
  const hasDb = raw.database !== undefined;
  if (hasFile === hasDb) fail('pass exactly one of option "filename" or option "database"');
  if (hasFile && (typeof raw.filename !== "string" || raw.filename === "")) {
    fail(`option "filename" must be a non-empty string, got ${JSON.stringify(raw.filename)}`);
  }
  if (hasDb && (typeof raw.database !== "object" || typeof raw.database?.prepare !== "function")) {
    fail('option "database" must be an open better-sqlite3 Database');
  }
  if (hasDb && raw.busyTimeoutMs !== undefined) {
    fail('option "busyTimeoutMs" only applies with "filename"; set the timeout when you open "database"');
  }
  const tablePrefix = raw.tablePrefix ?? "strata_";
  if (typeof tablePrefix !== "string" || (tablePrefix !== "" && !/^[A-Za-z0-9_]+$/.test(tablePrefix))) {
    fail(`option "tablePrefix" may contain only letters, digits and underscores, got ${JSON.stringify(tablePrefix)}`);
  }
  if (!IDENTIFIER.test(`${tablePrefix}pins`)) fail(`option "tablePrefix" must not start with a digit`);
  if (raw.onError !== undefined && typeof raw.onError !== "function") fail('option "onError" must be a function');
  const pollIntervalMs = positiveNumber(raw.pollIntervalMs, "pollIntervalMs", 250);
  if (pollIntervalMs === 0) fail('option "pollIntervalMs" must be greater than 0');
  return {
    filename: raw.filename,
    database: raw.database,
    tablePrefix,
    busyTimeoutMs: positiveNumber(raw.busyTimeoutMs, "busyTimeoutMs", 5000),
    pollIntervalMs,
    onError: raw.onError,
  };
}
