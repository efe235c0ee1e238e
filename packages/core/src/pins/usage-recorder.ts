import createDebug from "debug";
import { addUsage, usageKey, type UsageRow, type UsageSource, type UsageStore } from "./usage";

const log = createDebug("strata:usage");

/** Options of {@link usageRecorder}. */
export interface UsageRecorderOptions {
  /** How often the batch is written. Default 10 s: one store write per interval, not per request. */
  flushIntervalMs?: number;
  /** Write early when this many distinct rows wait (accounts x versions x sources). Default 10,000. */
  maxRows?: number;
  /** Clock (tests). */
  now?: () => Date;
}

/** Counts requests in memory and writes them in batches. */
export interface UsageRecorder {
  /** One request: O(1), no I/O. */
  record(account: string | undefined, version: string, source: UsageSource, deprecated: boolean): void;
  /** Write what has been counted now (also what `close` does). A failed write keeps the counts for the next. */
  flush(): Promise<void>;
  /** Stop the timer and write the last batch. */
  close(): Promise<void>;
}

/**
 * Aggregate usage per account, version, source and day in memory, and write it to `store`
 * every `flushIntervalMs`. Nothing is lost when a write fails: the batch is merged back and
 * written with the next one. The timer does not keep the process alive; call `close()` on
 * shutdown to write the last batch.
 *
 * @example
 * const usage = usageRecorder(pins); // any store with recordUsage(): the pin stores have it
 * usage.record("acct_1", "2024-06-01", "pin", false);
 */
export function usageRecorder(store: UsageStore, options: UsageRecorderOptions = {}): UsageRecorder {
  const interval = options.flushIntervalMs ?? 10_000;
  const maxRows = options.maxRows ?? 10_000;
  const now = options.now ?? (() => new Date());
  let pending = new Map<string, UsageRow>();
  let writing: Promise<void> = Promise.resolve();
  let day = "";
  let dayEnds = 0;

  const flush = (): Promise<void> => {
    // Writes are chained: two flushes never race on the same rows.
    writing = writing.then(async () => {
      if (pending.size === 0) return;
      const batch = pending;
      pending = new Map();
      try {
        await store.recordUsage([...batch.values()]);
      } catch (err) {
        log("writing %d usage rows failed, keeping them for the next flush: %O", batch.size, err);
        for (const [key, row] of batch) {
          const later = pending.get(key);
          if (later) addUsage(row, later);
          pending.set(key, row);
        }
      }
    });
    return writing;
  };
  const timer = setInterval(() => void flush(), interval);
  timer.unref?.();

  return {
    record(account, version, source, deprecated) {
      const at = now();
      const t = at.getTime();
      if (t >= dayEnds || t < dayEnds - 86_400_000) {
        day = at.toISOString().slice(0, 10);
        dayEnds = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
      }
      const row = { account: account ?? "", version, source, day };
      const key = usageKey(row);
      const found = pending.get(key);
      if (found) {
        found.requests++;
        if (deprecated) found.deprecated++;
        found.lastSeen = at;
        return;
      }
      pending.set(key, { ...row, requests: 1, deprecated: deprecated ? 1 : 0, firstSeen: at, lastSeen: at });
      if (pending.size >= maxRows) void flush();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
