import { randomBytes } from "node:crypto";
import type { VersionSet } from "@strata/core";
import { newId, type Db, type WebhookEvent } from "../db";
import { Deliverer, type DeliveryOptions } from "./deliver";

export type { DeliveryOptions } from "./deliver";
export { verifyDelivery, parseSignatureHeader, SIGNATURE_HEADER } from "./signature";

/** The events this API sends; an endpoint subscribes to some of them, or to `*`. */
export const EVENTS = [
  "license.created",
  "license.updated",
  "license.deleted",
  "license.suspended",
  "license.reinstated",
  "license.validated",
  "license.owner.updated",
  "license.users.attached",
  "machine.created",
  "machine.deleted",
  "machine.heartbeat.ping",
  "policy.created",
  "policy.updated",
  "product.created",
  "user.created",
] as const;

/**
 * Webhook events, rendered per endpoint with the chain that serves responses. A handler
 * publishes the document it answers with, built at 1.6; each subscribed endpoint gets it
 * migrated to *its own* `apiVersion` (`versions.migratePayload`), so an endpoint created at
 * 1.0 receives 1.0 shapes for as long as it stays at 1.0, whatever the account's pin becomes.
 * The rendered payload is logged with the event, then delivered.
 */
export class Webhooks {
  private readonly deliverer: Deliverer;

  constructor(
    private readonly db: Db,
    private readonly versions: VersionSet,
    options: DeliveryOptions = {},
    private readonly now: () => Date = () => new Date(),
    private readonly onError: (err: unknown) => void = (err) => console.error("webhooks:", err),
  ) {
    this.deliverer = new Deliverer(db, options, now, onError);
  }

  /** Log and deliver `event` to every endpoint of the account that subscribes to it. Never throws into the request. */
  publish(accountId: string, event: string, document: object): WebhookEvent[] {
    const endpoints = this.db.webhookEndpoints.list(accountId, {}, 1000).filter((e) => e.subscriptions.includes("*") || e.subscriptions.includes(event));
    const logged: WebhookEvent[] = [];
    for (const endpoint of endpoints) {
      // An endpoint pinned to a version this release no longer serves gets the nearest shape, as a pinned account does.
      const version = this.versions.nearest(endpoint.apiVersion);
      const at = this.now();
      let payload: string;
      let failure: string | null = null;
      try {
        payload = JSON.stringify(this.versions.migratePayload(document, { to: version }));
      } catch (err) {
        // The change's failure is a bug to fix, not a reason to lose the event: it is logged as FAILED.
        this.onError(err);
        payload = "null";
        failure = `could not render the event at ${version.id}`;
      }
      const row = this.db.webhookEvents.insert({
        id: newId(),
        accountId,
        endpointId: endpoint.id,
        endpointUrl: endpoint.url,
        event,
        apiVersion: version.id,
        payload,
        idempotencyToken: randomBytes(16).toString("hex"),
        status: failure ? "FAILED" : "DELIVERING",
        attempts: 0,
        lastResponseCode: null,
        lastResponseBody: null,
        lastError: failure,
        nextAttemptAt: failure ? null : at,
        deliveredAt: null,
        createdAt: at,
        updatedAt: at,
      });
      if (!failure) this.deliverer.schedule(row.id, at);
      logged.push(row);
    }
    return logged;
  }

  /** Pick up deliveries a previous process left pending. */
  start(): void {
    this.deliverer.resume();
  }

  /** Resolves when every event so far is DELIVERED or FAILED (tests, graceful shutdown). */
  settled(): Promise<void> {
    return this.deliverer.settled();
  }

  close(): Promise<void> {
    return this.deliverer.close();
  }
}
