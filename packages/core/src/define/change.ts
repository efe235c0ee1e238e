import { ConfigurationError } from "../errors";
import { routePattern, type RoutePattern, type RouteSpec } from "./route";
import type { FieldMove } from "../compile/field-moves";
import type { JsonObject, RequestShape, ResponseShape } from "../shapes";
import { checkSchemaDelta, type SchemaDelta } from "./schema-delta";

/** What a transform knows about the migration it is part of. */
export interface ChangeContext {
  /** The version that introduced this change. */
  readonly version: Version;
  /** The version the client speaks (the request's version, or the payload's target). */
  readonly clientVersion: Version;
  /** Params of this change's route pattern, as the request looked at this change's version. */
  readonly params: Readonly<Record<string, string>>;
  /** For a route change, which of its patterns the request matched. */
  readonly route?: RoutePattern;
  /** Scratch space shared by this change's request and response transforms for one request. */
  readonly state: Record<string, unknown>;
}

/** Old -> new, on the whole request. May change method, path, query, headers and body. */
export type RequestTransform = (request: RequestShape, ctx: ChangeContext) => void;
/** New -> old, on the whole response or error response: body, status and headers. */
export type ResponseTransform = (response: ResponseShape, ctx: ChangeContext) => void;
/** On one resource object; mutate it, or return a replacement. */
export type ResourceTransform = (resource: JsonObject, ctx: ChangeContext) => JsonObject | void;
/** New -> old, on a whole event (webhook) payload; mutate it, or return a replacement. */
export type EventTransform = (payload: JsonObject, ctx: ChangeContext) => JsonObject | void;

interface Described {
  /** One changelog line, written for the API's users. */
  description: string;
  /**
   * The change's effect on the API's contract (new -> old), for `@strata/openapi`: schema ops,
   * a function on the document, or `[]` when no shape changes. Without it, the documents
   * derived for older versions are marked approximate.
   */
  schema?: SchemaDelta;
}

/** A change to specific endpoints. `request` runs only when the request matches `routes`. */
export interface RouteChangeOptions extends Described {
  routes: RouteSpec | RouteSpec[];
  request?: RequestTransform;
  response?: ResponseTransform;
  error?: ResponseTransform;
}

/** A change to a resource type, wherever it appears: bodies, lists, nested objects, events. */
export interface ResourceChangeOptions extends Described {
  resource: string;
  /** Old -> new on each such resource in request bodies. */
  request?: ResourceTransform;
  /** New -> old on each such resource in response bodies and event payloads. */
  response?: ResourceTransform;
}

/** A change to every request and response (error formats, envelopes, headers). */
export interface GlobalChangeOptions extends Described {
  request?: RequestTransform;
  response?: ResponseTransform;
  error?: ResponseTransform;
  event?: EventTransform;
}

/** A behaviour change no transform can express; handlers ask `apiVersion.has(change)`. */
export interface SideEffectChangeOptions extends Described {
  sideEffect: true;
}

export type ChangeOptions = RouteChangeOptions | ResourceChangeOptions | GlobalChangeOptions | SideEffectChangeOptions;

/**
 * A defined change: immutable, validated, ready to attach to one version. One variant per
 * scope, told apart by `kind`.
 */
export type Change = RouteChange | ResourceChange | GlobalChange | SideEffectChange;

/** A change to specific endpoints (see {@link RouteChangeOptions}). */
export interface RouteChange {
  readonly kind: "route";
  readonly description: string;
  /** The change's effect on the contract (see {@link RouteChangeOptions.schema}). */
  readonly schema?: SchemaDelta;
  readonly routes: readonly RoutePattern[];
  readonly request?: RequestTransform;
  readonly response?: ResponseTransform;
  readonly error?: ResponseTransform;
  /**
   * Set by `moveEndpoint`, `moveEndpoints` and `moveQueryToBody`: the endpoints this change
   * moves. Moves of a version run before its other changes on requests (after them on
   * responses), so every other route change of the version names routes as they are in it.
   */
  readonly moves?: readonly EndpointMove[];
}

