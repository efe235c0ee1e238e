/** The rows the 1.6 handlers work with, in camelCase. Times are Dates, JSON columns objects. */

export type Metadata = Record<string, unknown>;

export interface Account {
  id: string;
  slug: string;
  name: string;
  /** Ed25519 public key (PEM): what webhook receivers verify `Keygen-Signature` with. */
  publicKey: string;
  privateKey: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface Product {
  id: string;
  accountId: string;
  name: string;
  code: string | null;
  url: string | null;
  platforms: string[];
  metadata: Metadata;
  createdAt: Date;
  updatedAt: Date;
}

/** How far past `maxMachines` a license may go (1.2 replaced the `concurrent` flag with this). */
export const OVERAGE_STRATEGIES = ["NO_OVERAGE", "ALWAYS_ALLOW_OVERAGE", "ALLOW_1_25X_OVERAGE", "ALLOW_1_5X_OVERAGE", "ALLOW_2X_OVERAGE"] as const;
export type OverageStrategy = (typeof OVERAGE_STRATEGIES)[number];

/** Where a machine fingerprint must be unique. */
export const UNIQUENESS_STRATEGIES = ["UNIQUE_PER_ACCOUNT", "UNIQUE_PER_PRODUCT", "UNIQUE_PER_POLICY", "UNIQUE_PER_LICENSE"] as const;
export type UniquenessStrategy = (typeof UNIQUENESS_STRATEGIES)[number];

/** How many of the fingerprints a validation names must belong to the license's machines. */
export const MATCHING_STRATEGIES = ["MATCH_ANY", "MATCH_TWO", "MATCH_MOST", "MATCH_ALL"] as const;
export type MatchingStrategy = (typeof MATCHING_STRATEGIES)[number];

export interface Policy {
  id: string;
  accountId: string;
  productId: string;
  name: string;
  /** License lifetime in seconds; `null` for licenses that never expire. */
  duration: number | null;
  /** A strict policy's licenses are valid only with at least one machine. */
  strict: boolean;
  /** Floating licenses may have many machines; node-locked ones exactly one. */
  floating: boolean;
  maxMachines: number | null;
  overageStrategy: OverageStrategy;
  machineUniquenessStrategy: UniquenessStrategy;
  machineMatchingStrategy: MatchingStrategy;
  requireHeartbeat: boolean;
  /** Seconds a machine may go without a heartbeat ping before it is dead. */
  heartbeatDuration: number | null;
  metadata: Metadata;
  createdAt: Date;
  updatedAt: Date;
}

export interface User {
  id: string;
  accountId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  metadata: Metadata;
  createdAt: Date;
  updatedAt: Date;
}

export interface License {
  id: string;
  accountId: string;
  policyId: string;
  /** The user who owns the license (1.6: `owner`; before it, the license's only `user`). */
  ownerId: string | null;
  name: string | null;
  key: string;
  expiry: Date | null;
  suspended: boolean;
  metadata: Metadata;
  lastValidatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Machine {
  id: string;
  accountId: string;
  licenseId: string;
  /** The machine's own owner (new in 1.6; before it, machines reported their license's user). */
  ownerId: string | null;
  fingerprint: string;
  name: string | null;
  platform: string | null;
  hostname: string | null;
  cores: number | null;
  lastHeartbeatAt: Date | null;
  metadata: Metadata;
  createdAt: Date;
  updatedAt: Date;
}

export const SIGNATURE_ALGORITHMS = ["ed25519", "hmac-sha256"] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

export interface WebhookEndpoint {
  id: string;
  accountId: string;
  url: string;
  /** The version every event sent to this endpoint is rendered at. */
  apiVersion: string;
  signatureAlgorithm: SignatureAlgorithm;
  /** Only for `hmac-sha256`: shown once, when the endpoint is created. */
  signingSecret: string | null;
  /** Event names, or `["*"]` for all of them. */
  subscriptions: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** DELIVERING until the first answer, FAILING while retries remain, then DELIVERED or FAILED. */
export type DeliveryStatus = "DELIVERING" | "DELIVERED" | "FAILING" | "FAILED";

export interface WebhookEvent {
  id: string;
  accountId: string;
  endpointId: string | null;
  endpointUrl: string;
  event: string;
  apiVersion: string;
  /** The resource document as the endpoint's version has it, serialised once when the event was created. */
  payload: string;
  idempotencyToken: string;
  status: DeliveryStatus;
  attempts: number;
  lastResponseCode: number | null;
  lastResponseBody: string | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One delivery attempt of an event, as the log keeps it. */
export interface DeliveryAttempt {
  attempt: number;
  at: Date;
  responseCode: number | null;
  error: string | null;
  durationMs: number;
}
