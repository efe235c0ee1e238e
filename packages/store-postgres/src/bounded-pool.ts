import type pg from "pg";
import { PinStoreTimeoutError, withDeadline } from "@strata/core";

/**
 * What a store step needs from a connection: one query at a time.
 *
 * @example
 * const { rows } = await db.query<{ one: number }>("SELECT 1 AS one");
 */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * Runs `fn` on a pooled connection, the whole of it (waiting for `before`, the pool's
 * connect, every query) within one deadline.
 *
 * @example
 * const pin = await use("get", (db) => db.query(selectPin, [account]));
 */
export type UseConnection = <T>(operation: string, fn: (db: Queryable) => Promise<T>, before?: () => Promise<void>) => Promise<T>;

/**
 * pg's own timers (connect and per-query) are set this much later than the store's
 * deadline: the caller always sees the store's PinStoreTimeoutError, and pg's timers only
 * clean up what the deadline could not reach (a connect still pending in the pool).
 */
const PG_TIMER_SLACK_MS = 50;

/**
 * Bounds every use of `pool` by `timeoutMs`.
 *
 * Why a deadline of our own on top of pg's timeouts: a pool the app passes in may have none,
 * pg's `connectionTimeoutMillis` starts only when the pool opens a socket (not while a call
 * waits for a free one or for the schema), and a query already on the wire has no timeout
 * unless each query asks for one. When the deadline passes, the connection in use is
 * destroyed (`release(err)`): its query may still be in flight, so handing it back would
 * give the next caller a wedged connection. A connect that completes after the deadline is
 * healthy and goes back to the pool.
 *
 * @example
 * const use = boundedPool(pool, 1000, onError);
 * const rows = await use("usage", async (db) => (await db.query(sql)).rows);
 */
export function boundedPool(pool: pg.Pool, timeoutMs: number, onError: (error: unknown) => void): UseConnection {
  return async function use<T>(operation: string, fn: (db: Queryable) => Promise<T>, before?: () => Promise<void>): Promise<T> {
    const label = `postgresPins: ${operation}`;
    const started = Date.now();
    const left = (): number => timeoutMs - (Date.now() - started);
    let lease: Lease | undefined;
    let expired = false;

    const work = async (): Promise<T> => {
      await before?.();
      if (expired) throw new PinStoreTimeoutError(label, timeoutMs); // nobody waits: do not connect
      const client = await pool.connect();
      lease = new Lease(client, onError);
      if (expired || left() <= 0) {
        lease.end(); // connected too late for this call, but a good connection for the next one
        throw new PinStoreTimeoutError(label, timeoutMs);
      }
      const db: Queryable = {
        query: (text, values = []) => client.query({ text, values, query_timeout: Math.max(1, left()) + PG_TIMER_SLACK_MS } as pg.QueryConfig),
      };
      try {
        const result = await fn(db);
        lease.end();
        return result;
      } catch (error) {
        lease.end(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    };

    try {
      return await withDeadline(work(), timeoutMs, label);
    } catch (error) {
      // Only a deadline can leave `work` running: stop it from connecting, or cut off its query.
      expired = true;
      lease?.end(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  };
}

/** The pg timer settings for a pool or client the store creates itself. */
export function pgTimeouts(timeoutMs: number): Pick<pg.ClientConfig, "connectionTimeoutMillis" | "query_timeout"> {
  return { connectionTimeoutMillis: timeoutMs + PG_TIMER_SLACK_MS, query_timeout: timeoutMs + PG_TIMER_SLACK_MS };
}

/** One borrowed connection, given back exactly once (pg throws on a second release). */
class Lease {
  ended = false;
  // A connection killed between two queries emits "error" with no query to reject.
  private readonly swallow = (error: Error): void => this.onError(error);

  constructor(
    private readonly client: pg.PoolClient,
    private readonly onError: (error: unknown) => void,
  ) {
    client.on("error", this.swallow);
  }

  /** Returns the connection to the pool, or, given an error, destroys it. */
  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.client.off("error", this.swallow);
    this.client.release(error);
  }
}
