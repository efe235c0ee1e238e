import { change, withEndpointMoves, type Change } from "./change";
import { ConfigurationError, EndpointNotFoundError, StrataError } from "../errors";
import { routePattern, type RoutePattern, type RouteSpec } from "./route";
import { stripPollutingKeys } from "../run/safe-object";

/** Options of {@link moveEndpoint} and {@link moveEndpoints}. */
export interface MoveOptions {
  description?: string;
  /**
   * Requests the source pattern matches but that must not move (left as they are, for another
   * change of the version to answer): `GET /v1/licenses/locations` under `GET /v1/licenses/:id`.
   */
  except?: RouteSpec[];
}

/**
 * An endpoint moved (path, method, or both). Params carry over by name:
 * `GET /customer/v1/licenses/:id/ips` -> `GET /customer/v2/licenses/:id/ips`; a param the
 * target path lacks moves to the query string (`GET /v1/keys/:keyId` -> `GET /v2/keys?keyId=`).
 * A target param the source cannot supply is refused here, at startup. Moves run before the
 * other changes of their version, so those name the endpoint by its new route.
 *
 * @example
 * moveEndpoint("GET /customer/v1/locations", "GET /customer/v2/licenses/locations")
 */
export function moveEndpoint(from: RouteSpec, to: RouteSpec, options: MoveOptions = {}): Change {
  const owner = `moveEndpoint(${JSON.stringify(from)}, ${JSON.stringify(to)})`;
  const src = routePattern(from, owner);
  const dst = routePattern(to, owner);
  return movesChange([[src, dst]], options.description ?? `\`${src.label}\` moved to \`${dst.label}\`.`, options.except ?? [], owner);
}

/**
 * Several endpoints moved as one changelog entry: `[from, to]` pairs, each like
 * {@link moveEndpoint}.
 *
 * @example
 * moveEndpoints([["POST /v1/keys.createKey", "POST /v2/keys.createKey"], ["POST /v1/apis.createApi", "POST /v2/apis.createApi"]], { description: "Every endpoint moved from `/v1/` to `/v2/`." })
 */
export function moveEndpoints(pairs: readonly (readonly [RouteSpec, RouteSpec])[], options: MoveOptions & { description: string }): Change {
  const owner = "moveEndpoints()";
  if (!Array.isArray(pairs) || pairs.length === 0) throw new ConfigurationError(`${owner}: give at least one [from, to] pair.`, owner);
  if (typeof options?.description !== "string")
    throw new ConfigurationError(`${owner}: \`description\` is required: one changelog line for all the moves.`, owner);
  const patterns = pairs.map(([from, to]) => [routePattern(from, owner), routePattern(to, owner)] as const);
  return movesChange(patterns, options.description, options.except ?? [], owner);
}

function movesChange(pairs: readonly (readonly [RoutePattern, RoutePattern])[], description: string, except: readonly RouteSpec[], owner: string): Change {
  const excluded = except.map((spec) => routePattern(spec, owner));
  const moves = pairs.map(([src, dst]) => {
    if (dst.method === "*") throw new ConfigurationError(`${owner}: the target ${dst.label} needs a concrete method.`, owner);
    return { from: src, to: dst, except: excluded, leftover: checkParams(src, dst, owner) };
  });
  // change() parses the routes again: the matched pattern is found by its label.
  const byLabel = new Map(moves.map((m) => [m.from.label, m]));
  if (byLabel.size !== moves.length) throw new ConfigurationError(`${owner}: two moves start from the same route.`, owner);
  const moved = change({
    description,
    routes: pairs.map(([src]) => ({ method: src.method, path: src.path })),
    schema: pairs.map(([src, dst]) => ({
      op: "moveEndpoint" as const,
      from: src.label,
      to: dst.label,
      ...(excluded.length > 0 ? { except: excluded.map((e) => e.label) } : {}),
    })),
    request: (req, ctx) => {
      const move = byLabel.get(ctx.route?.label ?? "") ?? moves[0]!;
      if (excluded.some((e) => e.match(req.method, req.path) !== undefined)) return;
      req.method = methodAfterMove(req.method, move.to.method);
      req.path = move.to.build(ctx.params as Record<string, string>);
      for (const name of move.leftover) {
        const value = ctx.params[name];
        if (value !== undefined) req.query = { ...req.query, [name]: value };
      }
    },
  });
  return withEndpointMoves(moved, moves);
}

/** Express answers HEAD with GET handlers: a HEAD request to a moved GET endpoint stays HEAD. */
function methodAfterMove(method: string, target: string): string {
  return method === "HEAD" && target === "GET" ? "HEAD" : target;
}

/**
 * Refuse a move whose target needs a param the source does not always have (every request
 * would fail), and answer the source params the target path has no place for.
 */
