import type { Application } from "express";
import { assertNoDeadRouteChanges, type VersionSet } from "@strata/core";

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/**
 * The `METHOD /path` of every route registered directly on `app` (Express 4 and 5).
 * Routes inside mounted routers are not listed: Express does not keep their mount paths.
 */
export function routesOf(app: Application): string[] {
  const a = app as Application & { router?: { stack: Layer[] }; _router?: { stack: Layer[] } };
  // Express 4 keeps the router in `_router` and throws on `app.router`; Express 5 has `router`.
  const stack = a._router?.stack ?? a.router?.stack ?? [];
  const routes: string[] = [];
  for (const layer of stack) {
    if (!layer.route || typeof layer.route.path !== "string") continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (on) routes.push(`${method === "_all" ? "*" : method.toUpperCase()} ${layer.route.path}`);
    }
  }
  return routes;
}

/**
 * Fail at startup if a route change leads to no handler of `app` (a dead change: a typo in
 * its path, or an endpoint that was removed). Call it after the routes are registered;
 * `extraRoutes` adds routes that live in mounted routers.
 *
 * @example
 * app.post("/v2/keys.getKey", getKey);
 * assertRoutes(app, versions);
 */
export function assertRoutes(app: Application, versions: VersionSet, extraRoutes: readonly string[] = []): void {
  assertNoDeadRouteChanges(versions, [...routesOf(app), ...extraRoutes]);
}
