import statuses from "statuses";

/**
 * One error hierarchy for everything Strata refuses. Each error has a stable `code` (for
 * programs), an HTTP `status` (for the middleware) and renders as RFC 9457 problem+json.
 */

/** An RFC 9457 problem details object, as Strata renders it. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extension: string]: unknown;
}

/**
 * A problem's `type` when the app names no base for them (RFC 9457: the problem means what its
 * status means; `code` tells programs which one it is).
 */
export const DEFAULT_PROBLEM_TYPE = "about:blank";

/** Options for rendering a problem. */
export interface ProblemOptions {
  /** Prefix of the `type` URI; the code, with dashes, is appended. */
  typeBase?: string;
}

/**
 * The `type` URI of a problem code: `invalid_version` -> `<base>invalid-version` when the app
 * documents its problems under `typeBase`, else `about:blank`.
 */
export function problemType(code: string, typeBase?: string): string {
  return typeBase === undefined ? DEFAULT_PROBLEM_TYPE : `${typeBase}${code.replace(/_/g, "-")}`;
}

/**
 * Marks Strata's errors across installed copies of `@strata/core`: an app with two copies (a
 * store built against another release) still recognises every Strata error, which a plain
 * `instanceof` of one copy's class would not.
 */
const BRAND = Symbol.for("@strata/core.StrataError");

/** Whether `value` is a Strata error, from this or any other installed copy of `@strata/core`. */
export function isStrataError(value: unknown): value is StrataError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Root of every error Strata throws. `code` never changes between releases. */
export class StrataError extends Error {
  /** `err instanceof StrataError` is true for Strata errors of any installed copy of core. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep the ordinary prototype check: the brand says "a Strata error", not which.
    return this === StrataError ? isStrataError(value) : Function.prototype[Symbol.hasInstance].call(this, value);
  }

  override name = "StrataError";
  declare readonly [BRAND]: true;
  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Extra members for the problem+json body; leaves add their data here. */
  protected problemExtensions(): Record<string, unknown> {
    return {};
  }

  /** Render as problem+json. Server-side errors (5xx) never carry their cause's message. */
  toProblem(options: ProblemOptions = {}): ProblemDetails {
    return {
      type: problemType(this.code, options.typeBase),
      title: problemTitle(this.status),
      status: this.status,
      detail: this.message,
      code: this.code,
      ...this.problemExtensions(),
    };
  }
}

/** The version configuration (or a change) is wrong; thrown at startup, names the offender. */
export class ConfigurationError extends StrataError {
  override name = "ConfigurationError";
  constructor(
    message: string,
    /** What is wrong: a version id, a change description, an option name. */
    readonly offender?: string,
  ) {
    super("invalid_configuration", message, 500);
  }
}

/** A client named a version this API cannot serve: the 400s, which list what it can. */
abstract class ClientVersionError extends StrataError {
  constructor(
    code: string,
    message: string,
    readonly version: string,
    readonly supported: readonly string[],
    readonly header?: string,
  ) {
    super(code, message, 400);
  }
  protected override problemExtensions() {
    return { version: truncate(this.version), supported: [...this.supported] };
  }
}

/** The client sent a version string that does not parse under the configured scheme. */
export class InvalidVersionError extends ClientVersionError {
  override name = "InvalidVersionError";
  constructor(version: string, supported: readonly string[], header?: string, hint?: string) {
    const what = header ? `The ${header} header value` : "The version";
    const fix = hint ? `: ${hint}` : "";
    super(
      "invalid_version",
      `${what} "${truncate(version)}" is not a valid version${fix}. Supported versions: ${supported.join(", ")}.`,
      version,
      supported,
      header,
    );
  }
}

/** The client asked for a well-formed version this API does not have. */
export class UnsupportedVersionError extends ClientVersionError {
  override name = "UnsupportedVersionError";
  constructor(version: string, supported: readonly string[], header?: string) {
    super("unsupported_version", `Version "${truncate(version)}" is not supported. Supported versions: ${supported.join(", ")}.`, version, supported, header);
  }
}

/** The version header names a version the URL's major (`/v1`) does not serve. */
export class VersionNotInMajorError extends StrataError {
  override name = "VersionNotInMajorError";
  constructor(
    readonly version: string,
    readonly prefix: string,
    readonly serves: string,
    header?: string,
  ) {
    super(
      "version_not_in_major",
      `${header ?? "The version header"} ${truncate(version)} is not served under ${prefix}, which serves ${serves}. Call the URL of that version's major, or send a version it serves.`,
      400,
    );
  }
  protected override problemExtensions() {
    return { version: truncate(this.version), prefix: this.prefix, serves: this.serves };
  }
}

/** The version is past its sunset date; the client must upgrade. */
export class VersionSunsetError extends StrataError {
  override name = "VersionSunsetError";
  constructor(
    readonly version: string,
    readonly sunsetAt: Date,
    readonly upgradeTo: string,
    readonly supported: readonly string[],
  ) {
    super(
      "version_sunset",
      `Version ${version} was retired on ${sunsetAt.toISOString().slice(0, 10)}. Upgrade to ${upgradeTo} or later; see the changelog for what changed.`,
      410,
    );
  }
  protected override problemExtensions() {
    return { version: this.version, sunset: this.sunsetAt.toISOString(), upgradeTo: this.upgradeTo, supported: [...this.supported] };
  }
}

/** The endpoint does not exist at the client's version (it was added later, or removed). */
export class EndpointNotFoundError extends StrataError {
  override name = "EndpointNotFoundError";
  constructor(
    readonly method: string,
    readonly path: string,
    readonly version: string,
    readonly availableFrom?: string,
  ) {
    super(
      "endpoint_not_found",
      availableFrom
        ? `${method} ${path} does not exist in version ${version}; it is available from version ${availableFrom}.`
        : `${method} ${path} does not exist in version ${version}.`,
      404,
    );
  }
  protected override problemExtensions() {
    return this.availableFrom ? { availableFrom: this.availableFrom } : {};
  }
}

/** A change's transform threw. Names the change, its version and the direction. */
export class MigrationError extends StrataError {
  override name = "MigrationError";
  constructor(
    readonly change: string,
    readonly version: string,
    readonly direction: "request" | "response" | "error" | "event",
    cause: unknown,
  ) {
    super(
      "migration_failed",
      `The ${direction} transform of change "${change}" (version ${version}) failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      500,
      { cause },
    );
  }
  override toProblem(options: ProblemOptions = {}): ProblemDetails {
    // The client learns that a compatibility layer failed, not how: details stay in the logs.
    return { ...super.toProblem(options), detail: "The API could not translate this request for your API version." };
  }
}

/** The pin store could not be reached and the middleware is configured to fail closed. */
export class PinStoreUnavailableError extends StrataError {
  override name = "PinStoreUnavailableError";
  constructor(
    readonly retryAfterSeconds: number,
    cause?: unknown,
  ) {
    super("pin_store_unavailable", "The API version of this account cannot be determined right now; retry shortly.", 503, { cause });
  }
  protected override problemExtensions() {
    return { retryAfter: this.retryAfterSeconds };
  }
}

/** The standard reason phrase for a status (from `statuses`), used as a problem's `title`. */
export function problemTitle(status: number): string {
  return statuses.message[status] ?? (status >= 500 ? "Server Error" : "Client Error");
}

/** Client input is echoed back in errors: keep it short so errors stay small and readable. */
function truncate(value: string): string {
  return value.length > 64 ? `${value.slice(0, 61)}...` : value;
}
