import type { ChangeContext } from "../define/change";
import type { Direction, ResourceOp, Step } from "../compile/steps";
import { cloneJson } from "./copy";
import { MigrationError, StrataError } from "../errors";
import { shallowCopy, type MovesProgram } from "../compile/field-moves";
import { isJsonObject, type JsonObject } from "../shapes";
import { walkObjects, type ResourceIdentifier, type Visitor } from "./walk";
import { walkGuided, type GuidedState, type WalkGuide } from "./guided-walk";

/** What a walk needs from the migration it belongs to. */
export interface WalkSession {
  /** Descriptions of changes that ran, only while `strata:migrate` logging is on. */
  readonly ran: string[] | undefined;
  contextOf(step: Step): ChangeContext;
}

/**
 * Runs the resource transforms of one walk of a plan on each resource, copying first what the
 * transform may write: nothing for field moves (they copy by themselves), the object itself
 * for top-level declarative changes, the whole resource for hand-written transforms.
 *
 * Built once per plan, at startup, and it carries the state of the walk in progress (saved
 * and restored around each walk, so a transform that migrates something else meanwhile is
 * safe). Why not a state object per walk: V8 then specialises the optimised visitor on
 * objects that die with the request and throws that code away at every full GC (measured:
 * the engine benchmark ran 1.5-2x slower); a long-lived visitor keeps it.
 */
export class ResourceVisitor implements Visitor<ResourceVisitor>, GuidedState {
  selfOwned = false;
  childrenOwned = false;
  touched = false;
  private session: WalkSession | undefined = undefined;
  // A replacement's children are walked (they may hold resources), but an object a transform
  // already replaced must not be transformed again when the replacement wraps it.
  private replaced: Set<JsonObject> | undefined = undefined;

  constructor(
    readonly byType: ReadonlyMap<string, readonly ResourceOp[]>,
    readonly direction: Direction,
    private readonly identify: ResourceIdentifier,
  ) {}

  /** Walk `value` for `session`, only where `guide` says when given. No closure per call: see the class comment on V8. */
  walk(value: unknown, session: WalkSession, owned: boolean, guide?: WalkGuide): unknown {
    const outerSession = this.session;
    const outerReplaced = this.replaced;
    this.session = session;
    this.replaced = undefined;
    try {
      return guide === undefined ? walkObjects(value, this, this, owned) : walkGuided(value, guide, this, this, owned);
    } finally {
      this.session = outerSession;
      this.replaced = outerReplaced;
    }
  }

  visit(obj: JsonObject, owned: boolean): JsonObject {
    if (this.replaced !== undefined && this.replaced.has(obj)) return obj;
    const type = this.identify(obj);
    if (type === undefined) return obj;
    const list = this.byType.get(type);
    if (list === undefined) return obj;
    this.touched = true;
    const direction = this.direction;
    const session = this.session!;
    let current = obj;
    // `w`: may write `current` if extensible (moves check that themselves, at their write).
    let w = owned;
    let deep = owned;
    // The hot loop: no closure is allocated per resource and change.
    for (let i = 0; i < list.length; i++) {
      const { step, fn, fused, access } = list[i]!;
      if (session.ran) for (const s of fused ?? [step]) session.ran.push(`${s.version.id}: ${s.change.description} (${direction})`);
      let next: JsonObject | void;
      try {
        if (access === "moves") {
          next = (fn as unknown as MovesProgram)(current, w);
          if (next !== current) {
            current = next;
            w = true;
          }
          continue;
        }
        if (access === "top-level" && !(w && Object.isExtensible(current))) {
          current = shallowCopy(current);
          w = true;
        } else if (access === "deep" && !(deep && Object.isExtensible(current))) {
          current = cloneJson(current);
          w = deep = true;
        }
        next = fn(current, session.contextOf(step));
      } catch (err) {
        throw failure(step, direction, err);
      }
      if (next !== undefined && next !== current) {
        if (!isJsonObject(next)) {
          throw new MigrationError(step.change.description, step.version.id, direction, new TypeError("a resource transform must return an object or nothing"));
        }
        (this.replaced ??= new Set()).add(current);
        current = next;
        w = deep = false;
      }
    }
    this.selfOwned = w;
    this.childrenOwned = deep;
    return current;
  }
}

/** A transform's error as the migrator rethrows it. */
export function failure(step: Step, direction: Direction, err: unknown): unknown {
  // A transform may refuse a client's input on purpose (a 4xx StrataError): pass it on.
  if (err instanceof StrataError && err.status < 500) return err;
  return new MigrationError(step.change.description, step.version.id, direction, err);
}
