import { readFileSync } from "node:fs";
import { checkOptions, ConfigurationError, isJsonObject, option, type JsonObject, type Version, type VersionSet } from "@strata/core";
import { escapeSegment, type OpenApiDocument } from "./document/schemas";
import { deriveDocuments, type DerivedDocument } from "./derive/derive";
import type { Approximation } from "./derive/decorate";
import { resourceFinder, type ResourceLocator } from "./derive/resources";
import { runContractCheck } from "./check/contract-check";
import { resolveExamples, type ContractExample } from "./check/registered";
import { formatReport, type ContractReport } from "./check/report";
import { DocumentValidator, newAjv, type SchemaViolation } from "./check/validators";
import { diffDocuments, type ContractDifference } from "./diff";
import { walkGuides, type WalkGuides } from "./guide/walk-guides";

/** Options of {@link defineContracts}. */
export interface ContractsOptions {
  versions: VersionSet;
  /** The head (newest) OpenAPI 3.1 document: an object, or the path of a JSON file. */
  document: OpenApiDocument | string;
  /** Where each resource's schema is in the head document (see {@link ResourceLocator}). */
  resources?: Record<string, ResourceLocator>;
  /** The version header, documented on every operation. Default `Api-Version` (as `versioning()`); `false` for none. */
  header?: string | false;
  /** The clock that decides which versions are deprecated. Default: the current time, read once. */
  now?: Date;
  /**
   * For APIs with the major version in the URL: the version a path fixes (what `fromRequest`
   * reads from it), or `undefined` when any version serves it. A version's document leaves out
   * the paths fixed to other versions.
   *
   * @example
   * pathVersion: (path) => (path.startsWith("/customer/v1/") ? "1.0" : undefined)
   */
  pathVersion?: (path: string) => string | undefined;
  /**
   * JSON Schemas of resources, by resource name, for those the document does not describe
   * (resources only events carry, say): added to the head document's `components.schemas`
   * under the resource's name and derived per version like the rest.
   */
  schemas?: Record<string, JsonObject>;
  /** Examples besides the document's own: real old requests, recorded responses (see {@link ContractExample}). */
  examples?: readonly ContractExample[];
}

/** Every version's contract, derived once from the head document and the chain. */
export interface Contracts {
  readonly versions: VersionSet;
  /** The document of a version (frozen): `info.version` set, the changes since undone. */
  document(version: string | Version): OpenApiDocument;
  /** A resource's schema as `version` has it (from the document, or `schemas`), refs followed; `undefined` when neither has it. */
  resourceSchema(version: string | Version, resource: string): JsonObject | undefined;
  /** Every derived document, newest first. */
  readonly documents: readonly DerivedDocument[];
  /** Changes whose effect the derived documents only approximate, newest first. */
  readonly approximate: readonly Approximation[];
  /** What changed between two versions' documents, classified (`breaking`) for clients of `from`. */
  diff(from: string | Version, to: string | Version): ContractDifference[];
  /** Migrate every example of the head document to every version and back (see docs/openapi.md). */
  check(): ContractReport;
  /**
   * The breaking-change gate: compare the head document of the last release (a file the team
   * commits) with what the chain now derives for that release's version. A breaking
   * difference is one no change accounts for: clients of that version would see it.
   */
  compareReleased(released: OpenApiDocument | string, version?: string): ReleasedComparison;
  /**
   * Where the head document says resources can be in each response, for
   * `versioning({ walkGuides })`: the chain's walk then enters only there (docs/openapi.md).
   */
  readonly walkGuides: WalkGuides;
  /**
   * Check a response a client of `version` got against that version's document. `[]` when it
   * fits; `undefined` when the document has no such operation.
   */
  validateResponse(
    version: string | Version,
    response: { method: string; path: string; status: number; body: unknown; contentType?: string },
  ): SchemaViolation[] | undefined;
}

/** What {@link Contracts.compareReleased} found. */
export interface ReleasedComparison {
  /** The version the released document describes. */
  readonly version: string;
  /** Every difference between the released document and the one derived now for its version. */
  readonly differences: readonly ContractDifference[];
  /** The breaking ones: what fails the gate. */
  readonly breaking: readonly ContractDifference[];
}

/**
 * Derive one OpenAPI document per version from the head document and the change chain, and
 * compile them for checks. Validated here, once.
 *
 * @example
 * const contracts = defineContracts({ versions, document: "openapi/head.json", resources: { key: "Key" } });
 * contracts.document("2024-01-01"); // the v1 contract
 */
