import { checkOptions, option, type OptionRule } from "@strata/core";
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
   * `history`, `usage`, `subscribe`, `recordUsage`, `readUsage` and `pruneUsage`, each as a
   * whole (waiting for a pooled connection, connecting, the schema migration on first use,
   * every query). A call still running then rejects with `PinStoreTimeoutError` (`code`
   * `"ETIMEDOUT"`) and the connection it was using is destroyed, so a silent network
   * (packets dropped, no error, no close) costs at most this long instead of a TCP timeout.
   * Default `1000`: a request makes at most two store calls (`get`, then `pinIfAbsent` for a
   * new account), so a fail-closed 503 comes within 2 s. A positive integer, at most
   * 2147483647.
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

const RULES = {
  connectionString: option.nonEmptyString(),
  pool: option.custom((v) => typeof (v as { connect?: unknown } | null)?.connect === "function", "a pg.Pool"),
  schema: option.custom(
    (v) => typeof v === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) && v.length <= MAX_SCHEMA_LENGTH,
    `1-${MAX_SCHEMA_LENGTH} letters, digits or underscores, not starting with a digit`,
  ),
  timeoutMs: option.integer(1, MAX_TIMEOUT_MS, `a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`),
  onError: option.function(),
} satisfies Record<keyof PostgresPinsOptions, OptionRule>;

/**
 * Checks options up front so a typo fails at startup, not on the first request: a
 * `ConfigurationError` naming the option.
 *
 * @example
 * resolvePostgresOptions({ connectionString: url, schema: "my-schema" }); // throws, naming "schema"
 */
export function resolvePostgresOptions(options: PostgresPinsOptions): ResolvedPostgresOptions {
  const o = checkOptions("postgresPins()", options, RULES, [["connectionString", "pool"]]) as PostgresPinsOptions;
  const schema = o.schema ?? "strata";
  return {
    connectionString: o.connectionString,
    pool: o.pool,
    schema,
    channel: `${schema}${CHANNEL_SUFFIX}`,
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    onError: o.onError,
  };
}
