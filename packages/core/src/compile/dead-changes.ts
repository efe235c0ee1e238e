import type { VersionSet } from "../version-set";
import { ConfigurationError, StrataError } from "../errors";
import { routePattern, type RoutePattern, type RouteSpec } from "../define/route";

/**
 * Whether the app has a handler for one concrete request: `method` in upper case, `path`
 * without a query string (`"GET"`, `"/v2/keys/sample"`). Adapters answer it the way their
 * framework dispatches, which a list of route patterns cannot always express (routes inside
 * mounted routers, framework-specific path syntax).
 */
export type HandlerCheck = (method: string, path: string) => boolean;

/**
 * Route changes whose requests no handler would serve. Each route change is exercised with a
 * sample request shaped like its own pattern, migrated from the version just before it to the
 * latest; if no handler serves the result, the change is dead: a typo in its path, or a
 * handler that was removed. Changes that refuse on purpose (`addEndpoint`) count as alive.
 * `routes` is the app's routes (`"POST /v2/keys.getKey"`) or a {@link HandlerCheck}.
 */
export function findDeadRouteChanges(versions: VersionSet, routes: readonly RouteSpec[] | HandlerCheck): string[] {
  const handles = typeof routes === "function" ? routes : routeListCheck(routes);
  const dead: string[] = [];
  for (const version of versions.list) {
    const previous = versions.list.find((v) => v.ordinal === version.ordinal - 1);
    if (!previous) continue;
    for (const c of version.changes) {
      if (c.kind !== "route") continue;
      const alive = c.routes.some((pattern) => reachesHandler(versions, previous.id, pattern, handles));
      if (!alive) dead.push(`"${c.description}" (version ${version.id}, routes ${c.routes.map((r) => r.label).join(", ")})`);
    }
  }
  return dead;
}

function routeListCheck(routes: readonly RouteSpec[]): HandlerCheck {
  const known = routes.map((r) => routePattern(r, "findDeadRouteChanges()"));
  return (method, path) => known.some((k) => k.match(method, path) !== undefined);
}

function reachesHandler(versions: VersionSet, from: string, pattern: RoutePattern, handles: HandlerCheck): boolean {
  const request = {
    method: pattern.method === "*" ? "GET" : pattern.method,
    path: pattern.sample,
    query: {},
    headers: {},
    body: {},
  };
  try {
    versions.migrateRequest(request, from);
  } catch (err) {
    // A deliberate refusal (404 for an endpoint added later) is the change doing its job;
    // any other failure comes from the sample not being realistic, not from a dead change.
    return err instanceof StrataError ? err.status < 500 || err.code === "migration_failed" : true;
  }
  return handles(request.method.toUpperCase(), request.path);
}

/** Throw a ConfigurationError listing every dead route change (`routes` as in `findDeadRouteChanges`). */
export function assertNoDeadRouteChanges(versions: VersionSet, routes: readonly RouteSpec[] | HandlerCheck): void {
  const dead = findDeadRouteChanges(versions, routes);
  if (dead.length > 0) {
    throw new ConfigurationError(
      `${dead.length} route change(s) lead to no handler: ${dead.join("; ")}. Check the change's path against your routes, or remove the change if its endpoint is gone.`,
      dead[0],
    );
  }
}
