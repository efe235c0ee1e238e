import "./augment";

export { versioning, type VersioningMiddleware } from "./versioning";
export type { VersioningOptions } from "./options";
export { strataErrorHandler, sendProblem, problemFor, type ErrorHandlerOptions } from "./problem";
export { apiVersionOf } from "./augment";
export { InvalidBodyError } from "./read-json";
export { PinCache } from "@strata/core";
export { routesOf, assertRoutes } from "./routes-of";
export * from "./admin/index";
export { requestIdOf } from "./request-id";
export { ResponseContractError, type ResponseContracts } from "./response-contracts";
export type { ResolvedEvent, UsageOption } from "./usage";
export { usageMetrics, type MeterLike } from "./usage-metrics";
export { serveOpenApi, type ServeOpenApiOptions, type VersionDocuments } from "./openapi-route";
export { SETTINGS as STRATA_SETTINGS } from "./app-settings";
