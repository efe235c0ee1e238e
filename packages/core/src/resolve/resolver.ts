import { PinStoreUnavailableError } from "../errors";
import { resolveLog as log } from "../log";
import type { PinStore } from "../pins/pin-store";
import type { Version } from "../define/change";
import type { VersionSet } from "../version-set";
import type { VersionSource } from "./api-version";
import { PinCache } from "./pin-cache";
import { notInMajor, type Major } from "./majors";

/**
 * How a request's version is found, validated once by the framework adapter (`versioning()`
 * in `@strata/express`). `R` is the adapter's request type: the resolver knows no framework.
 */
export interface ResolverOptions<R> {
  versions: VersionSet;
  /** The version header's name, for error messages. */
  header: string;
  /** A version the request itself fixes (a major version in the URL). */
  fromRequest?: (req: R) => string | undefined;
  /** URL prefixes and the versions each serves (compiled by `compileMajors`), with how to read a request's path. */
  majors?: readonly Major[];
  pathOf?: (req: R) => string;
  /** The account a request belongs to, for pinning. */
  account?: (req: R) => string | undefined | Promise<string | undefined>;
  pins?: PinStore;
  defaultVersion: Version;
  pinOnFirstRequest: boolean;
  onStoreError: "fail-closed" | "serve-default";
  retryAfter: number;
  cache: { max: number; ttlMs: number };
}

/** The version a request will be served at, and why. */
export interface Resolution {
  version: Version;
  source: VersionSource;
  /**
   * The version depended on who asked (the account's pin was consulted): the same URL answers
   * other accounts in other shapes, so shared caches must not keep the response.
   */
  personal?: boolean;
  /** Set when the store failed and the default was served instead, or the pin is not configured here. */
  warning?: string;
  /** The account, when resolution read it (pin, first-request pin, default for an account without one). */
  account?: string;
}

/**
 * Request-fixed version -> header -> account pin -> pin on first request -> default, after
 * checking the header wherever it appears. Synchronous whenever it can be (header present, no
 * account, cached pin), so the common path allocates no promise.
 *
 * @example
 * const resolver = new VersionResolver<IncomingMessage>({ versions, header: "Api-Version", defaultVersion: versions.latest, pinOnFirstRequest: true, onStoreError: "fail-closed", retryAfter: 5, cache: { max: 10_000, ttlMs: 60_000 } });
 * const { version, source } = await resolver.resolve(req, req.headers["api-version"]);
 */
export class VersionResolver<R> {
  readonly cache: PinCache;
  private readonly inflight = new Map<string, Promise<string>>();
  private unsubscribe: Promise<(() => Promise<void>) | undefined> | undefined;

  constructor(private readonly o: ResolverOptions<R>) {
    this.cache = new PinCache(o.cache.max, o.cache.ttlMs);
    if (o.pins?.subscribe && o.cache.max > 0) {
      // Another instance moved a pin: drop ours so the next request reads the new one.
      this.unsubscribe = o.pins
        .subscribe((account) => this.cache.delete(account))
        .catch((err: unknown) => {
          log("pin change feed unavailable, relying on the cache TTL: %O", err);
          return undefined;
        });
    }
  }

  /** The version `req` is served at; `headerValue` is the version header's value, if any. */
  resolve(req: R, headerValue: string | undefined): Resolution | Promise<Resolution> {
    // Throws InvalidVersionError / UnsupportedVersionError: a bad header is the client's 400
    // wherever it appears, even on a URL that fixes the version.
    let asked = headerValue !== undefined && headerValue !== "" ? this.o.versions.resolve(headerValue.trim(), this.o.header) : undefined;
    const fixed = this.o.fromRequest?.(req);
    if (fixed !== undefined) return { version: this.o.versions.resolve(fixed), source: "request" };
    const major = this.majorOf(req);
    if (major) {
      if (asked !== undefined && !major.has(asked)) {
        if (major.outside === "reject") throw notInMajor(major, asked, this.o.header);
        asked = undefined;
      }
      if (major.only) return { version: major.only, source: "request" };
    }
    if (asked !== undefined) {
      if (this.o.pins && this.o.account && this.o.pinOnFirstRequest) this.pinQuietly(req);
      return { version: asked, source: "header" };
    }
    const resolved = this.unasked(req);
    if (!major) return resolved;
    // A pin or default outside the URL's range is served at the range's nearest end.
    return isPromise(resolved) ? resolved.then((r) => clampTo(major, r)) : clampTo(major, resolved);
  }

