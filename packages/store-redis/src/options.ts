import type { Redis } from "ioredis";

/**
 * Options of `redisPins`. Pass exactly one of `url` or `client`.
 *
 * @example
 * const options: RedisPinsOptions = { client: appRedis, prefix: "{strata}:" };
 */
export interface RedisPinsOptions {
  /**
   * Where to connect, e.g. `redis://127.0.0.1:6379/0`. The store then owns its connections
   * and sets them to fail fast: a command waits for at most one reconnect attempt (about
   * 150 ms) or 5 s without an answer, then rejects.
   */
  url?: string;
  /**
   * A client the app already has. The store uses it as is (its retry settings decide how
   * long a command waits while Redis is down), duplicates it once for SUBSCRIBE, and does
   * not close it.
   */
  client?: Redis;
  /** Prefix of every key and of the channel. Default `"strata:"`. */
  prefix?: string;
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
  onError?: (error: unknown) => void;
}

const fail = (message: string): never => {
  throw new Error(`redisPins: ${message}`);
};

/**
 * Checks options up front so a typo fails at startup, not on the first request.
 *
 * @example
 * resolveRedisOptions({ url: "localhost:6379" }); // throws, naming "url"
 */
export function resolveRedisOptions(options: RedisPinsOptions): ResolvedRedisOptions {
  if (options === null || typeof options !== "object") {
    return fail('expected an options object with "url" or "client"');
  }
  const { url, client, onError } = options;
  if ((url === undefined) === (client === undefined)) fail('pass exactly one of option "url" or option "client"');
  if (url !== undefined && (typeof url !== "string" || !/^rediss?:\/\//.test(url))) {
    fail(`option "url" must be a redis:// or rediss:// URL, got ${JSON.stringify(url)}`);
  }
  if (client !== undefined && (typeof client !== "object" || client === null || typeof client.evalsha !== "function")) {
    fail('option "client" must be an ioredis client');
  }
  const prefix = options.prefix ?? "strata:";
  if (typeof prefix !== "string" || prefix === "") {
    fail(`option "prefix" must be a non-empty string, got ${JSON.stringify(prefix)}`);
  }
  if (onError !== undefined && typeof onError !== "function") fail('option "onError" must be a function');
  return { url, client, prefix, onError };
}
