import type { PinListener } from "./pin-store";

/**
 * The listeners of one pin store, for store implementations. Each subscription is its own entry, so subscribing the same
 * function twice and unsubscribing once leaves one delivery, as callers expect.
 * A listener that throws must not stop the others or crash a background timer.
 *
 * @example
 * const listeners = new PinListeners((error) => log(error));
 * const remove = listeners.add((account) => cache.delete(account));
 * listeners.emit("acct_1"); // every listener hears acct_1
 * remove();
 */
export class PinListeners {
  private readonly entries = new Set<{ listener: PinListener }>();

  constructor(private readonly onError: (error: unknown) => void) {}

  get size(): number {
    return this.entries.size;
  }

  /** Adds a listener; the returned function removes exactly this subscription. */
  add(listener: PinListener): () => boolean {
    const entry = { listener };
    this.entries.add(entry);
    return () => this.entries.delete(entry);
  }

  emit(account: string): void {
    for (const { listener } of [...this.entries]) {
      try {
        listener(account);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
