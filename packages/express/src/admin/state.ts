import { lifecycleOf, type ChangelogEntry, type Pin, type PinChange, type Version, type VersionSet } from "@strata/core";
import { NothingToRollBackError, RollbackWindowClosedError, type AdminError } from "./errors";

/**
 * What `GET /` (and every successful change) answers: the account's version settings.
 *
 * @example
 * const state = (await fetch("/admin/api-version").then((r) => r.json())) as AdminState;
 * if (state.rollback.available) console.log(`You can go back to ${state.rollback.to} until ${state.rollback.until}`);
 */
export interface AdminState {
  account: string;
  /**
   * The stored pin, or `null` if the account has not made a request yet. `servedAt` is the
   * version its requests are served at: the pin itself, or, for a pin this instance does not
   * configure, the nearest version it does (which an upgrade may then move it from).
   */
  pinned: { version: string; servedAt: string; pinnedAt: string; updatedAt: string } | null;
  /** The newest stable version id (previews are never a pin's target). */
  latest: string;
  /** Every configured version, newest first. Dates are ISO 8601. */
  versions: AdminVersion[];
  /** What changed between the pinned version and the latest, newest first (`[]` when unpinned or current). */
  changelog: ChangelogEntry[];
  /** Whether `POST /rollback` would succeed now, to which version, and until when. */
  rollback: { available: boolean; to?: string; until?: string };
}

/** One version as the admin API lists it. */
export interface AdminVersion {
  id: string;
  releasedAt?: string;
  deprecatedAt?: string;
  sunsetAt?: string;
  description?: string;
  /**
   * At the router's clock: still served normally, served with `Deprecation`, or answering 410.
   * `unreleased` versions (a `releasedAt` in the future) cannot be chosen yet.
   */
  status: "active" | "deprecated" | "sunset" | "unreleased" | "preview";
}

/** A rollback that may go ahead: back to `to`, possible until `until`. */
export interface RollbackPlan {
  from: string;
  to: string;
  until: Date;
}

/**
 * Order two version ids: negative if `a` is older. Configured versions compare by position;
 * a pin naming a version no longer configured falls back to the scheme. `undefined` if either
 * id cannot be read under the scheme.
 */
export function compareVersionIds(versions: VersionSet, a: string, b: string): number | undefined {
  const va = versions.get(a);
  const vb = versions.get(b);
  if (va && vb) return va.ordinal - vb.ordinal;
  const na = versions.scheme.normalize(a);
  const nb = versions.scheme.normalize(b);
  if (na === undefined || nb === undefined) return undefined;
  try {
    return versions.scheme.compare(na, nb);
  } catch {
    return undefined;
  }
}

/** The version an account's stored pin is served at, as the middleware serves it. */
export function effectiveVersion(versions: VersionSet, pinned: string): Version {
  return versions.nearest(pinned);
}

/**
 * Whether the most recent history entry can be undone now. Only an upgrade made less than
 * `windowMs` ago can, and only back to a version that is still served.
 */
export function planRollback(versions: VersionSet, last: PinChange | undefined, windowMs: number, now: Date): RollbackPlan | AdminError {
  if (!last) return new NothingToRollBackError("The account is not pinned yet; there is nothing to roll back.");
  if (last.from === null) {
    return new NothingToRollBackError(`The account has been on ${last.to} since its first request; there is no upgrade to roll back.`);
  }
  const order = compareVersionIds(versions, last.to, last.from);
  if (order === undefined || order <= 0) {
    return new NothingToRollBackError(
      `The last change moved the pin from ${last.from} to ${last.to}, which is not an upgrade; only a recent upgrade can be rolled back.`,
    );
  }
  const until = new Date(last.at.getTime() + windowMs);
  if (now >= until) return new RollbackWindowClosedError(last.from, last.to, until);
  const target = versions.get(last.from);
  if (!target) return new NothingToRollBackError(`The previous version ${last.from} is no longer supported, so the upgrade cannot be rolled back.`);
  if (lifecycleOf(target, now) === "sunset") {
    return new NothingToRollBackError(`The previous version ${target.id} has been retired, so the upgrade cannot be rolled back.`);
  }
  return { from: last.to, to: target.id, until };
}

const iso = (d: Date | undefined): string | undefined => d?.toISOString();

/** The state document for one account. */
export function buildState(versions: VersionSet, account: string, pin: Pin | undefined, rollback: RollbackPlan | AdminError, now: Date): AdminState {
  return {
    account,
    pinned: pin
      ? {
          version: pin.version,
          servedAt: effectiveVersion(versions, pin.version).id,
          pinnedAt: pin.pinnedAt.toISOString(),
          updatedAt: pin.updatedAt.toISOString(),
        }
      : null,
    latest: versions.current.id,
    versions: versions.list.map((v) => {
      const out: AdminVersion = { id: v.id, status: v.preview ? "preview" : v.releasedAt && v.releasedAt > now ? "unreleased" : lifecycleOf(v, now) };
      if (v.releasedAt) out.releasedAt = iso(v.releasedAt)!;
      if (v.deprecatedAt) out.deprecatedAt = iso(v.deprecatedAt)!;
      if (v.sunsetAt) out.sunsetAt = iso(v.sunsetAt)!;
      if (v.description) out.description = v.description;
      return out;
    }),
    changelog: pin ? versions.changelog({ from: effectiveVersion(versions, pin.version).id, to: versions.current.id }) : [],
    rollback: rollback instanceof Error ? { available: false } : { available: true, to: rollback.to, until: rollback.until.toISOString() },
  };
}
