import type Database from "better-sqlite3";
import { Table } from "./table";
import type { DeliveryAttempt, DeliveryStatus, WebhookEvent } from "./types";

/**
 * The delivery log: one webhook event per endpoint and occurrence, with its status, attempts
 * and last error, and one row per attempt. It lives in the database, not in memory, so a
 * delivery waiting for its next retry survives a restart and is picked up again.
 */
export class WebhookLog extends Table<WebhookEvent> {
  constructor(sql: Database.Database) {
    super(sql, "webhook_events", {
      id: ["id", "text"],
      accountId: ["account_id", "text"],
      endpointId: ["endpoint_id", "text"],
      endpointUrl: ["endpoint_url", "text"],
      event: ["event", "text"],
      apiVersion: ["api_version", "text"],
      payload: ["payload", "text"],
      idempotencyToken: ["idempotency_token", "text"],
      status: ["status", "text"],
      attempts: ["attempts", "int"],
      lastResponseCode: ["last_response_code", "int"],
      lastResponseBody: ["last_response_body", "text"],
      lastError: ["last_error", "text"],
      nextAttemptAt: ["next_attempt_at", "date"],
      deliveredAt: ["delivered_at", "date"],
      createdAt: ["created_at", "date"],
      updatedAt: ["updated_at", "date"],
    });
  }

  /** Any account's event, for the deliverer (which works for every account). */
  byId(id: string): WebhookEvent | undefined {
    const row = this.sql.prepare("SELECT * FROM webhook_events WHERE id = ?").get(id) as Record<string, unknown> | undefined;
    return row && this.fromRow(row);
  }

  /** An account's events, newest first (optionally of one event name): the log as the API lists it. */
  recent(accountId: string, event: string | undefined, limit = 100): WebhookEvent[] {
    const rows = this.sql
      .prepare(`SELECT * FROM webhook_events WHERE account_id = ?${event === undefined ? "" : " AND event = ?"} ORDER BY created_at DESC, id LIMIT ?`)
      .all(...(event === undefined ? [accountId, limit] : [accountId, event, limit])) as Record<string, unknown>[];
    return rows.map((r) => this.fromRow(r));
  }

  /** Events still to deliver, soonest first: what a (re)started process resumes. */
  pending(): WebhookEvent[] {
    const rows = this.sql
      .prepare("SELECT * FROM webhook_events WHERE status IN ('DELIVERING', 'FAILING') ORDER BY next_attempt_at, created_at")
      .all() as Record<string, unknown>[];
    return rows.map((r) => this.fromRow(r));
  }

  /** Record one attempt and the event's new state, together. */
  recordAttempt(
    event: WebhookEvent,
    attempt: DeliveryAttempt & { status: DeliveryStatus; responseBody: string | null; nextAttemptAt: Date | null },
  ): WebhookEvent {
    return this.sql.transaction(() => {
      this.sql
        .prepare("INSERT INTO webhook_attempts (event_id, attempt, at, response_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)")
        .run(event.id, attempt.attempt, attempt.at.getTime(), attempt.responseCode, attempt.error, attempt.durationMs);
      return this.update(
        event,
        {
          status: attempt.status,
          attempts: attempt.attempt,
          lastResponseCode: attempt.responseCode,
          lastResponseBody: attempt.responseBody,
          // A success keeps the error of the attempt before it: the log says what was retried.
          lastError: attempt.error ?? event.lastError,
          nextAttemptAt: attempt.nextAttemptAt,
          deliveredAt: attempt.status === "DELIVERED" ? attempt.at : event.deliveredAt,
        },
        attempt.at,
      );
    })();
  }

  attemptsOf(eventId: string): DeliveryAttempt[] {
    const rows = this.sql
      .prepare("SELECT attempt, at, response_code, error, duration_ms FROM webhook_attempts WHERE event_id = ? ORDER BY attempt")
      .all(eventId) as { attempt: number; at: number; response_code: number | null; error: string | null; duration_ms: number }[];
    return rows.map((r) => ({ attempt: r.attempt, at: new Date(r.at), responseCode: r.response_code, error: r.error, durationMs: r.duration_ms }));
  }
}
