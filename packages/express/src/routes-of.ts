import type { Application } from "express";
import { assertNoDeadRouteChanges, routePattern, type VersionSet } from "@strata/core";

// The parts of Express's router internals this module reads, in both majors. Express 4 keeps
// no mount path string (only a regexp), router 2.x before 2.3 neither (only matchers); both
// have `match(path)`, the function Express itself dispatches with.
interface Layer {
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  /** A mounted `express.Router()` is a function with its own `stack`. */
  handle?: { stack?: unknown };
  /** Express 5 (router 2.x): the match or `false`. Express 4: a boolean; sets `path`. */
  match(path: string): boolean | { path: string };
  path?: string;
  /** Express 5 (router 2.3+): the path the layer was registered with. */
  rawPath?: unknown;
  /** Express 5: mounted at "/". */
  slash?: boolean;
  /** Express 4: `fast_slash` when mounted at "/". */
  regexp?: { fast_slash?: boolean };
}

function stackOf(app: Application): Layer[] {
  const a = app as Application & { router?: { stack: Layer[] }; _router?: { stack: Layer[] }; lazyrouter?: unknown };
  // Express 4 keeps the router in `_router` (created on first use) and throws on `app.router`;
  // Express 5 has `router`.
  if (typeof a.lazyrouter === "function") return a._router?.stack ?? [];
  return a.router?.stack ?? [];
}

function subStack(layer: Layer): Layer[] | undefined {
  const stack = layer.handle?.stack;
  return Array.isArray(stack) ? (stack as Layer[]) : undefined;
}

/**
 * The `METHOD /path` of every route of `app` (Express 4 and 5), including routes inside mounted
 * `express.Router()`s whose mount path Express records: any mount path on Express 5, only "/"
 * on Express 4. Routes of mounted sub-apps (`app.use("/admin", adminApp)`) are not listed:
 * Express keeps no reference to them. `assertRoutes` does not depend on this list.
 */
export function routesOf(app: Application): string[] {
  const routes: string[] = [];
  collectRoutes(stackOf(app), "", new Set(), routes);
  return routes;
}

function collectRoutes(stack: readonly Layer[], prefix: string, walking: Set<unknown>, out: string[]): void {
  walking.add(stack);
  for (const layer of stack) {
    if (layer.route) {
      for (const path of stringPaths(layer.route.path)) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on) out.push(`${method === "_all" ? "*" : method.toUpperCase()} ${joinPath(prefix, path)}`);
        }
      }
      continue;
    }
    const inner = subStack(layer);
    if (!inner || walking.has(inner)) continue;
    for (const mount of mountPaths(layer)) collectRoutes(inner, joinPath(prefix, mount), walking, out);
  }
  walking.delete(stack);
}

function stringPaths(path: unknown): string[] {
  if (typeof path === "string") return [path];
  return Array.isArray(path) ? path.flat(Infinity).filter((p): p is string => typeof p === "string") : [];
}

/** The mount paths of a router layer as strings, or none when Express did not keep them. */
function mountPaths(layer: Layer): string[] {
  if (layer.slash === true || layer.regexp?.fast_slash === true) return [""];
  return stringPaths(layer.rawPath);
}

function joinPath(prefix: string, path: string): string {
  const base = prefix.replace(/\/+$/, "");
  if (path === "" || path === "/") return base === "" ? "/" : base;
  return base + (path.startsWith("/") ? path : `/${path}`);
}

/**
 * Whether `app` has a route handler for one concrete request, answered by walking its stack
 * the way Express dispatches: route layers (`app.get`, `app.route()`) match by path and method
 * (HEAD is served by GET routes, `all()` routes serve every method); mounted routers match
 * their prefix and are searched with the rest of the path, at any depth and at every path they
 * are mounted at. Mounted sub-apps are not searched: Express keeps no reference to them.
 *
 * @example
 * const handles = hasHandler(app);
 * handles("GET", "/v2/accounts/acc_1/keys/key_1"); // true if a router mounted there serves it
 */
export function hasHandler(app: Application): (method: string, path: string) => boolean {
  const stack = stackOf(app);
  return (method, path) => searchStack(stack, method.toLowerCase(), path, new Set());
}

function searchStack(stack: readonly Layer[], method: string, path: string, walking: Set<unknown>): boolean {
  walking.add(stack);
  try {
    for (const layer of stack) {
      const matched = matchedPrefix(layer, path);
      if (matched === undefined) continue;
      if (layer.route) {
        if (routeHandles(layer.route.methods, method)) return true;
        continue;
      }
      const inner = subStack(layer);
      // A router inside itself would send Express round in circles; it serves nothing new.
      if (!inner || walking.has(inner)) continue;
      const rest = path.slice(matched.length);
      // Express only strips a prefix that ends at a path segment boundary.
      if (rest !== "" && !rest.startsWith("/")) continue;
      if (searchStack(inner, method, rest === "" ? "/" : rest, walking)) return true;
    }
    return false;
  } finally {
    walking.delete(stack);
  }
}

/** The part of `path` the layer matches, or `undefined`. */
function matchedPrefix(layer: Layer, path: string): string | undefined {
  let result: boolean | { path: string };
  try {
    result = layer.match(path);
  } catch {
    return undefined; // undecodable params: Express would answer 400, not reach a handler
  }
  if (!result) return undefined;
  return typeof result === "object" ? result.path : (layer.path ?? "");
}

function routeHandles(methods: Record<string, boolean | undefined>, method: string): boolean {
  if (methods._all || methods[method]) return true;
  return method === "head" && methods.get === true;
}

/**
 * Fail at startup if a route change leads to no handler of `app` (a dead change: a typo in
 * its path, or an endpoint that was removed). Call it after the routes are registered. Routes
 * in mounted routers are found (see `hasHandler`); `extraRoutes` adds what it cannot see, such
 * as the routes of mounted sub-apps, with their full paths.
 *
 * @example
 * const v2 = express.Router();
 * v2.get("/keys/:id", getKey);
 * app.use("/v2", v2);
 * assertRoutes(app, versions);
 */
export function assertRoutes(app: Application, versions: VersionSet, extraRoutes: readonly string[] = []): void {
  const handles = hasHandler(app);
  const extra = extraRoutes.map((r) => routePattern(r, "assertRoutes()"));
  assertNoDeadRouteChanges(versions, (method, path) => handles(method, path) || extra.some((r) => r.match(method, path) !== undefined));
}
