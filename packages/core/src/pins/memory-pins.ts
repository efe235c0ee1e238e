import { FIRST_REQUEST_ACTOR, type Pin, type PinChange, type PinChangeInput, type PinIfAbsentResult, type PinStore, type VersionUsage } from "./pin-store";
import { addUsage, checkUsageDay, checkUsageRows, compareUsage, matchesUsage, usageKey, type UsageRow, type UsageStore } from "./usage";
import { PinListeners } from "./pin-listeners";
import createDebug from "debug";

const log = createDebug("strata:pins");

/**
 * A pin store that lives in this process: for tests, demos and single-instance apps that
 * accept losing pins on restart. Returned objects are copies, so callers cannot corrupt it.
 *
 * @example
 * app.use(versioning({ versions, pins: memoryPins() }));
 */
export function memoryPins(): PinStore & Required<UsageStore> {
  const pins = new Map<string, Pin>();
  const usageRows = new Map<string, UsageRow>();
  const changes = new Map<string, PinChange[]>();
  // A listener that throws is reported on `strata:pins` and never stops the others.
  const listeners = new PinListeners((err) => log("pin listener failed: %O", err));

  const record = (entry: PinChange): void => {
    const list = changes.get(entry.account) ?? [];
    list.push(entry);
    changes.set(entry.account, list);
    listeners.emit(entry.account);
  };
  const copyPin = (pin: Pin): Pin => ({ ...pin, pinnedAt: new Date(pin.pinnedAt), updatedAt: new Date(pin.updatedAt) });
  const copyChange = (c: PinChange): PinChange => ({ ...c, at: new Date(c.at) });

  return {
    async get(account) {
      const pin = pins.get(account);
      return pin && copyPin(pin);
    },
    async pinIfAbsent(account, version): Promise<PinIfAbsentResult> {
      const existing = pins.get(account);
      if (existing) return { pin: copyPin(existing), created: false };
      const now = new Date();
      const pin: Pin = { account, version, pinnedAt: now, updatedAt: now };
      pins.set(account, pin);
      record({ account, from: null, to: version, actor: FIRST_REQUEST_ACTOR, at: now });
      return { pin: copyPin(pin), created: true };
    },
    async set(account, version, change: PinChangeInput) {
      const now = new Date();
      const existing = pins.get(account);
      pins.set(account, { account, version, pinnedAt: existing?.pinnedAt ?? now, updatedAt: now });
      const entry: PinChange = { account, from: existing?.version ?? null, to: version, actor: change.actor, at: now };
      if (change.reason !== undefined) entry.reason = change.reason;
      record(entry);
      return copyChange(entry);
    },
    async history(account, options) {
      const list = (changes.get(account) ?? []).slice().reverse();
      return (options?.limit === undefined ? list : list.slice(0, options.limit)).map(copyChange);
    },
    async usage(): Promise<VersionUsage[]> {
      const counts = new Map<string, number>();
      for (const pin of pins.values()) counts.set(pin.version, (counts.get(pin.version) ?? 0) + 1);
      return [...counts].map(([version, accounts]) => ({ version, accounts })).sort((a, b) => b.accounts - a.accounts || a.version.localeCompare(b.version));
    },
    async recordUsage(rows) {
      checkUsageRows(rows, "memoryPins");
      for (const row of rows) {
        const key = usageKey(row);
        const found = usageRows.get(key);
        if (found) addUsage(found, row);
        else usageRows.set(key, { ...row, firstSeen: new Date(row.firstSeen), lastSeen: new Date(row.lastSeen) });
      }
    },
    async pruneUsage(beforeDay) {
      checkUsageDay(beforeDay, "pruneUsage(beforeDay)", "memoryPins");
      let removed = 0;
      for (const [key, row] of usageRows) if (row.day < beforeDay && usageRows.delete(key)) removed++;
      return removed;
    },
    async readUsage(query) {
      return [...usageRows.values()]
        .filter((r) => matchesUsage(r, query))
        .map((r) => ({ ...r, firstSeen: new Date(r.firstSeen), lastSeen: new Date(r.lastSeen) }))
        .sort(compareUsage);
    },
    async subscribe(listener) {
      const remove = listeners.add(listener);
      return async () => void remove();
    },
    async close() {
      listeners.clear();
    },
  };
}
