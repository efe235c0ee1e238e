import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { createSchema } from "./schema";
import { Table, newId } from "./table";
import type { Account, License, Machine, Policy, Product, User, WebhookEndpoint } from "./types";
import { WebhookLog } from "./webhook-log";

export * from "./types";
export { newId } from "./table";

/** Tokens are kept as digests: a copied database file holds no working token. */
export const digestOf = (token: string): string => createHash("sha256").update(token).digest("hex");

/**
 * The example's storage: one SQLite file (or `:memory:`), the schema created when it opens.
 * better-sqlite3 is synchronous, which is what lets a compatibility layer look something up
 * (a license's owner) in the middle of a response transform.
 */
export interface Db {
  readonly sql: Database.Database;
  readonly accounts: Accounts;
  readonly products: Table<Product>;
  readonly policies: Table<Policy>;
  readonly users: Table<User>;
  readonly licenses: Licenses;
  readonly machines: Table<Machine>;
  readonly webhookEndpoints: Table<WebhookEndpoint>;
  readonly webhookEvents: WebhookLog;
  /** Run `fn` in one transaction: a request's writes land together or not at all. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export function openDb(file = ":memory:"): Db {
  const sql = new Database(file);
  if (file !== ":memory:") sql.pragma("journal_mode = WAL");
  createSchema(sql);
  const created = ["created_at", "date"] as const;
  const updated = ["updated_at", "date"] as const;
  const meta = ["metadata", "json"] as const;
  return {
    sql,
    accounts: new Accounts(sql),
    products: new Table<Product>(sql, "products", {
      id: ["id", "text"],
      accountId: ["account_id", "text"],
      name: ["name", "text"],
      code: ["code", "text"],
      url: ["url", "text"],
      platforms: ["platforms", "json"],
      metadata: meta,
      createdAt: created,
      updatedAt: updated,
    }),
    policies: new Table<Policy>(sql, "policies", {
      id: ["id", "text"],
      accountId: ["account_id", "text"],
      productId: ["product_id", "text"],
      name: ["name", "text"],
      duration: ["duration", "int"],
      strict: ["strict", "bool"],
      floating: ["floating", "bool"],
      maxMachines: ["max_machines", "int"],
      overageStrategy: ["overage_strategy", "text"],
      machineUniquenessStrategy: ["machine_uniqueness_strategy", "text"],
      machineMatchingStrategy: ["machine_matching_strategy", "text"],
      requireHeartbeat: ["require_heartbeat", "bool"],
      heartbeatDuration: ["heartbeat_duration", "int"],
      metadata: meta,
      createdAt: created,
      updatedAt: updated,
    }),
    users: new Table<User>(sql, "users", {
      id: ["id", "text"],
      accountId: ["account_id", "text"],
      email: ["email", "text"],
      firstName: ["first_name", "text"],
      lastName: ["last_name", "text"],
      metadata: meta,
      createdAt: created,
      updatedAt: updated,
    }),
    licenses: new Licenses(sql),
    machines: new Table<Machine>(sql, "machines", {
      id: ["id", "text"],
      accountId: ["account_id", "text"],
      licenseId: ["license_id", "text"],
      ownerId: ["owner_id", "text"],
      fingerprint: ["fingerprint", "text"],
      name: ["name", "text"],
      platform: ["platform", "text"],
      hostname: ["hostname", "text"],
      cores: ["cores", "int"],
      lastHeartbeatAt: ["last_heartbeat_at", "date"],
      metadata: meta,
      createdAt: created,
      updatedAt: updated,
    }),
    webhookEndpoints: new Table<WebhookEndpoint>(sql, "webhook_endpoints", {
      id: ["id", "text"],
      accountId: ["account_id", "text"],
      url: ["url", "text"],
      apiVersion: ["api_version", "text"],
      signatureAlgorithm: ["signature_algorithm", "text"],
      signingSecret: ["signing_secret", "text"],
      subscriptions: ["subscriptions", "json"],
      createdAt: created,
      updatedAt: updated,
    }),
    webhookEvents: new WebhookLog(sql),
    transaction: (fn) => sql.transaction(fn)(),
    close: () => sql.close(),
  };
}

/** Accounts (the tenants) and their admin tokens. */
export class Accounts {
  constructor(private readonly sql: Database.Database) {}

