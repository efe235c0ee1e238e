import { Redis } from "ioredis";
import createDebug from "debug";
import { PinListeners, FIRST_REQUEST_ACTOR, withDeadline, type Pin, type PinChange, type VersionUsage, type SubscribablePinStore } from "@strata/core";
import { resolveRedisOptions, type RedisPinsOptions } from "./options";
import { scripts } from "./scripts";
import { redisUsage, type RedisUsage } from "./usage";

const log = createDebug("strata:store-redis");

/**
 * ioredis's own timers are set this much later than the store's deadline: the caller
 * always sees the store's PinStoreTimeoutError, and ioredis's timers clean up after it (a
 * connect that hangs, a ready check that never answers).
 */
const REDIS_TIMER_SLACK_MS = 50;
/**
 * Reconnect delays grow 50 ms per attempt up to this. With one attempt per command, it is
 * how long a command waits while connections are refused; ioredis's default cap (2 s) made
 * answers slower the longer Redis stayed down.
 */
const MAX_RECONNECT_DELAY_MS = 100;

type HistoryEntry = [from: string | null, to: string, actor: string, reason: string | null, at: string];

const toChange = (account: string, json: string): PinChange => {
  const [from, to, actor, reason, at] = JSON.parse(json) as HistoryEntry;
  const change: PinChange = { account, from, to, actor, at: new Date(Number(at)) };
  if (reason !== null) change.reason = reason;
  return change;
};

/**
 * The store `redisPins` returns: a {@link PinStore} whose `subscribe` and `close` always
 * exist, with usage records (`recordUsage`, `readUsage`) and `pruneUsage`.
 *
 * @example
 * const pins: RedisPinStore = redisPins({ url: process.env.REDIS_URL });
 * const stop = await pins.subscribe((account) => cache.delete(account));
 * await pins.pruneUsage("2026-01-01"); // usage rows of days before 2026 are deleted
 */
export type RedisPinStore = SubscribablePinStore & RedisUsage;

/**
 * A durable pin store in Redis, for apps that already run Redis for shared state.
 *
 * Keys (all under `prefix`, default `strata:`): `pin:<account>` (hash: version, pinnedAt,
 * updatedAt), `history:<account>` (list, newest first) and `usage` (hash: version -> number
 * of accounts). Writes are Lua scripts, so `pinIfAbsent` is atomic across every process:
 * exactly one caller creates the pin, its history entry and its usage count. Each script
 * PUBLISHes the account on `<prefix>pins:changed`; `subscribe` listens on a duplicate
 * connection. Redis must persist (AOF or RDB) for the pins to survive a Redis restart.
 * Usage records: one hash per UTC day (`usage-day:<day>`, a field per account, version and
 * source) written by a Lua script, so instances writing at once add up, and indexes by day
 * (`usage-days`), account (`usage-by-account:<account>`) and version (`usage-by-version:<version>`).
 *
 * Operations reject with ioredis's error when Redis is unreachable, and with
 * `PinStoreTimeoutError` when a call takes longer than `timeoutMs` (default 1000), which is
 * what a network that drops packets looks like. A client the store creates from `url` fails
 * fast (no queueing for minutes while Redis is down).
 *
 * @param options - `{ url }` or `{ client }`, plus `prefix`, `timeoutMs` and `onError`.
 * @throws ConfigurationError naming the option when the options are invalid.
 *
 * @example
 * import { redisPins } from "@strata/store-redis";
 *
 * const pins = redisPins({ url: "redis://127.0.0.1:6379", prefix: "myapp:strata:" });
 * const { pin, created } = await pins.pinIfAbsent("acct_1", "2024-06-01");
 * const stop = await pins.subscribe((account) => cache.delete(account));
 * await pins.close();
 */
