import { ConfigurationError, checkOptions, option, type OptionRule } from "@strata/core";
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

const RULES = {
  filename: option.nonEmptyString(),
  database: option.custom((v) => typeof (v as { prepare?: unknown } | null)?.prepare === "function", "an open better-sqlite3 Database"),
  tablePrefix: option.custom(
    (v) => typeof v === "string" && (v === "" || /^[A-Za-z0-9_]+$/.test(v)) && IDENTIFIER.test(`${v}pins`),
    "letters, digits and underscores, not starting with a digit",
  ),
  busyTimeoutMs: option.number(0, "a non-negative number of milliseconds", true),
  pollIntervalMs: option.number(0, "a positive number of milliseconds"),
  onError: option.function(),
} satisfies Record<keyof (SqlitePinsFileOptions & SqlitePinsDatabaseOptions), OptionRule>;

/**
 * Checks options up front so a typo fails at startup, not on the first request: a
 * `ConfigurationError` naming the option.
 *
 * @example
 * resolveSqliteOptions({ filename: "a.db", tablePrefix: "bad-prefix" }); // throws, naming "tablePrefix"
 */
export function resolveSqliteOptions(options: SqlitePinsOptions): ResolvedSqliteOptions {
  const raw = checkOptions("sqlitePins()", typeof options === "string" ? { filename: options } : options, RULES, [["filename", "database"]]) as Partial<
    SqlitePinsFileOptions & SqlitePinsDatabaseOptions
  >;
  if (raw.database !== undefined && raw.busyTimeoutMs !== undefined) {
    throw new ConfigurationError("sqlitePins(): `busyTimeoutMs` only applies with `filename`; set the timeout when you open `database`.", "busyTimeoutMs");
  }
  return {
    filename: raw.filename,
    database: raw.database,
    tablePrefix: raw.tablePrefix ?? "strata_",
    busyTimeoutMs: raw.busyTimeoutMs ?? 5000,
    pollIntervalMs: raw.pollIntervalMs ?? 250,
    onError: raw.onError,
  };
}
