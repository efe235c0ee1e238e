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

/*
 * Usage records. A day's rows live in one hash, `usage-day:<day>`: field JSON
 * [account, version, source], value [requests, deprecated, firstSeen, lastSeen] (ms). Each
 * row is also a member `<day><field>` of two lexically sorted sets, `usage-by-account:<a>`
 * and `usage-by-version:<v>` (score 0), and its day a member of `usage-days`, so reads find
 * rows by account, version or day without KEYS or SCAN.
 */

/**
 * KEYS: usage-days, then per row its day hash, account index, version index.
 * ARGV: the time (ms, server clock) after which the batch must not be written, then per row:
 * day, field, requests, deprecated, firstSeen, lastSeen. Adds each row to what is stored
 * (counts add, the earliest first and the latest last seen are kept). Returns the number of
 * rows written, or -1, writing nothing, when it runs too late: its caller gave up on it and
 * will write the rows again.
 *
 * A row already in its day's hash is already in the indexes (the prune script removes all
 * three at once), so only a new row touches them.
 */
const RECORD_USAGE = `
${NOW}
if tonumber(now) > tonumber(ARGV[1]) then return -1 end
local rows = (#ARGV - 1) / 6
for i = 0, rows - 1 do
  local a, k = 1 + i * 6, i * 3
  local day, field = ARGV[a + 1], ARGV[a + 2]
  local requests, deprecated = tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local first, last = tonumber(ARGV[a + 5]), tonumber(ARGV[a + 6])
  local stored = redis.call('HGET', KEYS[k + 2], field)
  if stored then
    local v = cjson.decode(stored)
    requests, deprecated = requests + v[1], deprecated + v[2]
    first, last = math.min(first, v[3]), math.max(last, v[4])
  else
    redis.call('ZADD', KEYS[1], 0, day)
    redis.call('ZADD', KEYS[k + 3], 0, day .. field)
    redis.call('ZADD', KEYS[k + 4], 0, day .. field)
  end
  redis.call('HSET', KEYS[k + 2], field, string.format('[%d,%d,%d,%d]', requests, deprecated, first, last))
end
return rows`;

/**
 * KEYS: usage-days, the day's hash, then per row its account index and version index.
 * ARGV: day, then the fields to delete. Forgets the day once its hash is empty. Returns how
 * many rows it deleted.
 */
const PRUNE_USAGE = `
local deleted = 0
for i = 2, #ARGV do
  local member = ARGV[1] .. ARGV[i]
  redis.call('ZREM', KEYS[i * 2 - 1], member)
  redis.call('ZREM', KEYS[i * 2], member)
  deleted = deleted + redis.call('HDEL', KEYS[2], ARGV[i])
end
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('ZREM', KEYS[1], ARGV[1]) end
return deleted`;

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
export const scripts = { pinIfAbsent: script(PIN_IF_ABSENT), set: script(SET), recordUsage: script(RECORD_USAGE), pruneUsage: script(PRUNE_USAGE) };
