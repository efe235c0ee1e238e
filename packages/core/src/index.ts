// Versions and changes
export { defineVersions, type DefineVersionsOptions, type VersionSet } from "./version-set";
export type { Version, VersionDefinition } from "./define/change";
export { lifecycleOf, sunsetErrorFor, lifecycleHeaders } from "./resolve/lifecycle";
export {
  change,
  type Change,
  type RouteChange,
  type ResourceChange,
  type GlobalChange,
  type SideEffectChange,
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
  type EndpointMove,
} from "./define/change";
export { renameField, addField, removeField, renameEnumValues } from "./define/fields";
export { moveEndpoint, moveEndpoints, moveQueryToBody, addEndpoint, type MoveOptions, QueryValueError, type QueryValueType } from "./define/endpoints";
export { dateScheme, semverScheme, customScheme, type VersionScheme, type CustomSchemeOptions, type SchemeOption } from "./define/schemes";
export { routePattern, type RouteSpec, type RoutePattern } from "./define/route";
export type { SchemaDelta, SchemaOp, SchemaTransform, SchemaTools, SchemaOperation } from "./define/schema-delta";

// Migration
export { RequestMigration } from "./run/migrator";
export { ApiVersion, type VersionSource } from "./resolve/api-version";

// Resolution (framework-free; adapters pass their request type)
export { VersionResolver, type Resolution, type ResolverOptions } from "./resolve/resolver";
export { PinCache } from "./resolve/pin-cache";
export { compileMajors, type MajorSpec, type Major } from "./resolve/majors";
export type { RequestShape, ResponseShape, JsonObject } from "./shapes";
export { isJsonObject } from "./shapes";
export { byObjectField, type ResourceIdentifier } from "./run/walk";
export type { WalkGuide } from "./run/guided-walk";
export { stripPollutingKeys } from "./run/safe-object";

// Changelog
export { buildChangelog, renderChangelog, type ChangelogEntry } from "./changelog";

// Options of every factory, checked once
export { checkOptions, option, type OptionRule } from "./define/options";

// Errors
export {
  StrataError,
  isStrataError,
  ConfigurationError,
  InvalidVersionError,
  UnsupportedVersionError,
  VersionSunsetError,
  VersionNotInMajorError,
  EndpointNotFoundError,
  MigrationError,
  PinStoreUnavailableError,
  problemTitle,
  problemType,
  DEFAULT_PROBLEM_TYPE,
  type ProblemDetails,
  type ProblemOptions,
} from "./errors";

// Pins
export * from "./pins/pin-store";
export { memoryPins } from "./pins/memory-pins";
export {
  addUsage,
  checkUsageDay,
  checkUsageRows,
  compareUsage,
  matchesUsage,
  usageKey,
  type UsageRow,
  type UsageQuery,
  type UsageStore,
  type UsageSource,
} from "./pins/usage";
export { usageRecorder, type UsageRecorder, type UsageRecorderOptions } from "./pins/usage-recorder";

// Startup checks
export { findDeadRouteChanges, assertNoDeadRouteChanges, type HandlerCheck } from "./compile/dead-changes";
export { payloadForAccount, type RenderedPayload } from "./webhooks/payload-for-account";
export { PinListeners } from "./pins/pin-listeners";
export { withDeadline, PinStoreTimeoutError } from "./pins/deadline";
