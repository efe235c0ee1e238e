import type { Change, EventTransform, RequestTransform, ResponseTransform } from "../define/change";
import type { FieldMove } from "./field-moves";
import type { Direction, ResourceOp, Step } from "./steps";
import { compileMoves } from "./field-moves";
import { ResourceVisitor } from "../run/resource-visitor";
import type { ResourceIdentifier } from "../run/walk";
import type { Version } from "../define/change";

/** One walk of the body: the resource transforms of a stretch of the chain, by resource type. */
export interface WalkOp {
  readonly kind: "walk";
  readonly byType: ReadonlyMap<string, readonly ResourceOp[]>;
  readonly visitor: ResourceVisitor;
}

/** One precomputed operation of a migration plan. */
export type Op =
  | { readonly kind: "route"; readonly step: Step; readonly fn?: RequestTransform | ResponseTransform }
  | { readonly kind: "global"; readonly step: Step; readonly fn: RequestTransform | ResponseTransform | EventTransform }
  | WalkOp;

/** Everything a request at one version needs, computed at startup. */
export interface Plan {
  readonly version: Version;
  readonly request: readonly Op[];
  readonly response: readonly Op[];
  readonly error: readonly Op[];
  /** Whether a response / an error can have its status or headers changed (a non-walk op). */
  readonly responseTouchesHead: boolean;
  readonly errorTouchesHead: boolean;
  /** How many changes lie between this version and the latest. */
  readonly size: number;
}

/**
 * Turn a stretch of steps into operations for one direction. Steps must already be in the
 * order they run (oldest first for requests, newest first otherwise). Consecutive resource
 * transforms become one walk; route steps stay in the request plan even without a request
 * transform, because the request pass records which route changes matched.
 */
export function buildOps(steps: readonly Step[], direction: Direction, identify: ResourceIdentifier): Op[] {
  const ops: Op[] = [];
  let walk: Map<string, ResourceOp[]> | undefined;
  const endWalk = () => {
    if (walk) ops.push(walkOp(walk, direction, identify));
    walk = undefined;
  };
  for (const step of steps) {
    const c = step.change;
    if (c.kind === "resource") {
      const fn = direction === "request" ? c.request : direction === "error" ? undefined : c.response;
      if (!fn) continue;
      walk ??= new Map();
      const list = walk.get(c.resource) ?? [];
      list.push({ step, fn, access: c.topLevelOnly ? "top-level" : "deep" });
      walk.set(c.resource, list);
      continue;
    }
    if (c.kind === "side-effect") continue;
    const fn =
      direction === "request" ? c.request : direction === "response" ? c.response : direction === "error" ? c.error : c.kind === "global" ? c.event : undefined;
    if (c.kind === "route") {
      if (direction === "event") continue;
      if (!fn && direction !== "request") continue;
      endWalk();
      ops.push(fn ? { kind: "route", step, fn: fn as RequestTransform | ResponseTransform } : { kind: "route", step });
      continue;
    }
    if (!fn) continue;
    endWalk();
    ops.push({ kind: "global", step, fn });
  }
  endWalk();
  return direction === "error" ? ops : ops.map((op) => (op.kind === "walk" ? walkOp(fuseMoves(op.byType, direction), direction, identify) : op));
}

function walkOp(byType: ReadonlyMap<string, readonly ResourceOp[]>, direction: Direction, identify: ResourceIdentifier): WalkOp {
  return { kind: "walk", byType, visitor: new ResourceVisitor(byType, direction, identify) };
}

/**
 * Within one resource type's list, consecutive steps whose effect is known as field moves
 * (renames, added fields) become one compiled program: exact, since nothing else touches that
 * object in between, and much cheaper than a function per step when renames chain.
 */
function fuseMoves(byType: ReadonlyMap<string, readonly ResourceOp[]>, direction: Direction): Map<string, ResourceOp[]> {
  const side = direction === "request" ? "request" : "response";
  const out = new Map<string, ResourceOp[]>();
  for (const [type, list] of byType) {
    const fused: ResourceOp[] = [];
    let run: Step[] = [];
    const flush = () => {
      if (run.length > 0) {
        const moves = run.flatMap((s) => fieldMovesOf(s.change, side)!);
        fused.push({ step: run[0]!, fn: compileMoves(moves, side), access: "moves", fused: run });
      }
      run = [];
    };
    for (const op of list) {
      if (fieldMovesOf(op.step.change, side)) run.push(op.step);
      else {
        flush();
        fused.push(op);
      }
    }
    flush();
    out.set(type, fused);
  }
  return out;
}

function fieldMovesOf(c: Change, side: "request" | "response"): readonly FieldMove[] | undefined {
  return c.kind === "resource" ? c.fieldMoves?.[side] : undefined;
}

/** Precompute the plan of every version: what runs between it and the latest. */
export function compilePlans(newestFirst: readonly Version[], steps: readonly Step[], identify: ResourceIdentifier): Map<Version, Plan> {
  const plans = new Map<Version, Plan>();
  for (const version of newestFirst) {
    const forward = steps.filter((s) => s.version.ordinal > version.ordinal);
    const backward = forward.slice().reverse();
    const response = buildOps(backward, "response", identify);
    const error = buildOps(backward, "error", identify);
    plans.set(version, {
      version,
      request: buildOps(forward, "request", identify),
      response,
      error,
      responseTouchesHead: response.some((op) => op.kind !== "walk"),
      errorTouchesHead: error.some((op) => op.kind !== "walk"),
      size: forward.length,
    });
  }
  return plans;
}
