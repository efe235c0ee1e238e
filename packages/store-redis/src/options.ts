import { checkOptions, option, type OptionRule } from "@strata/core";
import type { Redis } from "ioredis";

/**
 * Options of `redisPins`. Pass exactly one of `url` or `client`.
 *
 * @example
 * const options: RedisPinsOptions = { client: appRedis, prefix: "{strata}:", timeoutMs: 500 };
 */
export interface RedisPinsOptions {
  /**
   * Where to connect, e.g. `redis://127.0.0.1:6379/0`. The store then owns its connections
   * and sets them to fail fast: while connections are refused a command waits for one
   * reconnect attempt (at most 100 ms apart), and ioredis's `connectTimeout` and
   * `commandTimeout` follow `timeoutMs`.
   */
  url?: string;
  /**
   * A client the app already has. The store uses it as is (its retry settings decide how
   * long a command waits while Redis is down, up to `timeoutMs`), duplicates it once for
   * SUBSCRIBE, and does not close it.
   */
  client?: Redis;
  /** Prefix of every key and of the channel. Default `"strata:"`. */
  prefix?: string;
  /**
   * Longest time, in milliseconds, one store call may take: `get`, `pinIfAbsent`, `set`,
   * `history`, `usage`, `subscribe`, `recordUsage`, `readUsage` and `pruneUsage`, each as a
   * whole (waiting for a connection, every command it sends). A call still running then
   * rejects with `PinStoreTimeoutError` (`code` `"ETIMEDOUT"`), whichever client it runs on,
   * so a silent network (packets dropped, no error, no close) costs at most this long.
   * Default `1000`: a request makes at most two store calls (`get`, then `pinIfAbsent` for a
   * new account), so a fail-closed 503 comes within 2 s. A positive integer, at most
   * 2147483647.
   */
  timeoutMs?: number;
  /**
   * Called with errors that have no caller to reject: connection errors (the client
   * reconnects) and listeners that threw. Default: logged on the `strata:store-redis`
   * debug namespace.
   */
  onError?: (error: unknown) => void;
}

/**
 * Options after validation, with defaults applied.
 *
 * @example
 * resolveRedisOptions({ url: "redis://127.0.0.1:6379" }).prefix; // "strata:"
 */
export interface ResolvedRedisOptions {
  url?: string;
  client?: Redis;
  prefix: string;
  timeoutMs: number;
  onError?: (error: unknown) => void;
}

/** Keeps a fail-closed answer (at most two store calls) under 2 s. */
const DEFAULT_TIMEOUT_MS = 1000;
// Node turns a longer setTimeout into 1 ms: a huge timeout would fail every call at once.
const MAX_TIMEOUT_MS = 2_147_483_647;

const RULES = {
  url: option.matching(/^rediss?:\/\//, "a redis:// or rediss:// URL"),
  client: option.custom((v) => typeof (v as { evalsha?: unknown } | null)?.evalsha === "function", "an ioredis client"),
  prefix: option.nonEmptyString(),
  timeoutMs: option.integer(1, MAX_TIMEOUT_MS, `a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`),
  onError: option.function(),
} satisfies Record<keyof RedisPinsOptions, OptionRule>;

/**
 * Checks options up front so a typo fails at startup, not on the first request: a
 * `ConfigurationError` naming the option.
 *
 * @example
 * resolveRedisOptions({ url: "localhost:6379" }); // throws, naming "url"
 */
export function resolveRedisOptions(options: RedisPinsOptions): ResolvedRedisOptions {
  const o = checkOptions("redisPins()", options, RULES, [["url", "client"]]) as RedisPinsOptions;
  return { url: o.url, client: o.client, prefix: o.prefix ?? "strata:", timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS, onError: o.onError };
}
