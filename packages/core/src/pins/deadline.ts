/**
 * A store call that took longer than its store's `timeoutMs`. Stores reject with it so the
 * middleware can answer (503, or the default version) while the service is unreachable,
 * instead of waiting for a TCP timeout that a network partition may never deliver.
 */
export class PinStoreTimeoutError extends Error {
  override name = "PinStoreTimeoutError";
  /** Matches Node's own timeout errors, so callers that test `code` see a network failure. */
  readonly code = "ETIMEDOUT";
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation} did not complete within ${timeoutMs} ms`);
  }
}

const MAX_TIMER_MS = 2_147_483_647;

/**
 * Settle with `work`, or reject with a {@link PinStoreTimeoutError} after `timeoutMs`.
 * `onLate` receives the value if `work` resolves after the deadline, so a resource it
 * yields (a pooled connection) can be given back instead of leaking; a rejection after the
 * deadline is dropped (the caller already has its answer). A `timeoutMs` that is not a
 * positive finite number means no deadline: `work` is returned as is.
 *
 * @example
 * const client = await withDeadline(pool.connect(), 1000, "postgresPins: connect", (late) => late.release());
 */
export function withDeadline<T>(work: Promise<T>, timeoutMs: number, operation: string, onLate?: (value: T) => void): Promise<T> {
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return work;
  return new Promise<T>((resolve, reject) => {
    let late = false;
    const timer = setTimeout(
      () => {
        late = true;
        reject(new PinStoreTimeoutError(operation, timeoutMs));
      },
      // Node would fire a longer timer after 1 ms, failing the call at once.
      Math.min(timeoutMs, MAX_TIMER_MS),
    );
    // A pending store call must not keep a process alive that has nothing else to do.
    timer.unref?.();
    work.then(
      (value) => {
        clearTimeout(timer);
        if (late) onLate?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!late) reject(error);
      },
    );
  });
}
