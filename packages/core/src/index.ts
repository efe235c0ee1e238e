// Versions and changes
export { defineVersions, type DefineVersionsOptions, type VersionSet } from "./define-versions";
export type { Version, VersionDefinition } from "./version";
export { lifecycleOf, sunsetErrorFor } from "./version";
export {
  change,
  type Change,
  type ChangeContext,
  type ChangeOptions,
  type RouteChangeOptions,
  type ResourceChangeOptions,
  type GlobalChangeOptions,
  type SideEffectChangeOptions,
  type RequestTransform,
  type ResponseTransform,
  type ResourceTransform,
  type EventTransform,
} from "./change";
export { renameField, addField, removeField, renameEnumValues } from "./declarative/fields";
export { moveEndpoint, moveQueryToBody, addEndpoint, QueryValueError, type QueryValueType } from "./declarative/endpoints";
export { dateScheme, semverScheme, customScheme, type VersionScheme, type CustomSchemeOptions, type SchemeOption } from "./schemes";
export { routePattern, type RouteSpec, type RoutePattern } from "./route";

// Migration
export { RequestMigration } from "./migrator";
export { ApiVersion, type VersionSource } from "./api-version";
export type { RequestShape, ResponseShape, JsonObject } from "./shapes";
export { isJsonObject } from "./shapes";
export { byObjectField, type ResourceIdentifier } from "./walk";
export { stripPollutingKeys } from "./safe-object";

// Changelog
export { buildChangelog, renderChangelog, type ChangelogEntry } from "./changelog";

// Errors
export {
  StrataError,
  isStrataError,
  ConfigurationError,
  InvalidVersionError,
  UnsupportedVersionError,
  VersionSunsetError,
  EndpointNotFoundError,
  MigrationError,
  PinStoreUnavailableError,
  problemTitle,
  problemType,
  DEFAULT_PROBLEM_TYPE_BASE,
  type ProblemDetails,
  type ProblemOptions,
} from "./errors";

// Pins
export * from "./pins/pin-store";
export { memoryPins } from "./pins/memory-pins";

// Startup checks
export { findDeadRouteChanges, assertNoDeadRouteChanges, type HandlerCheck } from "./dead-changes";
export { payloadForAccount, type RenderedPayload } from "./pins/payload-for-account";
export { PinListeners } from "./pins/pin-listeners";
export { withDeadline, PinStoreTimeoutError } from "./pins/deadline";
