import type { Request } from "express";
import { PinStoreUnavailableError, type Version, type VersionSource } from "@strata/core";
import createDebug from "debug";
import type { NormalizedOptions } from "./options";
import { PinCache } from "./pin-cache";

const log = createDebug("strata:resolve");

/** The version a request will be served at, and why. */
export interface Resolution {
  version: Version;
  source: VersionSource;
  /** Set when the store failed and the default was served instead. */
  warning?: string;
}

/**
 * Request-fixed version -> header -> account pin -> pin on first request -> default. Synchronous whenever it can be
 * (header present, no account, cached pin), so the common path allocates no promise.
 */
export class VersionResolver {
  readonly cache: PinCache;
  private readonly inflight = new Map<string, Promise<string>>();
  private unsubscribe: Promise<(() => Promise<void>) | undefined> | undefined;

  constructor(private readonly o: NormalizedOptions) {
    this.cache = new PinCache(o.cache.max, o.cache.ttlMs);
    if (o.pins?.subscribe && o.cache.max > 0) {
      // Another instance moved a pin: drop ours so the next request reads the new one.
      this.unsubscribe = o.pins.subscribe((account) => this.cache.delete(account)).catch((err: unknown) => {
        log("pin change feed unavailable, relying on the cache TTL: %O", err);
        return undefined;
      });
    }
  }

  resolve(req: Request): Resolution | Promise<Resolution> {
    const fixed = this.o.fromRequest?.(req);
    if (fixed !== undefined) return { version: this.o.versions.resolve(fixed), source: "request" };
    const raw = req.headers[this.o.headerKey];
    const headerValue = Array.isArray(raw) ? raw[0] : raw;
    if (headerValue !== undefined && headerValue !== "") {
      // Throws InvalidVersionError / UnsupportedVersionError: the client's 400.
      const version = this.o.versions.resolve(headerValue.trim(), this.o.header);
      if (this.o.pins && this.o.account && this.o.pinOnFirstRequest) this.pinQuietly(req);
      return { version, source: "header" };
    }
    if (!this.o.pins || !this.o.account) return { version: this.o.defaultVersion, source: "default" };
    const account = this.o.account(req);
    if (isPromise(account)) return account.then((a) => this.fromAccount(a));
    return this.fromAccount(account);
  }

  private fromAccount(account: string | undefined): Resolution | Promise<Resolution> {
    if (account === undefined || account === "") return { version: this.o.defaultVersion, source: "default" };
    const cached = this.cache.get(account);
    if (cached !== undefined) return this.toResolution(cached, "pin");
    return this.lookup(account).then(
      ({ id, source }) => this.toResolution(id, source),
      (err: unknown) => this.storeFailed(account, err),
    );
  }

  /** One store round trip per account at a time, however many requests arrive together. */
  private lookup(account: string): Promise<{ id: string; source: VersionSource }> {
    let source: VersionSource = "pin";
    let pending = this.inflight.get(account);
    if (!pending) {
      const pins = this.o.pins!;
      pending = (async () => {
        const pin = await pins.get(account);
        if (pin) return pin.version;
        if (!this.o.pinOnFirstRequest) throw new NoPin();
        const result = await pins.pinIfAbsent(account, this.o.versions.latest.id);
        if (result.created) {
          source = "first-request";
          log("pinned %s to %s on its first request", account, result.pin.version);
        }
        return result.pin.version;
      })().finally(() => this.inflight.delete(account));
      this.inflight.set(account, pending);
      pending.then((id) => this.cache.set(account, id), () => undefined);
    }
    return pending.then(
      (id) => ({ id, source }),
      (err: unknown) => {
        if (err instanceof NoPin) return { id: this.o.defaultVersion.id, source: "default" as const };
        throw err;
      },
    );
  }

  private toResolution(id: string, source: VersionSource): Resolution {
    const version = this.o.versions.get(id);
    if (version) return { version, source };
    // A pin naming a version that was removed from the configuration: serve the oldest
    // version still supported rather than failing every request of the account.
    log("pinned version %s is no longer configured; serving %s", id, this.o.versions.oldest.id);
    return { version: this.o.versions.oldest, source, warning: `pinned version ${id} is no longer supported` };
  }

  private storeFailed(account: string, err: unknown): Resolution {
    log("pin store failed for %s: %O", account, err);
    if (this.o.onStoreError === "fail-closed") throw new PinStoreUnavailableError(this.o.retryAfter, err);
    return { version: this.o.defaultVersion, source: "default", warning: "pin store unavailable; served at the default version" };
  }

  /** A header-versioned request still pins a new account, off the request's critical path. */
  private pinQuietly(req: Request): void {
    Promise.resolve(this.o.account!(req))
      .then((account) => (account && this.cache.get(account) === undefined ? this.lookup(account) : undefined))
      .catch((err: unknown) => log("could not pin on a header-versioned request: %O", err));
  }

  async close(): Promise<void> {
    const unsubscribe = await this.unsubscribe;
    await unsubscribe?.();
    this.cache.clear();
  }
}

class NoPin extends Error {}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === "function";
}