export function defineContracts(options: ContractsOptions): Contracts {
  checkOptions("defineContracts()", options, {
    versions: option.required(option.custom((v) => isJsonObject(v) && Array.isArray((v as { list?: unknown }).list), "the VersionSet from defineVersions()")),
    document: option.required(option.custom((v) => typeof v === "string" || isJsonObject(v), "an OpenAPI 3.1 document, or the path of a JSON file")),
    resources: option.custom(isJsonObject, "an object mapping resource names to component names, pointers or tests"),
    header: option.custom((v) => v === false || (typeof v === "string" && v !== ""), "a header name, or false"),
    now: option.custom((v) => v instanceof Date && !Number.isNaN(v.getTime()), "a Date"),
    pathVersion: option.function("a function (path) => version id or undefined"),
    examples: option.custom(Array.isArray, "a list of { version, operation, request, response } examples"),
    schemas: option.custom((v) => isJsonObject(v) && Object.values(v).every(isJsonObject), "an object mapping resource names to JSON Schemas"),
  });
  const { versions } = options;
  const head = withSchemas(loadDocument(options.document), options.schemas ?? {});
  const locators: Record<string, ResourceLocator> = { ...(options.resources ?? {}) };
  for (const name of Object.keys(options.schemas ?? {})) locators[name] ??= `#/components/schemas/${escapeSegment(name)}`;
  const findResource = resourceFinder(locators);
  const derived = deriveDocuments(versions, head, findResource, {
    header: options.header ?? "Api-Version",
    now: options.now ?? new Date(),
    ...(options.pathVersion ? { pathVersion: options.pathVersion } : {}),
  });
  const ajv = newAjv();
  const validators = new Map<Version, DocumentValidator>();
  const validatorOf = (v: Version): DocumentValidator => {
    let found = validators.get(v);
    if (!found) validators.set(v, (found = new DocumentValidator(ajv, `strata-openapi:${encodeURIComponent(v.id)}`, derived.get(v)!.document)));
    return found;
  };
  const lookup = (v: string | Version): Version => (typeof v === "string" ? versions.resolve(v) : v);
  const documents = versions.list.map((v) => derived.get(v)!);
  const approximate = Object.freeze([...documents[documents.length - 1]!.approximate]);
  const subject = { versions, documentOf: (v: Version) => derived.get(v)!.document, validatorOf, approximate };
  const registered = resolveExamples(versions, options.examples ?? [], validatorOf);

  return Object.freeze({
    versions,
    documents,
    approximate,
    walkGuides: walkGuides(versions, derived.get(versions.latest)!.document, findResource),
    document: (v: string | Version) => derived.get(lookup(v))!.document,
    resourceSchema(v: string | Version, resource: string) {
      const doc = derived.get(lookup(v))!.document;
      try {
        return findResource(doc, resource)[0];
      } catch {
        return undefined; // a locator naming a component this version's document lacks
      }
    },
    diff: (from: string | Version, to: string | Version) => diffDocuments(derived.get(lookup(from))!.document, derived.get(lookup(to))!.document),
    check: () => runContractCheck(subject, registered),
    compareReleased(source: OpenApiDocument | string, id?: string) {
      const released = loadDocument(source);
      const named = id ?? (isJsonObject(released.info) ? released.info.version : undefined);
      const version = typeof named === "string" ? versions.get(named) : undefined;
      if (!version) {
        throw new ConfigurationError(
          `The released document is for version ${JSON.stringify(named)}, which is not one of ${versions.supported.join(", ")}: name its version explicitly.`,
          "version",
        );
      }
      const differences = diffDocuments(released, derived.get(version)!.document);
      return { version: version.id, differences, breaking: differences.filter((d) => d.breaking) };
    },
    validateResponse(v: string | Version, r: { method: string; path: string; status: number; body: unknown; contentType?: string }) {
      const validator = validatorOf(lookup(v));
      const op = validator.operations.find(r.method.toUpperCase(), r.path);
      if (!op) return undefined;
      const check = validator.response(op, r.status, r.contentType);
      return check ? check(r.body) : [{ pointer: "", message: `status ${r.status} is not described for ${op.label}` }];
    },
  });
}

/**
 * Fail a test when the chain does not deliver what the documents promise: the jest-friendly
 * form of {@link Contracts.check}. Returns the report when every example passes.
 *
 * @example
 * it("keeps every version's contract", () => { checkContracts(contracts); });
 */
export function checkContracts(contracts: Contracts): ContractReport {
  const report = contracts.check();
  if (!report.ok) throw new ContractCheckError(report);
  return report;
}

/** Thrown by {@link checkContracts}: its message lists every failure. */
export class ContractCheckError extends Error {
  override name = "ContractCheckError";
  constructor(readonly report: ContractReport) {
    super(formatReport(report));
  }
}

/** The head document with the given resource schemas added as components (a copy: the caller's stays as given). */
function withSchemas(doc: OpenApiDocument, schemas: Record<string, JsonObject>): OpenApiDocument {
  if (Object.keys(schemas).length === 0) return doc;
  const out = structuredClone(doc);
  const components = ((out.components as JsonObject | undefined) ??= {});
  const all = ((components.schemas as JsonObject | undefined) ??= {});
  for (const [name, schema] of Object.entries(schemas)) {
    if (all[name] !== undefined)
      throw new ConfigurationError(
        `defineContracts(): \`schemas.${name}\`: the document already has a component schema named "${name}"; locate it with \`resources\` instead.`,
        name,
      );
    all[name] = structuredClone(schema);
  }
  return out;
}

function loadDocument(source: OpenApiDocument | string): OpenApiDocument {
  let doc: unknown = source;
  if (typeof source === "string") {
    try {
      doc = JSON.parse(readFileSync(source, "utf8"));
    } catch (err) {
      throw new ConfigurationError(`defineContracts(): cannot read the OpenAPI document ${source}: ${(err as Error).message}`, "document");
    }
  }
  if (!isJsonObject(doc) || typeof doc.openapi !== "string" || !doc.openapi.startsWith("3.1")) {
    throw new ConfigurationError(
      `defineContracts(): the document must be OpenAPI 3.1 (its \`openapi\` field is ${JSON.stringify(isJsonObject(doc) ? doc.openapi : doc)}).`,
      "document",
    );
  }
  return doc;
}
