import type pg from "pg";

/**
 * Options of `postgresPins`. Pass exactly one of `connectionString` or `pool`.
 *
 * @example
 * const options: PostgresPinsOptions = { pool: appPool, schema: "api_versions", timeoutMs: 500, onError: logger.warn };
 */
export interface PostgresPinsOptions {
  /**
   * Where to connect. The store then owns its pool (and a separate LISTEN connection) and
   * ends them on `close()`.
   */
  connectionString?: string;
  /**
   * A pool the app already has. The store borrows connections from it, opens one extra
   * connection with the same settings for LISTEN, and leaves the pool open on `close()`.
   * Give the pool an `error` listener: pg emits one when an idle connection dies.
   */
  pool?: pg.Pool;
  /** Schema that holds the store's tables; created on first use. Default `"strata"`. */
  schema?: string;
  /**
   * Longest time, in milliseconds, one store call may take: `get`, `pinIfAbsent`, `set`,
   * `history`, `usage` and `subscribe`, each as a whole (waiting for a pooled connection,
   * connecting, the schema migration on first use, every query). A call still running then
   * rejects with `PinStoreTimeoutError` (`code` `"ETIMEDOUT"`) and the connection it was
   * using is destroyed, so a silent network (packets dropped, no error, no close) costs at
   * most this long instead of a TCP timeout. Default `1000`: a request makes at most two
   * store calls (`get`, then `pinIfAbsent` for a new account), so a fail-closed 503 comes
   * within 2 s. A positive integer, at most 2147483647.
   */
  timeoutMs?: number;
  /**
   * Called with errors that have no caller to reject: the LISTEN connection dropping (it
   * reconnects), an idle pooled connection dying, a listener that threw. Default: logged
   * on the `strata:store-postgres` debug namespace.
   */
  onError?: (error: unknown) => void;
}

/**
 * Options after validation, with defaults applied.
 *
 * @example
 * resolvePostgresOptions({ connectionString: url }).channel; // "strata_pins_changed"
 */
export interface ResolvedPostgresOptions {
  connectionString?: string;
  pool?: pg.Pool;
  schema: string;
  channel: string;
  timeoutMs: number;
  onError?: (error: unknown) => void;
}

/** Keeps a fail-closed answer (at most two store calls) under 2 s. */
const DEFAULT_TIMEOUT_MS = 1000;
// Node turns a longer setTimeout into 1 ms: a huge timeout would fail every call at once.
const MAX_TIMEOUT_MS = 2_147_483_647;

const CHANNEL_SUFFIX = "_pins_changed";
// PostgreSQL truncates identifiers at 63 bytes; the channel name must survive that intact.
const MAX_SCHEMA_LENGTH = 63 - CHANNEL_SUFFIX.length;

const show = (value: unknown): string => (typeof value === "string" ? JSON.stringify(value) : String(value));

const fail = (message: string): never => {
  throw new Error(`postgresPins: ${message}`);
};

/**
 * Checks options up front so a typo fails at startup, not on the first request.
 *
 * @example
 * resolvePostgresOptions({ connectionString: url, schema: "my-schema" }); // throws, naming "schema"
 */
export function resolvePostgresOptions(options: PostgresPinsOptions): ResolvedPostgresOptions {
  if (options === null || typeof options !== "object") {
    return fail('expected an options object with "connectionString" or "pool"');
  }
  const { connectionString, pool, onError } = options;
  if ((connectionString === undefined) === (pool === undefined)) {
    fail('pass exactly one of option "connectionString" or option "pool"');
  }
  if (connectionString !== undefined && (typeof connectionString !== "string" || connectionString === "")) {
    fail(`option "connectionString" must be a non-empty string, got ${JSON.stringify(connectionString)}`);
  }
  if (pool !== undefined && (typeof pool !== "object" || pool === null || typeof pool.connect !== "function")) {
    fail('option "pool" must be a pg.Pool');
  }
  const schema = options.schema ?? "strata";
  if (typeof schema !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema) || schema.length > MAX_SCHEMA_LENGTH) {
    fail(
      `option "schema" must be 1-${MAX_SCHEMA_LENGTH} letters, digits or underscores, not starting with a digit; got ${JSON.stringify(schema)}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    fail(`option "timeoutMs" must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${show(options.timeoutMs)}`);
  }
  if (onError !== undefined && typeof onError !== "function") fail('option "onError" must be a function');
  return { connectionString, pool, schema, channel: `${schema}${CHANNEL_SUFFIX}`, timeoutMs, onError };
}