function checkParams(src: RoutePattern, dst: RoutePattern, owner: string): string[] {
  const available = new Set(src.params);
  const missing = dst.params.filter((p) => !available.has(p));
  if (missing.length > 0) {
    throw new ConfigurationError(
      `${owner}: the target path needs ${missing.map((p) => `:${p}`).join(", ")}, which ${src.label} does not always provide. Name the params alike in both paths, or write a change() that supplies them.`,
      owner,
    );
  }
  const inTarget = new Set([...dst.params, ...dst.optionalParams]);
  const leftover = [...src.params, ...src.optionalParams].filter((p) => !inTarget.has(p));
  for (const p of leftover) {
    if (p === "__proto__") throw new ConfigurationError(`${owner}: a param may not be named "__proto__".`, owner);
  }
  return leftover;
}

/** How a query string value becomes a JSON value when it moves into a body. */
export type QueryValueType = "string" | "number" | "boolean" | "string[]" | "json";

/**
 * A read endpoint became a POST with a JSON body (Unkey's `GET /v1/keys.getKey?keyId=...` ->
 * `POST /v2/keys.getKey {"keyId": ...}`). Query values are strings; `types` says which become
 * numbers, booleans, lists or JSON. Path params the target path lacks join the body too
 * (`GET /v1/keys/:keyId` -> `POST /v2/keys.getKey {"keyId": ...}`), typed the same way.
 */
export function moveQueryToBody(from: RouteSpec, to: RouteSpec, options: { types?: Record<string, QueryValueType>; description?: string } = {}): Change {
  const owner = `moveQueryToBody(${JSON.stringify(from)}, ${JSON.stringify(to)})`;
  const src = routePattern(from, owner);
  const dst = routePattern(to, owner);
  const types = { ...(options.types ?? {}) };
  const leftover = checkParams(src, dst, owner);
  const moved = change({
    description: options.description ?? `\`${src.label}\` became \`${dst.label}\`: query parameters moved to the JSON body.`,
    routes: from,
    schema: [{ op: "moveQueryToBody", from: src.label, to: dst.label, types }],
    request: (req, ctx) => {
      const body: Record<string, unknown> = {};
      for (const [key, raw] of Object.entries(req.query)) {
        if (raw === undefined || key === "__proto__") continue;
        body[key] = coerce(raw as string | string[], types[key] ?? "string", key);
      }
      for (const name of leftover) {
        const value = ctx.params[name];
        if (value !== undefined) body[name] = coerce(value, types[name] ?? "string", name);
      }
      req.method = methodAfterMove(req.method, dst.method);
      req.path = dst.build(ctx.params as Record<string, string>);
      req.query = {};
      req.body = body;
      req.headers["content-type"] = "application/json";
    },
  });
  return withEndpointMoves(moved, [{ from: src, to: dst, except: [] }]);
}

function coerce(raw: string | string[], type: QueryValueType, key: string): unknown {
  const one = Array.isArray(raw) ? raw[raw.length - 1]! : raw;
  switch (type) {
    case "string[]":
      return Array.isArray(raw) ? raw : one.split(",").filter(Boolean);
    case "number": {
      const n = Number(one);
      // Infinity and NaN are not JSON numbers: the handler would see a value no client can send.
      if (one.trim() === "" || !Number.isFinite(n)) throw new QueryValueError(key, one, "a number");
      return n;
    }
    case "boolean":
      if (one === "true" || one === "1") return true;
      if (one === "false" || one === "0") return false;
      throw new QueryValueError(key, one, "true or false");
    case "json": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(one);
      } catch {
        throw new QueryValueError(key, one, "JSON");
      }
      // The body was cleaned before the chain ran; this value joins it afterwards.
      stripPollutingKeys(parsed);
      return parsed;
    }
    default:
      return one;
  }
}

/** A query parameter could not be read as the type the new endpoint needs: the client's 400. */
export class QueryValueError extends StrataError {
  override name = "QueryValueError";
  constructor(
    readonly parameter: string,
    value: string,
    expected: string,
  ) {
    super("invalid_query_parameter", `Query parameter \`${parameter}\` must be ${expected}, got "${value.slice(0, 40)}".`, 400);
  }
}

/**
 * An endpoint was added in this version: clients on older versions get a 404 problem that says
 * from which version it exists, instead of reaching the handler.
 */
export function addEndpoint(route: RouteSpec | RouteSpec[], options: { description?: string } = {}): Change {
  const specs = Array.isArray(route) ? route : [route];
  const labels = specs.map((s) => routePattern(s, "addEndpoint()").label);
  return change({
    description: options.description ?? `${labels.map((l) => `\`${l}\``).join(", ")} ${labels.length > 1 ? "are" : "is"} added.`,
    routes: specs,
    schema: [{ op: "addEndpoint", routes: labels }],
    request: (req, ctx) => {
      throw new EndpointNotFoundError(req.method, req.path, ctx.clientVersion.id, ctx.version.id);
    },
  });
}