/** A change to a resource type wherever it appears (see {@link ResourceChangeOptions}). */
export interface ResourceChange {
  readonly kind: "resource";
  readonly description: string;
  /** The change's effect on the contract (see {@link RouteChangeOptions.schema}). */
  readonly schema?: SchemaDelta;
  readonly resource: string;
  /** Old -> new on each such resource in request bodies (and forward payloads). */
  readonly request?: ResourceTransform;
  /** New -> old on each such resource in responses and event payloads. */
  readonly response?: ResourceTransform;
  /**
   * The same effect as `request` / `response`, as data, set by the declarative field helpers
   * so the chain compiler can fuse consecutive ones (and, later, derive schemas).
   */
  readonly fieldMoves?: { readonly request?: readonly FieldMove[]; readonly response?: readonly FieldMove[] };
  /**
   * Set by declarative helpers whose transforms only read the resource and assign its own
   * top-level fields: a shallow copy is then all copy-on-write needs.
   */
  readonly topLevelOnly?: true;
}

/** A change to every request and response (see {@link GlobalChangeOptions}). */
export interface GlobalChange {
  readonly kind: "global";
  readonly description: string;
  /** The change's effect on the contract (see {@link RouteChangeOptions.schema}). */
  readonly schema?: SchemaDelta;
  readonly request?: RequestTransform;
  readonly response?: ResponseTransform;
  readonly error?: ResponseTransform;
  readonly event?: EventTransform;
}

/** A behaviour change handlers ask about with `apiVersion.has(change)`. */
export interface SideEffectChange {
  readonly kind: "side-effect";
  readonly description: string;
  /** The change's effect on the contract (see {@link RouteChangeOptions.schema}). */
  readonly schema?: SchemaDelta;
}

const KNOWN = new Set(["description", "routes", "resource", "request", "response", "error", "event", "sideEffect", "schema"]);
const TRANSFORMS = ["request", "response", "error", "event"] as const;

/**
 * Define one backwards-incompatible change: a changelog line and how to translate across it.
 * Validated here, so a typo fails at startup with the change's description in the message.
 *
 * @example
 * const ownerIdToExternalId = change({
 *   description: "`ownerId` is renamed to `externalId`.",
 *   resource: "key",
 *   request: (key) => { key.externalId = key.ownerId; delete key.ownerId; },
 *   response: (key) => { key.ownerId = key.externalId; delete key.externalId; },
 * });
 */
export function change(options: RouteChangeOptions): RouteChange;
export function change(options: ResourceChangeOptions): ResourceChange;
export function change(options: SideEffectChangeOptions): SideEffectChange;
export function change(options: GlobalChangeOptions): GlobalChange;
export function change(options: ChangeOptions): Change {
  const o = options as unknown as Partial<Record<string, unknown>>;
  if (typeof o !== "object" || o === null) throw new ConfigurationError("change(): expected an options object.");
  const description = typeof o.description === "string" ? o.description.trim() : "";
  if (!description) throw new ConfigurationError("change(): every change needs a non-empty `description` (it becomes a changelog line).");
  const name = `Change "${description}"`;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) throw new ConfigurationError(`${name}: unknown option \`${key}\`. Known options: ${[...KNOWN].join(", ")}.`, description);
  }
  for (const key of TRANSFORMS) {
    if (o[key] !== undefined && typeof o[key] !== "function") {
      throw new ConfigurationError(`${name}: \`${key}\` must be a function.`, description);
    }
  }
  const hasTransform = TRANSFORMS.some((k) => o[k] !== undefined);
  const schema = o.schema === undefined ? {} : { schema: checkSchemaDelta(o.schema, name) };

  if (o.sideEffect !== undefined) {
    if (o.sideEffect !== true) throw new ConfigurationError(`${name}: \`sideEffect\` must be true when given.`, description);
    if (hasTransform || o.routes !== undefined || o.resource !== undefined) {
      throw new ConfigurationError(`${name}: a side-effect change has no transforms and no scope; handlers query it with apiVersion.has(change).`, description);
    }
    return Object.freeze({ kind: "side-effect", description, ...schema });
  }
  if (!hasTransform) {
    throw new ConfigurationError(
      `${name} has no effect: give it a request, response, error or event transform, or mark it \`sideEffect: true\` if handlers check it.`,
      description,
    );
  }
  if (o.routes !== undefined && o.resource !== undefined) {
    throw new ConfigurationError(`${name}: give either \`routes\` or \`resource\`, not both.`, description);
  }
  if (o.resource !== undefined) {
    if (typeof o.resource !== "string" || !o.resource) throw new ConfigurationError(`${name}: \`resource\` must be a non-empty string.`, description);
    if (o.error !== undefined || o.event !== undefined) {
      throw new ConfigurationError(
        `${name}: a resource change has only \`request\` and \`response\` transforms (they also run on event payloads).`,
        description,
      );
    }
    return Object.freeze({ kind: "resource", description, resource: o.resource, ...pickTransforms(o, ["request", "response"]), ...schema });
  }
  if (o.routes !== undefined) {
    const specs = Array.isArray(o.routes) ? (o.routes as RouteSpec[]) : [o.routes as RouteSpec];
    if (specs.length === 0) throw new ConfigurationError(`${name}: \`routes\` is empty.`, description);
    if (o.event !== undefined)
      throw new ConfigurationError(`${name}: a route change has no \`event\` transform; use a resource or global change.`, description);
    const routes = Object.freeze(specs.map((s) => routePattern(s, name)));
    return Object.freeze({ kind: "route", description, routes, ...pickTransforms(o, ["request", "response", "error"]), ...schema });
  }
  return Object.freeze({ kind: "global", description, ...pickTransforms(o, TRANSFORMS), ...schema });
}

