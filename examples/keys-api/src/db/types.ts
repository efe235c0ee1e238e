/** Records as the newest handlers use them. Timestamps are unix milliseconds. */

export interface Workspace {
  id: string;
  name: string;
  createdAt: number;
}

export interface Api {
  id: string;
  workspaceId: string;
  name: string;
  deleteProtection: boolean;
  createdAt: number;
}

export interface Ratelimit {
  id: string;
  name: string;
  limit: number;
  /** Window length in milliseconds. */
  duration: number;
  /** Applied on every verification, without the caller naming it. */
  autoApply: boolean;
}

export type RatelimitInput = Omit<Ratelimit, "id">;

export interface Refill {
  interval: "daily" | "monthly";
  amount: number;
  /** Day of the month for monthly refills (1 when not given). */
  refillDay?: number;
  lastRefillAt?: number;
}

export interface Credits {
  /** `null`: unlimited. */
  remaining: number | null;
  refill?: Refill;
}

export interface KeyRecord {
  id: string;
  workspaceId: string;
  apiId: string;
  start: string;
  name?: string;
  identityId?: string;
  meta?: Record<string, unknown>;
  expires?: number;
  /** Absent when the key has no usage limit. */
  credits?: Credits;
  enabled: boolean;
  /** Only for recoverable keys. */
  plaintext?: string;
  createdAt: number;
  updatedAt?: number;
  lastUsedAt?: number;
}

export interface Identity {
  id: string;
  workspaceId: string;
  externalId: string;
  meta?: Record<string, unknown>;
  createdAt: number;
}

export interface Permission {
  id: string;
  name: string;
  slug: string;
  description?: string;
}

export interface Role {
  id: string;
  name: string;
  description?: string;
}

export interface Override {
  id: string;
  namespaceId: string;
  identifier: string;
  limit: number;
  duration: number;
}

/** A page of a keyset-paginated list. */
export interface Page<T> {
  items: T[];
  /** The cursor of the next page, when there is one. */
  cursor?: string;
}
