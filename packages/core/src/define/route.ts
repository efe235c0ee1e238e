import { compile, match, parse, type MatchFunction, type PathFunction, type Token } from "path-to-regexp";
import { ConfigurationError } from "../errors";

/**
 * A route a change applies to: `"GET /v1/keys.getKey"`, `"* /customer/v1/:rest*"`-style
 * strings, or `{ method, path }`. Paths use path-to-regexp syntax (`/licenses/:id/ips`), the
 * same as Express 5.
 */
export type RouteSpec = string | { method: string; path: string };

/** A parsed, precompiled route pattern. */
export interface RoutePattern {
  readonly method: string;
  readonly path: string;
  /** `"GET /v1/keys.getKey"`, for messages and changelogs. */
  readonly label: string;
  /** Names of the params every match has (outside optional `{...}` groups). */
  readonly params: readonly string[];
  /** Names of the params inside optional groups. */
  readonly optionalParams: readonly string[];
  /**
   * Route params if `method` and `path` match, else `undefined`. A `GET` pattern matches
   * `HEAD` too, as Express serves HEAD with GET handlers.
   */
  match(method: string, path: string): Record<string, string> | undefined;
  /** Build a concrete path from params (for path moves). */
  build(params: Record<string, string>): string;
  /** A concrete path the pattern matches: params as `sample`, optional groups left out. */
  readonly sample: string;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "*"]);

/** Parse and precompile a route spec; throws a ConfigurationError naming `owner`. */
export function routePattern(spec: RouteSpec, owner: string): RoutePattern {
  const { method, path } = typeof spec === "string" ? splitRoute(spec, owner) : spec;
  const upper = String(method).toUpperCase();
  if (!METHODS.has(upper)) {
    throw new ConfigurationError(`${owner}: unknown HTTP method "${method}" in route "${typeof spec === "string" ? spec : `${method} ${path}`}".`, owner);
  }
  if (typeof path !== "string" || !path.startsWith("/")) {
    throw new ConfigurationError(`${owner}: route path must start with "/", got "${path}".`, owner);
  }
  let matcher: MatchFunction<Partial<Record<string, string | string[]>>>;
  let builder: PathFunction<Record<string, string | string[]>>;
  let sample: string;
  const params: string[] = [];
  const wildcards = new Set<string>();
  const optionalParams: string[] = [];
  try {
    matcher = match(path, { decode: decodeURIComponent });
    builder = compile(path, { encode: encodeURIComponent });
    const { tokens } = parse(path);
    collectParams(tokens, params, optionalParams, false, wildcards);
    sample = tokens.map((t) => (t.type === "text" ? t.value : t.type === "group" ? "" : "sample")).join("");
  } catch (err) {
    throw new ConfigurationError(`${owner}: invalid route path "${path}": ${(err as Error).message}`, owner);
  }
  const label = `${upper} ${path}`;
  return {
    method: upper,
    path,
    label,
    params: Object.freeze(params),
    optionalParams: Object.freeze(optionalParams),
    sample,
    match(reqMethod, reqPath) {
      if (upper !== "*" && upper !== reqMethod && !(upper === "GET" && reqMethod === "HEAD")) return undefined;
      let result: ReturnType<typeof matcher>;
      try {
        result = matcher(reqPath);
      } catch {
        return undefined; // malformed percent-encoding in a client path: simply no match
      }
      if (!result) return undefined;
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(result.params)) if (v !== undefined) params[k] = Array.isArray(v) ? v.join("/") : v;
      return params;
    },
    // Matches join a wildcard's segments with "/"; building needs them as a list again.
    build: (given) => {
      if (wildcards.size === 0) return builder(given);
      const values: Record<string, string | string[]> = { ...given };
      for (const name of wildcards) if (typeof given[name] === "string") values[name] = given[name].split("/");
      return builder(values);
    },
  };
}

function collectParams(tokens: readonly Token[], required: string[], optional: string[], inGroup: boolean, wildcards: Set<string>): void {
  for (const token of tokens) {
    if (token.type === "param" || token.type === "wildcard") (inGroup ? optional : required).push(token.name);
    if (token.type === "wildcard") wildcards.add(token.name);
    else if (token.type === "group") collectParams(token.tokens, required, optional, true, wildcards);
  }
}

function splitRoute(spec: string, owner: string): { method: string; path: string } {
  const m = /^\s*([A-Za-z*]+)\s+(\S+)\s*$/.exec(spec);
  if (!m) throw new ConfigurationError(`${owner}: route "${spec}" must look like "GET /path".`, owner);
  return { method: m[1]!, path: m[2]! };
}
