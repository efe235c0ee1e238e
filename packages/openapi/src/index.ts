// Per-version documents
export { defineContracts, checkContracts, ContractCheckError, type Contracts, type ContractsOptions, type ReleasedComparison } from "./contracts";
export type { DerivedDocument } from "./derive/derive";
export type { Approximation } from "./derive/decorate";
export type { ResourceLocator } from "./derive/resources";
export { SchemaDeltaError } from "./derive/errors";
export type { OpenApiDocument } from "./document/schemas";

// Guided walks
export type { WalkGuides } from "./guide/walk-guides";

// Checks
export { formatReport, type ContractReport, type ContractFailure } from "./check/report";
export type { ContractExample } from "./check/registered";
export type { SchemaViolation } from "./check/validators";

// Differences between documents
export { diffDocuments, type ContractDifference } from "./diff";
