import type { Redis } from "ioredis";
import {
  compareUsage,
  PinStoreTimeoutError,
  type UsageQuery,
  type UsageRow,
  type UsageSource,
  type UsageStore,
  checkUsageDay,
  checkUsageRows,
} from "@strata/core";
import { scripts } from "./scripts";

/**
 * Usage records under the store's prefix (see `scripts.ts` for the keys), with pruning.
 *
 * @example
 * const pins = redisPins({ url: process.env.REDIS_URL });
 * await pins.pruneUsage("2026-01-01"); // drops every day before 2026
 */
export interface RedisUsage extends UsageStore {
  /** Delete the rows of every day before `beforeDay` (`YYYY-MM-DD`); resolves to how many were deleted. */
  pruneUsage(beforeDay: string): Promise<number>;
}

/** One store call, bounded by `timeoutMs`. */
type Bounded = <T>(operation: string, work: Promise<T>) => Promise<T>;

/** Rows per script call: each runs alone on the server, so none may hold it up for long. */
const CHUNK = 500;
/**
 * How much earlier than the store's deadline a batch's scripts stop writing: time for the
 * answer to reach the client before the deadline gives up on it.
 */
const SCRIPT_SLACK_MS = 100;

const checkRows = (rows: readonly UsageRow[]): void => checkUsageRows(rows, "redisPins");
const checkDay = (name: string, day: unknown): void => checkUsageDay(day, name, "redisPins");

const chunks = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

/** A row's field in its day's hash: JSON, so any account or version is unambiguous. */
const fieldOf = (r: Pick<UsageRow, "account" | "version" | "source">): string => JSON.stringify([r.account, r.version, r.source]);
const partsOf = (field: string): [account: string, version: string, source: UsageSource] => JSON.parse(field) as [string, string, UsageSource];

const toRow = (day: string, field: string, value: string): UsageRow => {
  const [account, version, source] = partsOf(field);
  const [requests, deprecated, firstSeen, lastSeen] = JSON.parse(value) as [number, number, number, number];
  return { account, version, source, day, requests, deprecated, firstSeen: new Date(firstSeen), lastSeen: new Date(lastSeen) };
};

/**
 * `recordUsage`, `readUsage` and `pruneUsage` on one client. Writes are Lua scripts, so each
 * row's read-add-write runs alone on the server however many instances write at once.
 *
 * @example
 * const usage = redisUsage(client, "strata:", bounded, 1000);
 * await usage.recordUsage(rows);
 */
export function redisUsage(client: Redis, prefix: string, bounded: Bounded, timeoutMs: number): RedisUsage {
  const days = `${prefix}usage-days`;
  const dayKey = (day: string): string => `${prefix}usage-day:${day}`;
  const accountKey = (account: string): string => `${prefix}usage-by-account:${account}`;
  const versionKey = (version: string): string => `${prefix}usage-by-version:${version}`;

  /** The rows of `day` among `fields` (a field pruned meanwhile is skipped). */
  const rowsOf = async (day: string, fields: string[]): Promise<UsageRow[]> => {
    const values = await client.hmget(dayKey(day), ...fields);
    return fields.flatMap((field, i) => (values[i] == null ? [] : [toRow(day, field, values[i]!)]));
  };

  const read = async (query: UsageQuery): Promise<UsageRow[]> => {
    const min = query.since === undefined ? "-" : `[${query.since}`;
    if (query.account === undefined && query.version === undefined) {
      const found = await client.zrangebylex(days, min, "+");
      const hashes = await Promise.all(found.map((day) => client.hgetall(dayKey(day))));
      return hashes.flatMap((hash, i) => Object.entries(hash).map(([field, value]) => toRow(found[i]!, field, value)));
    }
    // Members are `<day><field>`: the day is the first 10 characters, and sorts them.
    const index = query.account !== undefined ? accountKey(query.account) : versionKey(query.version!);
    const byDay = new Map<string, string[]>();
    for (const member of await client.zrangebylex(index, min, "+")) {
      const day = member.slice(0, 10);
      const field = member.slice(10);
      if (query.version !== undefined && partsOf(field)[1] !== query.version) continue;
      const fields = byDay.get(day);
      if (fields) fields.push(field);
      else byDay.set(day, [field]);
    }
    return (await Promise.all([...byDay].map(([day, fields]) => rowsOf(day, fields)))).flat();
  };

  return {
    async recordUsage(rows) {
      checkRows(rows);
      if (rows.length === 0) return;
      const started = Date.now();
      const late = (): PinStoreTimeoutError => new PinStoreTimeoutError("redisPins: recordUsage", timeoutMs);
      // Why a deadline the scripts check themselves: the store's deadline only stops waiting.
      // Commands held up by a silent network are run when it heals, and the recorder, told
      // the batch failed, writes it again: counted twice. So each script carries the latest
      // server time it may write at: the server's clock now plus what is left of timeoutMs.
      const write = async (): Promise<void> => {
        const [seconds, micros] = await client.time();
        const left = timeoutMs - (Date.now() - started) - SCRIPT_SLACK_MS;
        if (left <= 0) throw late(); // nobody waits any more: send nothing
        const until = String(Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) + left);
        const written = await Promise.all(
          chunks(rows).map((chunk) => {
            const keys = [days, ...chunk.flatMap((r) => [dayKey(r.day), accountKey(r.account), versionKey(r.version)])];
            const args = chunk.flatMap((r) => [
              r.day,
              fieldOf(r),
              String(r.requests),
              String(r.deprecated),
              String(r.firstSeen.getTime()),
              String(r.lastSeen.getTime()),
            ]);
            return scripts.recordUsage.run(client, keys, [until, ...args]);
          }),
        );
        if (written.some((n) => Number(n) < 0)) throw late();
      };
      await bounded("recordUsage", write());
    },

    async readUsage(query = {}) {
      if (query.since !== undefined) checkDay("since", query.since);
      // Sorted here: core's compareUsage is the order every store answers in.
      return (await bounded("readUsage", read(query))).sort(compareUsage);
    },

    async pruneUsage(beforeDay) {
      checkDay("beforeDay", beforeDay);
      let expired = false;
      const prune = async (): Promise<number> => {
        let deleted = 0;
        for (const day of await client.zrangebylex(days, "-", `(${beforeDay}`)) {
          const fields = await client.hkeys(dayKey(day));
          // Only the fields read here are deleted: a row written to this day meanwhile stays,
          // whole, for the next prune. An empty list still forgets the day.
          for (const chunk of fields.length === 0 ? [[]] : chunks(fields)) {
            if (expired) return deleted; // the caller gave up: stop, keeping what was done
            const keys = [days, dayKey(day), ...chunk.flatMap((f) => [accountKey(partsOf(f)[0]), versionKey(partsOf(f)[1])])];
            deleted += Number(await scripts.pruneUsage.run(client, keys, [day, ...chunk]));
          }
        }
        return deleted;
      };
      try {
        return await bounded("pruneUsage", prune());
      } catch (error) {
        expired = true;
        throw error;
      }
    },
  };
}
