import type { EndpointMove } from "../define/change";
import type { RoutePattern } from "../define/route";
import type { Version } from "../define/change";
import { ConfigurationError } from "../errors";

/**
 * Refuse a route change whose pattern no request can reach: within a version, endpoint moves
 * run first, so a pattern naming a path a move of the same version takes away (written against
 * the older version's route, say) would never match. The message names the route to write.
 */
export function assertReachableRoutes(versions: readonly Version[]): void {
  for (const version of versions) {
    const moves = version.changes.flatMap((c) => (c.kind === "route" && c.moves ? c.moves.map((move) => ({ change: c, move })) : []));
    if (moves.length === 0) continue;
    for (const c of version.changes) {
      if (c.kind !== "route" || c.moves !== undefined) continue;
      for (const pattern of c.routes) {
        const taken = moves.find(({ move }) => takesAway(move, pattern));
        if (!taken) continue;
        throw new ConfigurationError(
          `Change "${c.description}" (version ${version.id}) names ${pattern.label}, but "${taken.change.description}" of the same version moves that route to ${taken.move.to.label} first: within a version, endpoint moves run before the other changes, so name the route as it is in ${version.id} (${taken.move.to.label}), or list it in the move's \`except\`.`,
          c.description,
        );
      }
    }
  }
}

/** Whether every request `pattern` matches is moved away by `move` (sampled on one concrete request). */
function takesAway(move: EndpointMove, pattern: RoutePattern): boolean {
  const methods = pattern.method === "*" ? (move.from.method === "*" ? ["GET"] : []) : [pattern.method];
  return methods.some(
    (method) => move.from.match(method, pattern.sample) !== undefined && !move.except.some((e) => e.match(method, pattern.sample) !== undefined),
  );
}
