import type { Account, Db, License, Machine, Policy, Product, User, WebhookEndpoint, WebhookEvent } from "../db";
import { heartbeatOf } from "../licensing/heartbeat";
import { licenseStatus } from "../licensing/validate";

/**
 * Resources as 1.6 renders them: the only shape the handlers build. Every older shape is made
 * from these by the changes, for responses and webhook events alike, so this file is the one
 * place a resource's wire format is written.
 */

type Resource = { type: string; id: string; attributes: Record<string, unknown>; relationships?: Record<string, unknown>; links: { self: string } };

export const accountPath = (accountId: string): string => `/v1/accounts/${accountId}`;
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const toOne = (type: string, id: string | null, related?: string) => ({ data: id ? { type, id } : null, ...(related ? { links: { related } } : {}) });
const accountOf = (accountId: string) => toOne("accounts", accountId, accountPath(accountId));

export function account(a: Account): Resource {
  return {
    type: "accounts",
    id: a.id,
    attributes: { name: a.name, slug: a.slug, publicKey: a.publicKey, created: iso(a.createdAt), updated: iso(a.updatedAt) },
    links: { self: accountPath(a.id) },
  };
}

export function product(p: Product): Resource {
  const self = `${accountPath(p.accountId)}/products/${p.id}`;
  return {
    type: "products",
    id: p.id,
    attributes: { name: p.name, code: p.code, url: p.url, platforms: p.platforms, metadata: p.metadata, created: iso(p.createdAt), updated: iso(p.updatedAt) },
    relationships: { account: accountOf(p.accountId) },
    links: { self },
  };
}

export function policy(p: Policy): Resource {
  const base = accountPath(p.accountId);
  return {
    type: "policies",
    id: p.id,
    attributes: {
      name: p.name,
      duration: p.duration,
      strict: p.strict,
      floating: p.floating,
      maxMachines: p.maxMachines,
      overageStrategy: p.overageStrategy,
      machineUniquenessStrategy: p.machineUniquenessStrategy,
      machineMatchingStrategy: p.machineMatchingStrategy,
      requireHeartbeat: p.requireHeartbeat,
      heartbeatDuration: p.heartbeatDuration,
      metadata: p.metadata,
      created: iso(p.createdAt),
      updated: iso(p.updatedAt),
    },
    relationships: { account: accountOf(p.accountId), product: toOne("products", p.productId, `${base}/products/${p.productId}`) },
    links: { self: `${base}/policies/${p.id}` },
  };
}

export function user(u: User): Resource {
  return {
    type: "users",
    id: u.id,
    attributes: {
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      fullName: [u.firstName, u.lastName].filter(Boolean).join(" ") || null,
      metadata: u.metadata,
      created: iso(u.createdAt),
      updated: iso(u.updatedAt),
    },
    relationships: { account: accountOf(u.accountId) },
    links: { self: `${accountPath(u.accountId)}/users/${u.id}` },
  };
}

/** Renders licenses and machines, which show attributes of their policy (a lookup each). */
export class Presenter {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  policyOf(license: License): Policy {
    const found = this.db.policies.get(license.accountId, license.policyId);
    if (!found) throw new Error(`license ${license.id} has no policy ${license.policyId}`);
    return found;
  }

  license(l: License): Resource {
    const p = this.policyOf(l);
    const self = `${accountPath(l.accountId)}/licenses/${l.id}`;
    return {
      type: "licenses",
      id: l.id,
      attributes: {
        name: l.name,
        key: l.key,
        expiry: iso(l.expiry),
        status: licenseStatus(l, this.now()),
        suspended: l.suspended,
        floating: p.floating,
        strict: p.strict,
        maxMachines: p.maxMachines,
        requireHeartbeat: p.requireHeartbeat,
        lastValidated: iso(l.lastValidatedAt),
        metadata: l.metadata,
        created: iso(l.createdAt),
        updated: iso(l.updatedAt),
      },
      relationships: {
        account: accountOf(l.accountId),
        product: toOne("products", p.productId, `${accountPath(l.accountId)}/products/${p.productId}`),
        policy: toOne("policies", p.id, `${accountPath(l.accountId)}/policies/${p.id}`),
        owner: toOne("users", l.ownerId, `${self}/owner`),
        users: { links: { related: `${self}/users` } },
        machines: { links: { related: `${accountPath(l.accountId)}/machines?license=${l.id}` }, meta: { count: this.db.licenses.machineCount(l.id) } },
      },
      links: { self },
    };
  }

  machine(m: Machine): Resource {
    const license = this.db.licenses.get(m.accountId, m.licenseId);
    if (!license) throw new Error(`machine ${m.id} has no license ${m.licenseId}`);
    const p = this.policyOf(license);
    const base = accountPath(m.accountId);
    const heartbeat = heartbeatOf(m, p, this.now());
    return {
      type: "machines",
      id: m.id,
      attributes: {
        fingerprint: m.fingerprint,
        name: m.name,
        platform: m.platform,
        hostname: m.hostname,
        cores: m.cores,
        requireHeartbeat: p.requireHeartbeat,
        heartbeatStatus: heartbeat.status,
        heartbeatDuration: p.heartbeatDuration,
        lastHeartbeat: iso(m.lastHeartbeatAt),
        nextHeartbeat: iso(heartbeat.next),
        metadata: m.metadata,
        created: iso(m.createdAt),
        updated: iso(m.updatedAt),
      },
      relationships: {
        account: accountOf(m.accountId),
        product: toOne("products", p.productId, `${base}/products/${p.productId}`),
        license: toOne("licenses", m.licenseId, `${base}/licenses/${m.licenseId}`),
        owner: toOne("users", m.ownerId, m.ownerId ? `${base}/users/${m.ownerId}` : undefined),
      },
      links: { self: `${base}/machines/${m.id}` },
    };
  }
}

export function webhookEndpoint(e: WebhookEndpoint): Resource {
  return {
    type: "webhook-endpoints",
    id: e.id,
    attributes: {
      url: e.url,
      subscriptions: e.subscriptions,
      signatureAlgorithm: e.signatureAlgorithm,
      apiVersion: e.apiVersion,
      created: iso(e.createdAt),
      updated: iso(e.updatedAt),
    },
    relationships: { account: accountOf(e.accountId) },
    links: { self: `${accountPath(e.accountId)}/webhook-endpoints/${e.id}` },
  };
}

/**
 * A webhook event, Keygen's way: `payload` is the resource document *as a string*, already at
 * the endpoint's version. Kept a string, the chain never migrates it a second time when the
 * event itself is read at another version.
 */
export function webhookEvent(e: WebhookEvent): Resource {
  return {
    type: "webhook-events",
    id: e.id,
    attributes: {
      endpoint: e.endpointUrl,
      event: e.event,
      apiVersion: e.apiVersion,
      payload: e.payload,
      status: e.status,
      attempts: e.attempts,
      lastResponseCode: e.lastResponseCode,
      lastResponseBody: e.lastResponseBody,
      lastError: e.lastError,
      nextAttemptAt: iso(e.nextAttemptAt),
      deliveredAt: iso(e.deliveredAt),
      created: iso(e.createdAt),
      updated: iso(e.updatedAt),
    },
    relationships: {
      account: accountOf(e.accountId),
      endpoint: toOne("webhook-endpoints", e.endpointId, e.endpointId ? `${accountPath(e.accountId)}/webhook-endpoints/${e.endpointId}` : undefined),
    },
    links: { self: `${accountPath(e.accountId)}/webhook-events/${e.id}` },
  };
}