  /** A new account with its own Ed25519 key pair, which signs its webhook events. */
  create(name: string, slug: string, now = new Date()): Account {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const account: Account = {
      id: newId(),
      slug,
      name,
      publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
      privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      createdAt: now,
      updatedAt: now,
    };
    this.sql
      .prepare("INSERT INTO accounts (id, slug, name, public_key, private_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(account.id, slug, name, account.publicKey, account.privateKey, now.getTime(), now.getTime());
    return account;
  }

  /** By id or slug: Keygen's URLs accept either. */
  find(idOrSlug: string): Account | undefined {
    const row = this.sql.prepare("SELECT * FROM accounts WHERE id = ? OR slug = ?").get(idOrSlug, idOrSlug) as Record<string, string | number> | undefined;
    if (!row) return undefined;
    return {
      id: String(row.id),
      slug: String(row.slug),
      name: String(row.name),
      publicKey: String(row.public_key),
      privateKey: String(row.private_key),
      createdAt: new Date(Number(row.created_at)),
      updatedAt: new Date(Number(row.updated_at)),
    };
  }

  /** Mint an admin token; the token itself is returned once and only its digest is kept. */
  addAdminToken(accountId: string, token = `admin-${randomBytes(24).toString("hex")}`): string {
    this.sql
      .prepare("INSERT INTO tokens (id, account_id, digest, kind, created_at) VALUES (?, ?, ?, 'admin', ?)")
      .run(newId(), accountId, digestOf(token), Date.now());
    return token;
  }

  /** The account an admin token belongs to, if it is one. */
  accountOfToken(token: string): string | undefined {
    const row = this.sql.prepare("SELECT account_id FROM tokens WHERE digest = ? AND kind = 'admin'").get(digestOf(token)) as
      { account_id: string } | undefined;
    return row?.account_id;
  }
}

/** Licenses, their attached users (1.6's multi-user licenses) and key lookups. */
export class Licenses extends Table<License> {
  constructor(sql: Database.Database) {
    super(sql, "licenses", {
      id: ["id", "text"],
      accountId: ["account_id", "text"],
      policyId: ["policy_id", "text"],
      ownerId: ["owner_id", "text"],
      name: ["name", "text"],
      key: ["key", "text"],
      expiry: ["expiry", "date"],
      suspended: ["suspended", "bool"],
      metadata: ["metadata", "json"],
      lastValidatedAt: ["last_validated_at", "date"],
      createdAt: ["created_at", "date"],
      updatedAt: ["updated_at", "date"],
    });
  }

  byKey(accountId: string, key: string): License | undefined {
    const row = this.sql.prepare("SELECT * FROM licenses WHERE account_id = ? AND key = ?").get(accountId, key) as Record<string, unknown> | undefined;
    return row && this.fromRow(row);
  }

  /** The owner of a license, without loading it: what the 1.6 compatibility layer asks. */
  ownerOf(licenseId: string): string | null {
    const row = this.sql.prepare("SELECT owner_id FROM licenses WHERE id = ?").get(licenseId) as { owner_id: string | null } | undefined;
    return row?.owner_id ?? null;
  }

  attachUser(licenseId: string, userId: string): void {
    this.sql.prepare("INSERT OR IGNORE INTO license_users (license_id, user_id, created_at) VALUES (?, ?, ?)").run(licenseId, userId, Date.now());
  }

  /** Attached users, not counting the owner. */
  userIds(licenseId: string): string[] {
    return (
      this.sql.prepare("SELECT user_id FROM license_users WHERE license_id = ? ORDER BY created_at, user_id").all(licenseId) as { user_id: string }[]
    ).map((r) => r.user_id);
  }

  machineCount(licenseId: string): number {
    return (this.sql.prepare("SELECT COUNT(*) AS n FROM machines WHERE license_id = ?").get(licenseId) as { n: number }).n;
  }
}
