import { createHash, randomBytes } from "node:crypto";

/** In-memory Customer API data. Each createApp() gets its own, so tests never share state. */

export interface Customer {
  id: string;
  object: "customer";
  email: string;
  name: string;
  company: string | null;
  wallet_address: string | null;
  /** Account balance in cents. */
  balance: number;
  currency: string;
}

export interface License {
  id: string;
  object: "license";
  customer: string;
  product: string;
  plan: string;
  status: "active" | "suspended";
  key: string;
  location: string;
  activations: number;
  max_ips: number;
  created_at: string;
  expires_at: string | null;
}

export interface LicenseIp {
  object: "license_ip";
  ip: string;
  added_at: string;
}

export interface Invoice {
  id: string;
  object: "invoice";
  customer: string;
  number: string;
  amount_due: number;
  currency: string;
  status: "open" | "paid";
  created_at: string;
  paid_at: string | null;
}

export interface CustomerKey {
  id: string;
  object: "api_key";
  customer: string;
  name: string;
  /** The first characters, so a customer can tell keys apart without the secret. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

export const LOCATIONS = Object.freeze([
  { object: "location", code: "fra1", city: "Frankfurt", country: "DE" },
  { object: "location", code: "nyc1", city: "New York", country: "US" },
  { object: "location", code: "sgp1", city: "Singapore", country: "SG" },
]);

/** The demo customer's X-ORBIT-KEY, printed by main.ts and used in the README. */
export const DEMO_ORBIT_KEY = "orbit_demo_key_0001";
export const OTHER_ORBIT_KEY = "orbit_other_key_0002";

export const newId = (prefix: string): string => `${prefix}_${randomBytes(6).toString("hex")}`;
/** Secrets are kept only as hashes: a leaked store does not leak working keys. */
export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");
const licenseKey = (): string => `ORB-${randomBytes(8).toString("hex").toUpperCase().match(/.{4}/g)!.join("-")}`;

export class CustomerStore {
  readonly customers = new Map<string, Customer>();
  readonly licenses = new Map<string, License>();
  readonly ips = new Map<string, LicenseIp[]>();
  readonly invoices = new Map<string, Invoice>();
  readonly keys = new Map<string, CustomerKey>();
  private readonly keyByHash = new Map<string, string>();
  /** Bearer tokens from the device and wallet flows: token hash -> customer id. */
  readonly tokens = new Map<string, { customer: string; expiresAt: number }>();

  constructor() {
    const created = "2025-03-01T09:00:00.000Z";
    this.addCustomer({ id: "cus_demo", email: "ada@example.com", name: "Ada Lovelace", company: "Analytical Engines", balance: 5000 }, DEMO_ORBIT_KEY);
    this.addCustomer({ id: "cus_other", email: "grace@example.com", name: "Grace Hopper", company: null, balance: 0 }, OTHER_ORBIT_KEY);
    this.addLicense({
      id: "lic_pro",
      customer: "cus_demo",
      product: "Orbit Server",
      plan: "pro",
      key: "ORB-7F3A-19C2-88D0-4E51",
      location: "fra1",
      max_ips: 3,
      created_at: created,
    });
    this.addLicense({
      id: "lic_team",
      customer: "cus_demo",
      product: "Orbit Desktop",
      plan: "team",
      key: "ORB-2B6E-D047-93AF-1C08",
      location: "nyc1",
      max_ips: 1,
      created_at: created,
    });
    this.addLicense({
      id: "lic_other",
      customer: "cus_other",
      product: "Orbit Server",
      plan: "starter",
      key: "ORB-C8D1-5E72-0A3B-F694",
      location: "sgp1",
      max_ips: 1,
      created_at: created,
    });
    this.ips.set("lic_pro", [{ object: "license_ip", ip: "203.0.113.10", added_at: created }]);
    this.addInvoice({ id: "inv_open", customer: "cus_demo", number: "ORB-0001", amount_due: 1200, created_at: created });
    this.addInvoice({ id: "inv_large", customer: "cus_demo", number: "ORB-0002", amount_due: 9900, created_at: created });
    this.addInvoice({ id: "inv_paid", customer: "cus_demo", number: "ORB-0000", amount_due: 900, created_at: created, paid: true });
  }

  customerForKey(secret: string): Customer | undefined {
    const id = this.keyByHash.get(hashSecret(secret));
    const key = id === undefined ? undefined : this.keys.get(id);
    if (!key) return undefined;
    key.last_used_at = new Date().toISOString();
    return this.customers.get(key.customer);
  }

  customerForToken(token: string): Customer | undefined {
    const entry = this.tokens.get(hashSecret(token));
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    return this.customers.get(entry.customer);
  }

  issueToken(customer: string, ttlSeconds: number): string {
    const token = `orbit_at_${randomBytes(24).toString("base64url")}`;
    this.tokens.set(hashSecret(token), { customer, expiresAt: Date.now() + ttlSeconds * 1000 });
    return token;
  }

  /** Returns the record and the secret; the secret is never stored or shown again. */
  createKey(customer: string, name: string, secret = `orbit_${randomBytes(18).toString("base64url")}`): { key: CustomerKey; secret: string } {
    const key: CustomerKey = {
      id: newId("ck"),
      object: "api_key",
      customer,
      name,
      prefix: secret.slice(0, 10),
      created_at: new Date().toISOString(),
      last_used_at: null,
    };
    this.keys.set(key.id, key);
    this.keyByHash.set(hashSecret(secret), key.id);
    return { key, secret };
  }

  deleteKey(id: string): void {
    this.keys.delete(id);
    for (const [hash, keyId] of this.keyByHash) if (keyId === id) this.keyByHash.delete(hash);
  }

  newLicenseKey(): string {
    return licenseKey();
  }

  private addCustomer(c: Omit<Customer, "object" | "currency" | "wallet_address">, secret: string): void {
    this.customers.set(c.id, { ...c, object: "customer", currency: "usd", wallet_address: null });
    this.createKey(c.id, "Default key", secret);
  }

  private addLicense(l: Pick<License, "id" | "customer" | "product" | "plan" | "key" | "location" | "max_ips" | "created_at">): void {
    this.licenses.set(l.id, { object: "license", status: "active", activations: 1, expires_at: null, ...l });
  }

  private addInvoice(i: Pick<Invoice, "id" | "customer" | "number" | "amount_due" | "created_at"> & { paid?: boolean }): void {
    const { paid, ...rest } = i;
    this.invoices.set(i.id, { object: "invoice", currency: "usd", status: paid ? "paid" : "open", paid_at: paid ? i.created_at : null, ...rest });
  }
}