  private majorOf(req: R): Major | undefined {
    const majors = this.o.majors;
    if (!majors || !this.o.pathOf) return undefined;
    const path = this.o.pathOf(req);
    for (const m of majors) if (m.matches(path)) return m;
    return undefined;
  }

  /** No header: the account's pin (pinning it first if new), else the default. */
  private unasked(req: R): Resolution | Promise<Resolution> {
    if (!this.o.pins || !this.o.account) return { version: this.o.defaultVersion, source: "default" };
    const account = this.o.account(req);
    if (isPromise(account)) return account.then((a) => this.fromAccount(a));
    return this.fromAccount(account);
  }

  private fromAccount(account: string | undefined): Resolution | Promise<Resolution> {
    // Anonymous requests get the default, but a cached copy must not reach a pinned account.
    if (account === undefined || account === "") return { version: this.o.defaultVersion, source: "default", personal: true };
    const cached = this.cache.get(account);
    if (cached !== undefined) return this.toResolution(cached, "pin", account);
    return this.lookup(account).then(
      ({ id, source }) => this.toResolution(id, source, account),
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
        // The then-current version: a preview is for those who ask for it by name.
        const result = await pins.pinIfAbsent(account, this.o.versions.current.id);
        if (result.created) {
          source = "first-request";
          log("pinned %s to %s on its first request", account, result.pin.version);
        }
        return result.pin.version;
      })().finally(() => this.inflight.delete(account));
      this.inflight.set(account, pending);
      pending.then(
        (id) => this.cache.set(account, id),
        () => undefined,
      );
    }
    return pending.then(
      (id) => ({ id, source }),
      (err: unknown) => {
        if (err instanceof NoPin) return { id: this.o.defaultVersion.id, source: "default" as const };
        throw err;
      },
    );
  }

  private toResolution(id: string, source: VersionSource, account: string): Resolution {
    const version = this.o.versions.get(id);
    if (version && !version.preview) return { version, source, personal: true, account };
    // A pin this instance does not have: written by a newer release mid-deploy, or a version
    // since removed. Serve the nearest shape rather than failing every request of the account.
    const nearest = this.o.versions.nearest(id);
    const why = version ? "is a preview, never served by a pin" : "is not served by this instance";
    log("pinned version %s %s; serving %s", id, why, nearest.id);
    return { version: nearest, source, personal: true, account, warning: `pinned version ${id} ${why}; served at ${nearest.id}` };
  }

  private storeFailed(account: string, err: unknown): Resolution {
    log("pin store failed for %s: %O", account, err);
    if (this.o.onStoreError === "fail-closed") throw new PinStoreUnavailableError(this.o.retryAfter, err);
    return { version: this.o.defaultVersion, source: "default", personal: true, account, warning: "pin store unavailable; served at the default version" };
  }

  /**
   * A header-versioned request still pins a new account, off the request's critical path. The
   * header alone decides its version, so an `account` callback that throws or rejects does
   * not fail it: the pin waits for a later request, and the error is logged.
   */
  private pinQuietly(req: R): void {
    new Promise<string | undefined>((resolve) => resolve(this.o.account!(req)))
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

function clampTo(major: Major, r: Resolution): Resolution {
  const version = major.clamp(r.version);
  return version === r.version ? r : { ...r, version };
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === "function";
}
