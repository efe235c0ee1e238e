import type pg from "pg";

/**
 * What the notifier needs from its store.
 *
 * @example
 * const options: NotifierOptions = { makeClient, channel: "strata_pins_changed", historyTable: '"strata".pin_history', onAccount, onError };
 */
export interface NotifierOptions {
  /** A new, unconnected client with the store's connection settings. */
  makeClient: () => pg.Client;
  channel: string;
  /** Quoted, qualified history table: the change log replayed after a reconnect. */
  historyTable: string;
  onAccount: (account: string) => void;
  onError: (error: unknown) => void;
  /** How often the LISTEN connection proves it is alive and records how far it has heard. */
  heartbeatMs?: number;
  /** First reconnect delay; doubles up to `maxReconnectDelayMs`. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

const noop = (): void => undefined;

/**
 * One dedicated connection that LISTENs for pin changes and keeps listening across
 * connection loss.
 *
 * NOTIFY is fire-and-forget: whatever is sent while the connection is down is lost. So the
 * notifier remembers how far the history table had got (its id, refreshed by a heartbeat
 * that also detects half-open connections), and after reconnecting it re-announces every
 * account whose history grew since. Listeners may hear an account twice; never zero times
 * for a change committed after the last heartbeat.
 *
 * @example
 * const notifier = new PgNotifier({ makeClient: () => new pg.Client(config), channel, historyTable, onAccount, onError });
 * await notifier.start();
 * // ... later
 * await notifier.stop();
 */
export class PgNotifier {
  private client: pg.Client | undefined;
  private watermark: string | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private stopped = false;
  private readonly heartbeatMs: number;
  private readonly reconnectDelayMs: number;
  private readonly maxReconnectDelayMs: number;

  constructor(private readonly opts: NotifierOptions) {
    this.heartbeatMs = opts.heartbeatMs ?? 15_000;
    this.reconnectDelayMs = opts.reconnectDelayMs ?? 100;
    this.maxReconnectDelayMs = opts.maxReconnectDelayMs ?? 5_000;
  }

  /** Connects and LISTENs; rejects (and leaves nothing open) if the first attempt fails. */
  async start(): Promise<void> {
    await this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(noop);
  }

  private async open(): Promise<void> {
    const client = this.opts.makeClient();
    let live = false;
    client.on("error", (error) => (live ? this.lost(client, error) : undefined));
    client.on("end", () => (live ? this.lost(client) : undefined));
    client.on("notification", (message) => {
      if (!this.stopped && message.channel === this.opts.channel && message.payload !== undefined) {
        this.opts.onAccount(message.payload);
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.opts.channel}"`);
      // Anything committed from here on is either notified or caught by the replay below.
      if (this.watermark === undefined) this.watermark = await this.maxId(client);
      else await this.replay(client);
    } catch (error) {
      await client.end().catch(noop);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(noop);
      return;
    }
    live = true;
    this.client = client;
    this.attempts = 0;
    this.heartbeat = setInterval(() => void this.beat(client), this.heartbeatMs);
    this.heartbeat.unref();
  }

  private async maxId(client: pg.Client): Promise<string> {
    const { rows } = await client.query<{ id: string }>(`SELECT COALESCE(MAX(id), 0)::text AS id FROM ${this.opts.historyTable}`);
    return rows[0]!.id;
  }

  private async replay(client: pg.Client): Promise<void> {
    for (;;) {
      const { rows } = await client.query<{ id: string; account: string }>(
        `SELECT id::text AS id, account FROM ${this.opts.historyTable} WHERE id > $1::bigint ORDER BY id LIMIT 1000`,
        [this.watermark],
      );
      if (rows.length === 0) return;
      this.watermark = rows[rows.length - 1]!.id;
      for (const account of new Set(rows.map((row) => row.account))) {
        if (!this.stopped) this.opts.onAccount(account);
      }
    }
  }

  private async beat(client: pg.Client): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timeout = setTimeout(() => reject(new Error("postgresPins: LISTEN connection heartbeat timed out")), 10_000);
      });
      const id = await Promise.race([this.maxId(client), timedOut]);
      if (client === this.client) this.watermark = id;
    } catch (error) {
      this.lost(client, error);
    } finally {
      clearTimeout(timeout);
    }
  }

  private lost(client: pg.Client, error?: unknown): void {
    if (client !== this.client || this.stopped) return;
    this.client = undefined;
    clearInterval(this.heartbeat);
    client.removeAllListeners("notification");
    client.end().catch(noop);
    this.opts.onError(error ?? new Error("postgresPins: LISTEN connection ended"));
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = Math.min(this.reconnectDelayMs * 2 ** this.attempts, this.maxReconnectDelayMs);
    this.attempts += 1;
    this.reconnectTimer = setTimeout(() => {
      if (this.stopped) return;
      this.open().catch((error: unknown) => {
        this.opts.onError(error);
        if (!this.stopped) this.scheduleReconnect();
      });
    }, delay);
    // A process that is otherwise done should not stay alive just to reconnect a listener.
    this.reconnectTimer.unref();
  }
}