export function redisPins(options: RedisPinsOptions): RedisPinStore {
  const opts = resolveRedisOptions(options);
  const onError = opts.onError ?? ((error: unknown) => log("background error: %O", error));
  const owned = opts.client === undefined;
  const client =
    opts.client ??
    new Redis(opts.url!, {
      // ioredis defaults make a command wait through 20 reconnect attempts; the middleware
      // would rather answer 503 now: a command fails with the first reconnect attempt that
      // fails. The offline queue stays on so calls made before the first connect completes
      // are not refused.
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 50, MAX_RECONNECT_DELAY_MS),
      enableOfflineQueue: true,
      connectTimeout: opts.timeoutMs + REDIS_TIMER_SLACK_MS,
      commandTimeout: opts.timeoutMs + REDIS_TIMER_SLACK_MS,
      connectionName: "strata-pins",
    });
  // ioredis prints unhandled "error" events to the console; route them to onError instead.
  if (owned) client.on("error", onError);

  const { prefix } = opts;
  const channel = `${prefix}pins:changed`;
  const usageKey = `${prefix}usage`;
  const keys = (account: string): string[] => [`${prefix}pin:${account}`, `${prefix}history:${account}`, usageKey];
  const listeners = new PinListeners(onError);
  let subscriber: Redis | undefined;
  let subscriberStarting: Promise<Redis> | undefined;
  let closed = false;
  /** One store call, bounded by `timeoutMs` whatever the client's own settings. */
  const bounded = <T>(operation: string, work: Promise<T>): Promise<T> => withDeadline(work, opts.timeoutMs, `redisPins: ${operation}`);

  const startSubscriber = async (): Promise<Redis> => {
    // Unlike the command client, the subscriber keeps retrying forever: ioredis re-subscribes
    // after every reconnect. Messages published while it is down are lost (pub/sub keeps none).
    const sub = client.duplicate({ connectionName: `${client.options.connectionName ?? "strata-pins"}-sub`, maxRetriesPerRequest: 1 });
    sub.on("error", onError);
    sub.on("message", (from: string, account: string) => {
      if (from === channel) listeners.emit(account);
    });
    try {
      await bounded("subscribe", sub.subscribe(channel));
      return sub;
    } catch (error) {
      sub.disconnect(); // on a timeout too: nobody is waiting for this connection any more
      throw error;
    }
  };

  const shutdown = async (connection: Redis): Promise<void> => {
    // QUIT through a silent network would wait forever: give up on politeness in time.
    if (connection.status === "ready") await bounded("close", connection.quit()).catch(() => connection.disconnect());
    else connection.disconnect();
  };

  return {
    ...redisUsage(client, prefix, bounded, opts.timeoutMs),

    async get(account): Promise<Pin | undefined> {
      const [version, pinnedAt, updatedAt] = await bounded("get", client.hmget(keys(account)[0]!, "version", "pinnedAt", "updatedAt"));
      if (version == null) return undefined;
      return { account, version, pinnedAt: new Date(Number(pinnedAt)), updatedAt: new Date(Number(updatedAt)) };
    },

    async pinIfAbsent(account, version) {
      const [created, current, pinnedAt, updatedAt] = (await bounded(
        "pinIfAbsent",
        scripts.pinIfAbsent.run(client, keys(account), [account, version, FIRST_REQUEST_ACTOR, channel]),
      )) as [number, string, string, string];
      return {
        pin: { account, version: current, pinnedAt: new Date(Number(pinnedAt)), updatedAt: new Date(Number(updatedAt)) },
        created: created === 1,
      };
    },

    async set(account, version, change) {
      const [from, at] = (await bounded(
        "set",
        scripts.set.run(client, keys(account), [account, version, change.actor, change.reason ?? "", change.reason === undefined ? "0" : "1", channel]),
      )) as [string | null, string];
      const entry: PinChange = { account, from, to: version, actor: change.actor, at: new Date(Number(at)) };
      if (change.reason !== undefined) entry.reason = change.reason;
      return entry;
    },

    async history(account, options) {
      const limit = options?.limit;
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
        throw new RangeError(`redisPins: history limit must be a non-negative integer, got ${limit}`);
      }
      if (limit === 0) return []; // LRANGE 0 -1 would mean "everything"
      const entries = await bounded("history", client.lrange(keys(account)[1]!, 0, limit === undefined ? -1 : limit - 1));
      return entries.map((json) => toChange(account, json));
    },

    async usage(): Promise<VersionUsage[]> {
      const counts = await bounded("usage", client.hgetall(usageKey));
      return Object.entries(counts)
        .map(([version, n]) => ({ version, accounts: Number(n) }))
        .filter((row) => row.accounts > 0)
        .sort((a, b) => b.accounts - a.accounts || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
    },

    async subscribe(listener) {
      if (closed) throw new Error("redisPins: the store is closed");
      if (!subscriber) {
        subscriberStarting ??= startSubscriber().finally(() => (subscriberStarting = undefined));
        const started = await subscriberStarting;
        if (closed) {
          await shutdown(started);
          throw new Error("redisPins: the store was closed while subscribing");
        }
        subscriber ??= started;
      }
      const remove = listeners.add(listener);
      return async () => {
        remove();
        if (listeners.size === 0 && subscriber) {
          const sub = subscriber;
          subscriber = undefined;
          await shutdown(sub);
        }
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await subscriberStarting?.then(shutdown, () => undefined);
      if (subscriber) await shutdown(subscriber);
      subscriber = undefined;
      if (owned) await shutdown(client);
    },
  };
}
