/**
 * A small LRU of account -> pinned version with a TTL. Pins change rarely and are read on
 * every request, so a hit must be a Map lookup; invalidation from the store's change feed
 * keeps instances in step well inside the TTL.
 */
export class PinCache {
  private readonly entries = new Map<string, { version: string; expires: number }>();

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
  ) {}

  get(account: string, now = Date.now()): string | undefined {
    const entry = this.entries.get(account);
    if (!entry) return undefined;
    if (entry.expires <= now) {
      this.entries.delete(account);
      return undefined;
    }
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.entries.delete(account);
    this.entries.set(account, entry);
    return entry.version;
  }

  set(account: string, version: string, now = Date.now()): void {
    if (this.max <= 0) return;
    this.entries.delete(account);
    this.entries.set(account, { version, expires: now + this.ttlMs });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(account: string): void {
    this.entries.delete(account);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
