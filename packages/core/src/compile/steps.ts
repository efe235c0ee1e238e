import type { Change, ResourceTransform, Version } from "../define/change";

/** A change at its place in the chain. `index` orders all changes, oldest version first. */
export interface Step {
  readonly index: number;
  readonly change: Change;
  readonly version: Version;
}

/**
 * A resource transform of one step, or fused field moves of consecutive steps. `access` says
 * what copy-on-write must give it: `moves` copies by itself when it changes something,
 * `top-level` needs a shallow copy, `deep` (any hand-written transform) a private deep copy.
 */
export interface ResourceOp {
  readonly step: Step;
  readonly fn: ResourceTransform;
  readonly access: "moves" | "top-level" | "deep";
  /** Set when `fn` runs the field moves of all these steps at once. */
  readonly fused?: readonly Step[];
}

export type Direction = "request" | "response" | "error" | "event";

/**
 * Flatten versions (newest first) into steps in request order: oldest version first; within a
 * version, its endpoint moves first, then its other changes in declaration order. Responses
 * run the exact reverse. So a route change of a version names routes as they are in that
 * version, wherever it stands in the list.
 */
export function flattenSteps(newestFirst: readonly Version[]): Step[] {
  const steps: Step[] = [];
  for (let v = newestFirst.length - 1; v >= 0; v--) {
    const version = newestFirst[v]!;
    const isMove = (c: Change) => c.kind === "route" && c.moves !== undefined;
    const moves = version.changes.filter(isMove);
    const others = version.changes.filter((c) => !isMove(c));
    for (const change of [...moves, ...others]) steps.push({ index: steps.length, change, version });
  }
  return steps;
}
