import type { VersionSet } from "../version-set";
import type { PinStore } from "../pins/pin-store";

/** A payload rendered for one account, and the version it was rendered at. */
export interface RenderedPayload<T> {
  version: string;
  payload: T;
}

/**
 * Render a webhook or event payload, built in the latest shape, at the version the account
 * is pinned to: the same changes that translate its API responses translate its events, so
 * its webhook endpoints never see a shape change. Unpinned accounts get the latest version.
 * The payload itself is never changed, so one event object can be rendered for many accounts.
 *
 * @example
 * const { version, payload } = await payloadForAccount(versions, pins, "acct_1", event);
 * await deliver(url, payload, { "Api-Version": version });
 */
export async function payloadForAccount<T = unknown>(versions: VersionSet, pins: PinStore, account: string, payload: unknown): Promise<RenderedPayload<T>> {
  const pin = await pins.get(account);
  // A pin naming a version this instance lacks is served like the middleware serves it.
  const to = pin ? versions.nearest(pin.version) : versions.current;
  return { version: to.id, payload: versions.migratePayload<T>(payload, { to }) };
}
