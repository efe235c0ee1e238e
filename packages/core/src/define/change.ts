import { ConfigurationError } from "../errors";
import { routePattern, type RoutePattern, type RouteSpec } from "./route";
import type { FieldMove } from "../compile/field-moves";
import type { JsonObject, RequestShape, ResponseShape } from "../shapes";

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

/** A defined change: immutable, validated, ready to attach to one version. */
export interface Change {
  readonly kind: "route" | "resource" | "global" | "side-effect";
  readonly description: string;
  readonly routes: readonly RoutePattern[];
  readonly resource?: string;
  readonly request?: RequestTransform;
  readonly response?: ResponseTransform;
  readonly error?: ResponseTransform;
  readonly event?: EventTransform;
  readonly resourceRequest?: ResourceTransform;
  readonly resourceResponse?: ResourceTransform;
  /**
   * @internal The same effect as `resourceRequest` / `resourceResponse`, as data, set by the
   * declarative field helpers so the chain compiler can fuse consecutive ones.
   */
  readonly fieldMoves?: { readonly request?: readonly FieldMove[]; readonly response?: readonly FieldMove[] };
  /**
   * @internal Set by `moveEndpoint` and `moveQueryToBody`: the endpoints this change moves.
   * Moves of a version run before its other changes on requests (after them on responses), so
   * every other route change of the version names routes as they are in that version.
   */
  readonly moves?: readonly EndpointMove[];
  /**
   * @internal Set by declarative helpers whose resource transforms only read the resource and
   * assign its own top-level fields: a shallow copy is then all copy-on-write needs.
   */
  readonly topLevelOnly?: true;
}

const KNOWN = new Set(["description", "routes", "resource", "request", "response", "error", "event", "sideEffect"]);
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
export function change(options: RouteChangeOptions): Change;
export function change(options: ResourceChangeOptions): Change;
export function change(options: SideEffectChangeOptions): Change;
export function change(options: GlobalChangeOptions): Change;
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

  if (o.sideEffect !== undefined) {
    if (o.sideEffect !== true) throw new ConfigurationError(`${name}: \`sideEffect\` must be true when given.`, description);
    if (hasTransform || o.routes !== undefined || o.resource !== undefined) {
      throw new ConfigurationError(`${name}: a side-effect change has no transforms and no scope; handlers query it with apiVersion.has(change).`, description);
    }
    return Object.freeze({ kind: "side-effect", description, routes: [] });
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
      throw new ConfigurationError(`${name}: a resource change has only \`request\` and \`response\` transforms (they also run on event payloads).`, description);
    }
    return Object.freeze({
      kind: "resource",
      description,
      routes: [],
      resource: o.resource,
      ...(o.request ? { resourceRequest: o.request as ResourceTransform } : {}),
      ...(o.response ? { resourceResponse: o.response as ResourceTransform } : {}),
    });
  }
  if (o.routes !== undefined) {
    const specs = Array.isArray(o.routes) ? (o.routes as RouteSpec[]) : [o.routes as RouteSpec];
    if (specs.length === 0) throw new ConfigurationError(`${name}: \`routes\` is empty.`, description);
    if (o.event !== undefined) throw new ConfigurationError(`${name}: a route change has no \`event\` transform; use a resource or global change.`, description);
    return Object.freeze({ kind: "route", description, routes: Object.freeze(specs.map((s) => routePattern(s, name))), ...pickTransforms(o) });
  }
  return Object.freeze({ kind: "global", description, routes: [], ...pickTransforms(o) });
}

function pickTransforms(o: Partial<Record<string, unknown>>): Partial<Change> {
  const out: Record<string, unknown> = {};
  for (const key of TRANSFORMS) if (o[key] !== undefined) out[key] = o[key];
  return out as Partial<Change>;
}

/** One endpoint move: requests matching `from` (and none of `except`) go to `to`. */
export interface EndpointMove {
  readonly from: RoutePattern;
  readonly to: RoutePattern;
  readonly except: readonly RoutePattern[];
}

/** @internal Attach the data form of a declarative change's field moves. */
export function withMoves(c: Change, moves: NonNullable<Change["fieldMoves"]>): Change {
  return Object.freeze({ ...c, fieldMoves: Object.freeze(moves), topLevelOnly: true as const });
}

/** @internal Mark a route change as moving endpoints (see `Change.moves`). */
export function withEndpointMoves(c: Change, moves: readonly EndpointMove[]): Change {
  return Object.freeze({ ...c, moves: Object.freeze([...moves]) });
}

/** @internal Mark a declarative change whose transforms assign only top-level fields. */
export function topLevelOnly(c: Change): Change {
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
}
