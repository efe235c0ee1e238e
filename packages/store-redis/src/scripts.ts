import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/*
 * Each write is one Lua script, so Redis runs it atomically: no other client sees a pin
 * without its history entry, or usage counters that disagree with the pins.
 *
 * Keys: KEYS[1] the account's pin hash, KEYS[2] its history list, KEYS[3] the usage hash.
 * Times come from the server's clock (TIME), so every process stamps changes alike.
 * History entries are JSON arrays [from, to, actor, reason, at].
 */
const NOW = `local t = redis.call('TIME')
local now = t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000))`;

/** ARGV: account, version, actor, channel. Returns {created, version, pinnedAt, updatedAt}. */
const PIN_IF_ABSENT = `
local pin = redis.call('HMGET', KEYS[1], 'version', 'pinnedAt', 'updatedAt')
if pin[1] then return {0, pin[1], pin[2], pin[3]} end
${NOW}
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'pinnedAt', now, 'updatedAt', now)
redis.call('LPUSH', KEYS[2], cjson.encode({cjson.null, ARGV[2], ARGV[3], cjson.null, now}))
redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
redis.call('PUBLISH', ARGV[4], ARGV[1])
return {1, ARGV[2], now, now}`;

/** ARGV: account, version, actor, reason, hasReason ("1"/"0"), channel. Returns {from, at}. */
const SET = `
local old = redis.call('HMGET', KEYS[1], 'version', 'pinnedAt')
${NOW}
if old[1] and redis.call('HINCRBY', KEYS[3], old[1], -1) <= 0 then redis.call('HDEL', KEYS[3], old[1]) end
redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'pinnedAt', old[2] or now, 'updatedAt', now)
local reason = cjson.null
if ARGV[5] == '1' then reason = ARGV[4] end
redis.call('LPUSH', KEYS[2], cjson.encode({old[1] or cjson.null, ARGV[2], ARGV[3], reason, now}))
redis.call('PUBLISH', ARGV[6], ARGV[1])
return {old[1] or false, now}`;

/**
 * A script run by hash, loaded on demand (after a restart or SCRIPT FLUSH the hash is unknown).
 *
 * @example
 * await scripts.pinIfAbsent.run(client, [pinKey, historyKey, usageKey], [account, version, "first-request", channel]);
 */
export interface LuaScript {
  run(client: Redis, keys: string[], args: string[]): Promise<unknown>;
}

function script(source: string): LuaScript {
  const sha = createHash("sha1").update(source).digest("hex");
  return {
    async run(client, keys, args) {
      try {
        return await client.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
        return client.eval(source, keys.length, ...keys, ...args);
      }
    },
  };
}

/**
 * The store's write scripts.
 *
 * @example
 * const [from, at] = await scripts.set.run(client, keys, [account, version, actor, reason, "1", channel]);
 */
export const scripts = { pinIfAbsent: script(PIN_IF_ABSENT), set: script(SET) };
