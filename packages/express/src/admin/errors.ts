import { StrataError } from "@strata/core";

/**
 * Root of every refusal of the admin router. Each has a stable `code` and renders as
 * problem+json through `problemFor`, like every other Strata error.
 *
 * @example
 * try { ... } catch (err) { if (err instanceof AdminError && err.code === "not_an_upgrade") ... }
 */
export class AdminError extends StrataError {
  override name = "AdminError";
}

/** The request has no account (the `account` option returned nothing): 401 `no_account`. */
export class NoAccountError extends AdminError {
  override name = "NoAccountError";
  constructor() {
    super("no_account", "This request does not belong to an account; sign in as an account admin.", 401);
  }
}

/** `authorize` refused the action: 403 `not_allowed`. */
export class NotAllowedError extends AdminError {
  override name = "NotAllowedError";
  constructor(readonly action: AdminAction) {
    super("not_allowed", `You are not allowed to ${ACTION_WORDS[action]} this account's API version.`, 403);
  }
  protected override problemExtensions() {
    return { action: this.action };
  }
}

/** The request body or query is malformed (missing `version`, bad `limit`): 400 `invalid_request`. */
export class InvalidAdminRequestError extends AdminError {
  override name = "InvalidAdminRequestError";
  constructor(
    message: string,
    /** The offending field. */
    readonly field: string,
  ) {
    super("invalid_request", message, 400);
  }
  protected override problemExtensions() {
    return { field: this.field };
  }
}

/** The requested version is not newer than the account's pin: 409 `not_an_upgrade`. */
export class NotAnUpgradeError extends AdminError {
  override name = "NotAnUpgradeError";
  constructor(
    readonly version: string,
    readonly pinned: string,
  ) {
    super(
      "not_an_upgrade",
      version === pinned
        ? `The account is already pinned to ${pinned}.`
        : `${version} is older than the account's pinned version ${pinned}; an upgrade must move to a newer version. Use rollback to undo a recent upgrade.`,
      409,
    );
  }
  protected override problemExtensions() {
    return { version: this.version, pinned: this.pinned };
  }
}

/** The upgrade target's `releasedAt` is still in the future: 409 `version_not_released`. */
/** The target is a preview: reachable by the header only, never by a pin. */
export class PreviewVersionError extends AdminError {
  override name = "PreviewVersionError";
  constructor(readonly version: string) {
    super("version_is_preview", `Version ${version} is a preview: send it in the version header to try it; an account cannot be pinned to it.`, 409);
  }
  protected override problemExtensions() {
    return { version: this.version };
  }
}

export class VersionNotReleasedError extends AdminError {
  override name = "VersionNotReleasedError";
  constructor(
    readonly version: string,
    readonly releasedAt: Date,
  ) {
    super("version_not_released", `Version ${version} is released on ${releasedAt.toISOString()}; it cannot be chosen before then.`, 409);
  }
  protected override problemExtensions() {
    return { version: this.version, releasedAt: this.releasedAt.toISOString() };
  }
}

/** The last change was an upgrade, but longer ago than the rollback window: 409 `rollback_window_closed`. */
export class RollbackWindowClosedError extends AdminError {
  override name = "RollbackWindowClosedError";
  constructor(
    readonly from: string,
    readonly to: string,
    readonly closedAt: Date,
  ) {
    super(
      "rollback_window_closed",
      `The upgrade from ${from} to ${to} can no longer be rolled back: the rollback window closed at ${closedAt.toISOString()}.`,
      409,
    );
  }
  protected override problemExtensions() {
    return { from: this.from, to: this.to, closedAt: this.closedAt.toISOString() };
  }
}

/** There is no recent upgrade to undo: 409 `nothing_to_roll_back`. */
export class NothingToRollBackError extends AdminError {
  override name = "NothingToRollBackError";
  constructor(detail: string) {
    super("nothing_to_roll_back", detail, 409);
  }
}

/** The pin store failed: 503 `pin_store_unavailable`, with `retryAfter` seconds. */
export class AdminStoreUnavailableError extends AdminError {
  override name = "AdminStoreUnavailableError";
  constructor(
    readonly retryAfterSeconds: number,
    cause?: unknown,
  ) {
    super("pin_store_unavailable", "The API version settings cannot be reached right now; retry shortly.", 503, { cause });
  }
  protected override problemExtensions() {
    return { retryAfter: this.retryAfterSeconds };
  }
}

/** Unsupported method on a known admin path: 405 `method_not_allowed`. */
export class AdminMethodNotAllowedError extends AdminError {
  override name = "AdminMethodNotAllowedError";
  constructor(
    method: string,
    readonly allow: readonly string[],
  ) {
    super("method_not_allowed", `${method} is not supported here; use ${allow.join(" or ")}.`, 405);
  }
}

/**
 * What an admin request wants to do; passed to `authorize`.
 *
 * @example
 * const authorize = (req: Request, action: AdminAction) => action === "read" || isOwner(req);
 */
export type AdminAction = "read" | "upgrade" | "rollback";

const ACTION_WORDS: Record<AdminAction, string> = { read: "read", upgrade: "upgrade", rollback: "roll back" };
