import type { Db, DeliveryStatus, WebhookEvent } from "../db";
import { webhookEvent } from "../api/present";
import { signatureHeader } from "./signature";

/** How deliveries are retried. Every option has a production default; tests use milliseconds. */
export interface DeliveryOptions {
  /** Attempts per event, the first included, before it is FAILED. Default 8. */
  maxAttempts?: number;
  /** Wait before the first retry; each later retry waits twice as long. Default 1,000 ms. */
  baseDelayMs?: number;
  /** The longest wait between two attempts. Default one hour. */
  maxDelayMs?: number;
  /** Spread of each wait, 0 to 1 (default 0.2), so retries of many events do not arrive together. */
  jitter?: number;
  /** An attempt that has no answer (headers and body) after this long failed. Default 10,000 ms. */
  timeoutMs?: number;
  /** Deliveries in flight at once, over all endpoints. Default 8. */
  concurrency?: number;
}

const DEFAULTS: Required<DeliveryOptions> = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 3_600_000, jitter: 0.2, timeoutMs: 10_000, concurrency: 8 };

/** Keygen keeps this much of a receiver's answer in the log. */
const MAX_RESPONSE_BODY = 2048;

/**
 * Delivers logged webhook events over HTTP, with exponential backoff. The database is the queue:
 * each event row says when its next attempt is due, so `resume()` after a restart picks up
 * exactly what was pending. Timers are unref'd: a pending retry never keeps a process alive.
 */
export class Deliverer {
  private readonly o: Required<DeliveryOptions>;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly queue: string[] = [];
  private inflight = 0;
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly db: Db,
    options: DeliveryOptions,
    private readonly now: () => Date,
    private readonly onError: (err: unknown) => void,
  ) {
    this.o = { ...DEFAULTS, ...options };
    for (const [name, value] of Object.entries(this.o)) {
      const ok = name === "jitter" ? value >= 0 && value <= 1 : Number.isFinite(value) && value >= (name === "maxAttempts" || name === "concurrency" ? 1 : 0);
      if (!ok) throw new RangeError(`webhooks: \`${name}\` must be ${name === "jitter" ? "between 0 and 1" : "a non-negative number"}, got ${value}`);
    }
  }

  /** Schedule every event still to deliver, at its due time (now, if it is past). */
  resume(): void {
    for (const event of this.db.webhookEvents.pending()) this.schedule(event.id, event.nextAttemptAt);
  }

  schedule(eventId: string, at: Date | null): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(eventId));
    const timer = setTimeout(
      () => {
        this.timers.delete(eventId);
        this.queue.push(eventId);
        this.pump();
      },
      Math.max(0, (at?.getTime() ?? 0) - this.now().getTime()),
    );
    timer.unref();
    this.timers.set(eventId, timer);
  }

  /** Resolves once nothing is in flight, queued or scheduled (every event DELIVERED or FAILED). */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.checkIdle();
    });
  }

  /** Stop scheduling, drop the timers (the log keeps what is pending) and wait for attempts in flight. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
    await this.settled();
  }

  /** The wait before attempt `n + 1`, after `n` attempts failed. */
  delayAfter(n: number): number {
    const exact = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (n - 1));
    return Math.round(exact * (1 - this.o.jitter * Math.random()));
  }

  private pump(): void {
    while (!this.closed && this.inflight < this.o.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      this.inflight++;
      this.attempt(id)
        .catch(this.onError)
        .finally(() => {
          this.inflight--;
          this.pump();
        });
    }
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.timers.size === 0 && this.queue.length === 0 && this.inflight === 0) for (const resolve of this.waiters.splice(0)) resolve();
  }

  private async attempt(eventId: string): Promise<void> {
    const event = this.db.webhookEvents.byId(eventId);
    if (!event || event.status === "DELIVERED" || event.status === "FAILED") return;
    const account = this.db.accounts.find(event.accountId);
    const endpoint = event.endpointId ? this.db.webhookEndpoints.get(event.accountId, event.endpointId) : undefined;
    if (!account || !endpoint) {
      this.db.webhookEvents.update(event, { status: "FAILED", lastError: "the webhook endpoint was deleted", nextAttemptAt: null }, this.now());
      return;
    }
    const body = deliveryBody(event);
    const at = this.now();
    const secret = endpoint.signatureAlgorithm === "ed25519" ? account.privateKey : (endpoint.signingSecret ?? "");
    const headers = {
      "content-type": "application/vnd.api+json",
      "user-agent": `Keygen/${event.apiVersion} (strata licensing example)`,
      "keygen-version": event.apiVersion,
      "keygen-date": at.toUTCString(),
      "keygen-signature": signatureHeader({ keyId: account.id, algorithm: endpoint.signatureAlgorithm, secret }, body, Math.floor(at.getTime() / 1000)),
    };
    let responseCode: number | null = null;
    let responseBody: string | null = null;
    let error: string | null = null;
    try {
      // The timeout covers the answer's body too: a receiver that stalls mid-body cannot hold the slot.
      const res = await fetch(event.endpointUrl, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(this.o.timeoutMs) });
      responseCode = res.status;
      responseBody = await readCapped(res, MAX_RESPONSE_BODY);
      if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
    } catch (err) {
      error = describe(err, this.o.timeoutMs);
    }
    const attempt = event.attempts + 1;
    const status: DeliveryStatus = error === null ? "DELIVERED" : responseCode === 410 || attempt >= this.o.maxAttempts ? "FAILED" : "FAILING";
    const next = status === "FAILING" ? new Date(this.now().getTime() + this.delayAfter(attempt)) : null;
    this.db.webhookEvents.recordAttempt(event, {
      attempt,
      at,
      responseCode,
      error,
      durationMs: this.now().getTime() - at.getTime(),
      status,
      responseBody,
      nextAttemptAt: next,
    });
    if (next) this.schedule(event.id, next);
  }
}

/**
 * The delivered document: the event as it was created, so every attempt sends the same bytes
 * (only the signature's timestamp differs) and receivers can deduplicate by id.
 */
export function deliveryBody(event: WebhookEvent): string {
  const asCreated: WebhookEvent = {
    ...event,
    status: "DELIVERING",
    attempts: 0,
    lastResponseCode: null,
    lastResponseBody: null,
    lastError: null,
    nextAttemptAt: null,
    deliveredAt: null,
    updatedAt: event.createdAt,
  };
  return JSON.stringify({ data: webhookEvent(asCreated), meta: { idempotencyToken: event.idempotencyToken } });
}

/** Read at most `cap` bytes of an answer, then let the rest go: a huge answer cannot stall a delivery. */
async function readCapped(res: Response, cap: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < cap) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString("utf8").slice(0, cap);
}

/** A failed attempt, in a line the log can show: "connection refused", "timed out after 10000 ms". */
function describe(err: unknown, timeoutMs: number): string {
  const name = (err as { name?: string } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") return `timed out after ${timeoutMs} ms`;
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code === "ECONNREFUSED") return "connection refused";
  if (cause?.code === "ECONNRESET") return "connection reset";
  if (cause?.code === "ENOTFOUND") return "host not found";
  return String(cause?.message ?? (err as Error)?.message ?? err).slice(0, 200);
}
