import { createHash, randomBytes } from "node:crypto";
import type { Allowlist } from "./ip-allowlist";

export type KeyType = "secret" | "public";
export type KeyMode = "live" | "test";
export type ExpiresIn = "never" | "30d" | "90d" | "1y";
/**
 * What a key may do. `viewer` is the least privilege: what an empty-scope key gets, because a
 * key nobody scoped must not silently be able to do everything.
 */
export type KeyRole = "admin" | "scoped" | "viewer";

export interface ApiKeyRecord {
  id: string;
  tenant: string;
  name: string;
  type: KeyType;
  mode: KeyMode;
  scopes: string[];
  role: KeyRole;
  expiresIn: ExpiresIn;
  expiresAt: Date | null;
  allowlist: Allowlist | undefined;
  /** Enough of the key to recognise it in a dashboard, never enough to use it. */
  prefix: string;
  createdAt: Date;
}

export interface MintInput {
  name: string;
  type: KeyType;
  mode: KeyMode;
  scopes: string[];
  expiresIn: ExpiresIn;
  allowlist: Allowlist | undefined;
}

const DAY_MS = 86_400_000;
const LIFETIME_MS: Record<ExpiresIn, number | null> = { never: null, "30d": 30 * DAY_MS, "90d": 90 * DAY_MS, "1y": 365 * DAY_MS };

/** The demo tenants' bootstrap admin keys, printed by main.ts and used in the README. */
export const ACME_ADMIN_KEY = "dv_live_sk_acme_admin_0001";
export const LEGACY_ADMIN_KEY = "dv_live_sk_legacy_admin_0002";
export const ACME_TENANT = "ten_acme";
/** Signed up before 2026-08-01: its pin predates `scopesRequired`. */
export const LEGACY_TENANT = "ten_legacy";

const hash = (secret: string): string => createHash("sha256").update(secret).digest("hex");

/** Tenant API keys, stored by hash: the plain value exists only in the mint response. */
export class KeyStore {
  private readonly byHash = new Map<string, ApiKeyRecord>();
  private readonly byId = new Map<string, ApiKeyRecord>();

  constructor() {
    this.seed(ACME_TENANT, ACME_ADMIN_KEY);
    this.seed(LEGACY_TENANT, LEGACY_ADMIN_KEY);
  }

  mint(tenant: string, input: MintInput, now = new Date()): { record: ApiKeyRecord; secret: string } {
    const head = input.type === "public" ? `pk_${input.mode}_` : `dv_${input.mode}_sk_`;
    const secret = head + randomBytes(24).toString("base64url");
    const lifetime = LIFETIME_MS[input.expiresIn];
    const record: ApiKeyRecord = {
      id: `key_${randomBytes(8).toString("hex")}`,
      tenant,
      ...input,
      role: input.scopes.length === 0 ? "viewer" : "scoped",
      expiresAt: lifetime === null ? null : new Date(now.getTime() + lifetime),
      prefix: `${secret.slice(0, head.length + 4)}...`,
      createdAt: now,
    };
    this.add(record, secret);
    return { record, secret };
  }

  authenticate(secret: string): ApiKeyRecord | undefined {
    return this.byHash.get(hash(secret));
  }

  get(tenant: string, id: string): ApiKeyRecord | undefined {
    const record = this.byId.get(id);
    return record?.tenant === tenant ? record : undefined;
  }

  list(tenant: string): ApiKeyRecord[] {
    return [...this.byId.values()].filter((r) => r.tenant === tenant);
  }

  private seed(tenant: string, secret: string): void {
    const createdAt = new Date("2025-11-01T00:00:00Z");
    this.add(
      {
        id: `key_${tenant}_admin`,
        tenant,
        name: "Dashboard admin key",
        type: "secret",
        mode: "live",
        scopes: ["*"],
        role: "admin",
        expiresIn: "never",
        expiresAt: null,
        allowlist: undefined,
        prefix: `${secret.slice(0, 15)}...`,
        createdAt,
      },
      secret,
    );
  }

  private add(record: ApiKeyRecord, secret: string): void {
    this.byHash.set(hash(secret), record);
    this.byId.set(record.id, record);
  }
}

/** The wire shape of a key. It has no field for the secret: reads cannot leak it by accident. */
export function keyView(r: ApiKeyRecord) {
  return {
    id: r.id,
    object: "api_key" as const,
    name: r.name,
    type: r.type,
    mode: r.mode,
    scopes: [...r.scopes],
    role: r.role,
    expiresIn: r.expiresIn,
    expires_at: r.expiresAt?.toISOString() ?? null,
    allowed_ips: r.allowlist ? [...r.allowlist.entries] : [],
    prefix: r.prefix,
    created_at: r.createdAt.toISOString(),
  };
}
