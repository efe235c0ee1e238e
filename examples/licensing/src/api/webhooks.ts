import { randomBytes } from "node:crypto";
import { Router, type Request } from "express";
import { newId, SIGNATURE_ALGORITHMS, type WebhookEndpoint } from "../db";
import { EVENTS } from "../webhooks";
import { accountOf, send } from "./auth";
import type { ApiContext } from "./context";
import { notFound, unprocessable } from "./errors";
import type { Attributes } from "./input";
import { resourceInput } from "./input";
import { webhookEndpoint, webhookEvent } from "./present";

/** Webhook endpoints (each with its own API version) and the delivery log. */
export function webhookRoutes({ db, versions, pins, now }: ApiContext): Router {
  const router = Router({ mergeParams: true });

  const url = (a: Attributes, required: boolean): string | undefined => {
    const value = required ? a.string("url", { required: true, max: 2048 }) : (a.string("url", { max: 2048 }) ?? undefined);
    if (value === undefined) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      parsed = undefined;
    }
    // Keygen requires https; the example also takes http, for receivers on your own machine.
    if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:"))
      throw unprocessable("/data/attributes/url", "must be an http(s) URL", "URL_INVALID");
    return value;
  };
  const subscriptions = (a: Attributes): string[] | undefined => {
    const list = a.stringList("subscriptions");
    const unknown = list?.find((s) => s !== "*" && !(EVENTS as readonly string[]).includes(s));
    if (unknown !== undefined)
      throw unprocessable(
        "/data/attributes/subscriptions",
        `unsupported webhook event type "${unknown.slice(0, 60)}"; events: ${EVENTS.join(", ")}`,
        "SUBSCRIPTIONS_INVALID",
      );
    if (list?.length === 0) throw unprocessable("/data/attributes/subscriptions", "must have at least 1 webhook event subscription", "SUBSCRIPTIONS_INVALID");
    return list;
  };
  /** A supported version, written as Keygen writes them: `1.4`, never `v1.4`. */
  const apiVersion = (a: Attributes): string | undefined => {
    const value = a.string("apiVersion", { max: 20 });
    if (value === undefined || value === null) return undefined;
    const version = versions.get(value);
    if (!version) {
      const hint = /^v\d/i.test(value) ? `; drop the "v": "${value.slice(1)}"` : "";
      throw unprocessable("/data/attributes/apiVersion", `unsupported version${hint}. Versions: ${versions.supported.join(", ")}`, "API_VERSION_INVALID");
    }
    return version.id;
  };
  const find = (req: Request): WebhookEndpoint => {
    const found = db.webhookEndpoints.get(accountOf(req).id, String(req.params.id));
    if (!found) throw notFound("webhook endpoint", String(req.params.id));
    return found;
  };

  router.get("/webhook-endpoints", (req, res) => send(res, 200, { data: db.webhookEndpoints.list(accountOf(req).id).map(webhookEndpoint) }));
  router.get("/webhook-endpoints/:id", (req, res) => send(res, 200, { data: webhookEndpoint(find(req)) }));

  router.post("/webhook-endpoints", async (req, res) => {
    const accountId = accountOf(req).id;
    const { attributes, relationships } = resourceInput(req.body, "webhook-endpoints");
    const target = url(attributes, true)!;
    const events = subscriptions(attributes) ?? ["*"];
    const algorithm = attributes.oneOf("signatureAlgorithm", SIGNATURE_ALGORITHMS) ?? "ed25519";
    const asked = apiVersion(attributes);
    attributes.done();
    relationships.done([]);
    // Keygen's rule: an endpoint starts at the account's pinned version. The request's own
    // version stands in only if no pin could be read (the first request pins the account).
    const pin = asked === undefined ? await pins.get(accountId) : undefined;
    const at = now();
    const row: WebhookEndpoint = {
      id: newId(),
      accountId,
      url: target,
      apiVersion: asked ?? (pin ? versions.nearest(pin.version).id : req.apiVersion.id),
      signatureAlgorithm: algorithm,
      signingSecret: algorithm === "hmac-sha256" ? `whsec_${randomBytes(24).toString("base64url")}` : null,
      subscriptions: events,
      createdAt: at,
      updatedAt: at,
    };
    db.webhookEndpoints.insert(row);
    // An HMAC secret is shown once, here; Ed25519 deliveries verify with the account's public key.
    send(res, 201, { data: webhookEndpoint(row), ...(row.signingSecret ? { meta: { signingSecret: row.signingSecret } } : {}) });
  });

  router.patch("/webhook-endpoints/:id", (req, res) => {
    const current = find(req);
    const { attributes, relationships } = resourceInput(req.body, "webhook-endpoints", { id: current.id });
    const patch: Partial<WebhookEndpoint> = {};
    const target = url(attributes, false);
    if (target !== undefined) patch.url = target;
    const events = subscriptions(attributes);
    if (events !== undefined) patch.subscriptions = events;
    const version = apiVersion(attributes);
    if (version !== undefined) patch.apiVersion = version;
    // The algorithm (and so the key receivers verify with) is fixed: make a new endpoint to change it.
    attributes.done();
    relationships.done([]);
    send(res, 200, { data: webhookEndpoint(db.webhookEndpoints.update(current, patch, now())) });
  });

  router.delete("/webhook-endpoints/:id", (req, res) => {
    const current = find(req);
    db.webhookEndpoints.delete(current.accountId, current.id);
    res.status(204).end();
  });

  router.get("/webhook-events", (req, res) => {
    const event = typeof req.query.event === "string" ? req.query.event : undefined;
    send(res, 200, { data: db.webhookEvents.recent(accountOf(req).id, event).map(webhookEvent) });
  });
  router.get("/webhook-events/:id", (req, res) => {
    const found = db.webhookEvents.get(accountOf(req).id, String(req.params.id));
    if (!found) throw notFound("webhook event", String(req.params.id));
    const attempts = db.webhookEvents.attemptsOf(found.id).map((a) => ({ ...a, at: a.at.toISOString() }));
    send(res, 200, { data: webhookEvent(found), meta: { idempotencyToken: found.idempotencyToken, attempts } });
  });

  return router;
}
