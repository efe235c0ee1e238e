import type pg from "pg";

/**
 * Options of `postgresPins`. Pass exactly one of `connectionString` or `pool`.
 *
 * @example
 * const options: PostgresPinsOptions = { pool: appPool, schema: "api_versions", onError: logger.warn };
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
  onError?: (error: unknown) => void;
}

const CHANNEL_SUFFIX = "_pins_changed";
// PostgreSQL truncates identifiers at 63 bytes; the channel name must survive that intact.
const MAX_SCHEMA_LENGTH = 63 - CHANNEL_SUFFIX.length;

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
  if (onError !== undefined && typeof onError !== "function") fail('option "onError" must be a function');
  return { connectionString, pool, schema, channel: `${schema}${CHANNEL_SUFFIX}`, onError };
}
