import createDebug from "debug";
import type { UsageRow, UsageSource, UsageStore } from "./usage";

const toRow = (c: {
  account: string;
  version: string;
  source: UsageSource;
  day: string;
  requests: number;
  deprecated: number;
  first: number;
  last: number;
}): UsageRow => ({
  account: c.account,
  version: c.version,
  source: c.source,
  day: c.day,
  requests: c.requests,
  deprecated: c.deprecated,
  firstSeen: new Date(c.first),
  lastSeen: new Date(c.last),
});

const log = createDebug("strata:usage");

/** Options of {@link usageRecorder}. */
export interface UsageRecorderOptions {
  /** How often the batch is written. Default 10 s: one store write per interval, not per request. */
  flushIntervalMs?: number;
  /** Write early when this many distinct rows wait (accounts x versions x sources), and never more in one batch. Default 10,000. */
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
  const clock = options.now;
  // Counted as plain numbers; rows with Dates are made once per flush, not per request.
  type Count = { account: string; version: string; source: UsageSource; day: string; requests: number; deprecated: number; first: number; last: number };
  let pending = new Map<string, Count>();
  let writing: Promise<void> = Promise.resolve();
  let day = "";
  let dayEnds = 0;

  const flush = (): Promise<void> => {
    // Writes are chained: two flushes never race on the same rows.
    writing = writing.then(async () => {
      if (pending.size === 0) return;
      const batch = [...pending.entries()];
      pending = new Map();
      // In pieces of at most maxRows: after an outage the backlog never becomes one batch too
      // large to write in time, and only the pieces that failed are kept.
      for (let i = 0; i < batch.length; i += maxRows) {
        const piece = batch.slice(i, i + maxRows);
        try {
          await store.recordUsage(piece.map(([, count]) => toRow(count)));
        } catch (err) {
          log("writing %d usage rows failed, keeping them for the next flush: %O", piece.length, err);
          for (const [key, count] of piece) {
            const later = pending.get(key);
            if (later) {
              count.requests += later.requests;
              count.deprecated += later.deprecated;
              count.last = Math.max(count.last, later.last);
            }
            pending.set(key, count);
          }
        }
      }
    });
    return writing;
  };
  const timer = setInterval(() => void flush(), interval);
  timer.unref?.();

  return {
    record(account, version, source, deprecated) {
      const t = clock ? clock().getTime() : Date.now();
      if (t >= dayEnds || t < dayEnds - 86_400_000) {
        day = new Date(t).toISOString().slice(0, 10);
        dayEnds = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
      }
      const who = account ?? "";
      const key = `${day}\u0000${who}\u0000${version}\u0000${source}`;
      const found = pending.get(key);
      if (found) {
        found.requests++;
        if (deprecated) found.deprecated++;
        if (t > found.last) found.last = t;
        return;
      }
      pending.set(key, { account: who, version, source, day, requests: 1, deprecated: deprecated ? 1 : 0, first: t, last: t });
      if (pending.size >= maxRows) void flush();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
