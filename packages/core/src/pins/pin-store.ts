/**
 * The contract every pin store implements: in-memory, SQLite, PostgreSQL, Redis.
 *
 * A pin is the API version an account is held at. It is written once, atomically, on the
 * account's first request, and moved afterwards only by an admin (with an actor and a
 * reason), so every move is kept as history.
 */

import type { UsageQuery, UsageRow } from "./usage";

/** An account's current pin. */
export interface Pin {
  account: string;
  version: string;
  /** When the account was first pinned. */
  pinnedAt: Date;
  /** When the pin last changed (equal to `pinnedAt` until an admin moves it). */
  updatedAt: Date;
}

/** One entry of an account's pin history: who moved it, when, from where, to where. */
export interface PinChange {
  account: string;
  /** `null` for the first pin. */
  from: string | null;
  to: string;
  /** Who made the change: `"first-request"` for the automatic first pin, else an admin id. */
  actor: string;
  reason?: string;
  at: Date;
}

/** Who moves a pin and why; stored with the history entry. */
export interface PinChangeInput {
  actor: string;
  reason?: string;
}

/** How many accounts are pinned to one version. */
export interface VersionUsage {
  version: string;
  accounts: number;
}

/** Result of {@link PinStore.pinIfAbsent}. */
export interface PinIfAbsentResult {
  pin: Pin;
  /** `true` if this call wrote the pin, `false` if another writer (or an earlier call) had. */
  created: boolean;
}

/** Called with the account whose pin changed on some instance (including this one). */
export type PinListener = (account: string) => void;

/**
 * Durable storage for account pins.
 *
 * Implementations must make `pinIfAbsent` atomic across processes: of many concurrent first
 * requests for one account, exactly one writes, and all of them see the same pin.
 *
 * @example
 * const pins = memoryPins();
 * const { pin } = await pins.pinIfAbsent("acct_1", "2024-06-01");
 * await pins.set("acct_1", "2025-01-15", { actor: "admin_7", reason: "upgrade" });
 */
export interface PinStore {
  /** The account's pin, or `undefined` if it has never been pinned. */
  get(account: string): Promise<Pin | undefined>;
  /** Pin the account to `version` unless it already has a pin; atomic. */
  pinIfAbsent(account: string, version: string): Promise<PinIfAbsentResult>;
  /** Move (or create) the account's pin and record who did it. Returns the history entry. */
  set(account: string, version: string, change: PinChangeInput): Promise<PinChange>;
  /** The account's pin changes, newest first. */
  history(account: string, options?: { limit?: number }): Promise<PinChange[]>;
  /** Accounts per pinned version, for admins who want to know who is still on old versions. */
  usage(): Promise<VersionUsage[]>;
  /**
   * Hear about pin changes made by any instance sharing the store, so caches can drop them.
   * Stores without a notification channel may omit this. Resolves to an unsubscribe function.
   */
  subscribe?(listener: PinListener): Promise<() => Promise<void>>;
  /** Add a batch of usage rows (see `UsageStore`); the durable stores and memoryPins implement it. */
  recordUsage?(rows: readonly UsageRow[]): Promise<void>;
  /** Usage rows matching a query (see `UsageStore`). */
  readUsage?(query?: UsageQuery): Promise<UsageRow[]>;
  /** Delete usage days before `beforeDay` (see `UsageStore`). */
  pruneUsage?(beforeDay: string): Promise<number>;
  /** Release connections. */
  close?(): Promise<void>;
}

/** The actor recorded for the automatic pin written on an account's first request. */
export const FIRST_REQUEST_ACTOR = "first-request";

/**
 * A pin store whose change feed and `close` always exist, as the durable stores return it.
 *
 * @example
 * const pins: SubscribablePinStore = sqlitePins("strata.db");
 * const stop = await pins.subscribe((account) => cache.delete(account));
 */
export type SubscribablePinStore = PinStore & Required<Pick<PinStore, "subscribe" | "close">>;