/** The transforms given, as validated above (each a function). */
function pickTransforms(o: Partial<Record<string, unknown>>, keys: readonly string[]): Record<string, never> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (o[key] !== undefined) out[key] = o[key];
  return out as Record<string, never>;
}

/** One endpoint move: requests matching `from` (and none of `except`) go to `to`. */
export interface EndpointMove {
  readonly from: RoutePattern;
  readonly to: RoutePattern;
  readonly except: readonly RoutePattern[];
}

/** @internal Attach the data form of a declarative change's field moves. */
export function withMoves(c: ResourceChange, moves: NonNullable<ResourceChange["fieldMoves"]>): ResourceChange {
  return Object.freeze({ ...c, fieldMoves: Object.freeze(moves), topLevelOnly: true as const });
}

/** @internal Mark a route change as moving endpoints (see `RouteChange.moves`). */
export function withEndpointMoves(c: RouteChange, moves: readonly EndpointMove[]): RouteChange {
  return Object.freeze({ ...c, moves: Object.freeze([...moves]) });
}

/** @internal Mark a declarative resource change whose transforms assign only top-level fields. */
export function topLevelOnly(c: ResourceChange): ResourceChange {
  return Object.freeze({ ...c, topLevelOnly: true as const });
}

// The version model lives beside the change model: each refers to the other.

/** One entry of the version list, as written in the configuration. */
export interface VersionDefinition {
  /** `2024-06-20`, `2024-09-30.acacia`, `1.1`, ... under the configured scheme. */
  id: string;
  /** The changes this version introduced, in the order they apply to requests. */
  changes?: readonly Change[];
  /** A summary for the changelog. */
  description?: string;
  /** Defaults to the date in the id under the date scheme. */
  releasedAt?: string | Date;
  /** From this date responses carry `Deprecation` (RFC 9745). */
  deprecatedAt?: string | Date;
  /** From this date the version answers 410; before it responses carry `Sunset` (RFC 8594). */
  sunsetAt?: string | Date;
  /**
   * A preview (Stripe's `2025-04-30.preview`): newer than every stable version, served only to
   * requests that name it in the header; never chosen by a pin, a default or an upgrade.
   */
  preview?: boolean;
  /** The upgrade guide for clients of this version: linked from `Link` headers (rel `deprecation`, `sunset`). */
  upgradeGuide?: string;
}

/** A validated version. `ordinal` orders versions: 0 is the oldest. */
export interface Version {
  readonly id: string;
  readonly ordinal: number;
  readonly changes: readonly Change[];
  readonly description?: string;
  readonly releasedAt?: Date;
  readonly deprecatedAt?: Date;
  readonly sunsetAt?: Date;
  readonly preview?: true;
  readonly upgradeGuide?: string;
}
