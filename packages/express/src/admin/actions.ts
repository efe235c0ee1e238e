import type { Request } from "express";
import { lifecycleOf, sunsetErrorFor } from "@strata/core";
import createDebug from "debug";
import {
  AdminStoreUnavailableError,
  InvalidAdminRequestError,
  NoAccountError,
  NotAllowedError,
  NotAnUpgradeError,
  PreviewVersionError,
  VersionNotReleasedError,
  type AdminAction,
} from "./errors";
import type { NormalizedAdminOptions } from "./options";
import { buildState, compareVersionIds, planRollback, type AdminState } from "./state";

const log = createDebug("strata:admin");
const REASON_MAX = 500;

/** What the actions need: the router's options. Shared by the JSON routes and the page. */
export type ActionContext = NormalizedAdminOptions;

/**
 * The account, once `account` named one (else 401) and `authorize` allowed `action` on that
 * very account (else 403): an app that reads the account from the URL decides per account.
 */
export async function authorized(req: Request, o: ActionContext, action: AdminAction): Promise<string> {
  const account = await o.account(req);
  if (typeof account !== "string" || account === "") throw new NoAccountError();
  // Anything but a literal `true` refuses: a forgotten `return` must not open the door.
  if ((await o.authorize(req, action, account)) !== true) throw new NotAllowedError(action);
  return account;
}

/** Whether `authorize` allows `action` on `account`, without failing: what the page shows. */
export async function allowed(req: Request, o: ActionContext, action: AdminAction, account: string): Promise<boolean> {
  try {
    return (await o.authorize(req, action, account)) === true;
  } catch {
    return false;
  }
}

/** Move the account's pin to a newer version, for `actor`; refusals are the documented 4xx. */
export async function upgradeAccount(req: Request, o: ActionContext, account: string, version: string, reason: string | undefined): Promise<void> {
  // Throws InvalidVersionError / UnsupportedVersionError: a 400 listing the supported versions.
  const target = o.versions.resolve(version.trim());
  const now = o.now();
  if (lifecycleOf(target, now) === "sunset") throw sunsetErrorFor(o.versions, target, now);
  if (target.releasedAt && target.releasedAt > now) throw new VersionNotReleasedError(target.id, target.releasedAt);
  if (target.preview) throw new PreviewVersionError(target.id);
  const pin = await store(o, () => o.pins.get(account));
  // A pin this instance does not configure (a newer release's, or a removed version's) may be
  // moved to any version served here: that is how an admin repairs it.
  if (pin && o.versions.get(pin.version)) {
    const order = compareVersionIds(o.versions, target.id, pin.version);
    if (order !== undefined && order <= 0) throw new NotAnUpgradeError(target.id, pin.version);
  }
  const actor = await actorOf(req, o);
  const entry = await store(o, () => o.pins.set(account, target.id, withReason({ actor }, reason)));
  log("%s upgraded %s from %s to %s", actor, account, entry.from, entry.to);
  o.middleware?.forget(account);
}

/** Undo the last upgrade while the rollback window is open. */
export async function rollBackAccount(req: Request, o: ActionContext, account: string, reason: string | undefined): Promise<void> {
  const [last] = await store(o, () => o.pins.history(account, { limit: 1 }));
  const plan = planRollback(o.versions, last, o.rollbackWindowMs, o.now());
  if (plan instanceof Error) throw plan;
  const actor = await actorOf(req, o);
  await store(o, () => o.pins.set(account, plan.to, withReason({ actor }, reason ?? `rollback of the upgrade from ${plan.to} to ${plan.from}`)));
  log("%s rolled %s back from %s to %s", actor, account, plan.from, plan.to);
  o.middleware?.forget(account);
}

export async function stateOf(account: string, o: ActionContext): Promise<AdminState> {
  const [pin, [last]] = await store(o, () => Promise.all([o.pins.get(account), o.pins.history(account, { limit: 1 })]));
  const now = o.now();
  return buildState(o.versions, account, pin, planRollback(o.versions, last, o.rollbackWindowMs, now), now);
}

/** Run a store call; any failure becomes a 503 that does not leak the store's message. */
export async function store<T>(o: ActionContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new AdminStoreUnavailableError(o.retryAfter, err);
  }
}

/** The optional `reason` of an upgrade or rollback. */
export function reasonOf(body: Record<string, unknown>): string | undefined {
  const reason = body.reason;
  if (reason === undefined || reason === null || reason === "") return undefined;
  if (typeof reason !== "string" || reason.length > REASON_MAX) {
    throw new InvalidAdminRequestError(`\`reason\` must be a string of at most ${REASON_MAX} characters.`, "reason");
  }
  return reason;
}

async function actorOf(req: Request, o: ActionContext): Promise<string> {
  const actor = await o.actor(req);
  return typeof actor === "string" && actor !== "" ? actor : "admin";
}

function withReason(change: { actor: string; reason?: string }, reason: string | undefined) {
  if (reason !== undefined) change.reason = reason;
  return change;
}
