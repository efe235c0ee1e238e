import type { Db } from "./db";
import type { KeyRecord, Refill } from "./db/types";

const DAY = 86_400_000;

/** The most recent refill moment at or before `now` (UTC midnights, like Unkey's refill job). */
export function lastRefillBoundary(refill: Refill, now: number): number {
  if (refill.interval === "daily") return Math.floor(now / DAY) * DAY;
  const day = refill.refillDay ?? 1;
  const at = (year: number, month: number) => {
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return Date.UTC(year, month, Math.min(day, lastDay));
  };
  const d = new Date(now);
  const thisMonth = at(d.getUTCFullYear(), d.getUTCMonth());
  return thisMonth <= now ? thisMonth : at(d.getUTCFullYear(), d.getUTCMonth() - 1);
}

/**
 * Refill lazily, when a key is read or verified: if a refill moment passed since the last
 * refill (or since creation), `remaining` is reset to `amount`. Returns the current key.
 */
export function refillIfDue(db: Db, key: KeyRecord, now = Date.now()): KeyRecord {
  const refill = key.credits?.refill;
  if (!key.credits || !refill) return key;
  const since = refill.lastRefillAt ?? key.createdAt;
  if (since >= lastRefillBoundary(refill, now)) return key;
  const credits = { remaining: refill.amount, refill: { ...refill, lastRefillAt: now } };
  db.keys.update(key.id, { credits });
  return { ...key, credits };
}
