import type { ChangeContext, EventTransform, RequestTransform, ResponseTransform, RouteChange } from "../define/change";
import type { Op, Plan, WalkOp } from "../compile/plans";
import type { Direction, ResourceOp, Step } from "../compile/steps";
import { cloneJson, NestingTooDeepError } from "./copy";
import { failure } from "./resource-visitor";
import { migrateLog } from "../log";
import { stripPollutingKeys } from "./safe-object";
import { isJsonObject, type JsonObject, type RequestShape, type ResponseShape } from "../shapes";
import type { RoutePattern } from "../define/route";
import type { Version } from "../define/change";
import type { WalkGuide } from "./guided-walk";

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * One migration in progress: the contexts of the changes that ran, and which route changes
 * matched the request, so the response pass runs exactly those in reverse.
 */
export class Session {
  private readonly contexts: (ChangeContext | undefined)[] = [];
  /** Descriptions of changes that ran, only collected while `strata:migrate` logging is on. */
  readonly ran: string[] | undefined = migrateLog.enabled ? [] : undefined;

  constructor(readonly clientVersion: Version) {}

  private context(step: Step, params?: Record<string, string>, route?: RoutePattern): ChangeContext {
    let ctx = this.contexts[step.index];
    if (!ctx) {
      ctx = route
        ? { version: step.version, clientVersion: this.clientVersion, params: params ?? NO_PARAMS, route, state: {} }
        : { version: step.version, clientVersion: this.clientVersion, params: params ?? NO_PARAMS, state: {} };
      this.contexts[step.index] = ctx;
    }
    return ctx;
  }

  private matched(step: Step): ChangeContext | undefined {
    return this.contexts[step.index];
  }

  private call<T>(step: Step, direction: Direction, run: () => T): T {
    this.ran?.push(`${step.version.id}: ${step.change.description} (${direction})`);
    try {
      return run();
    } catch (err) {
      throw failure(step, direction, err);
    }
  }

  /** Old -> new. Mutates `request`. */
  runRequest(ops: readonly Op[], request: RequestShape): void {
    if (ops.length > 0 && typeof request.body === "object") stripPollutingKeys(request.body);
    for (const op of ops) {
      if (op.kind === "route") {
        for (const route of (op.step.change as RouteChange).routes) {
          const params = route.match(request.method, request.path);
          if (!params) continue;
          const ctx = this.context(op.step, params, route);
          if (op.fn) this.call(op.step, "request", () => (op.fn as RequestTransform)(request, ctx));
          break;
        }
      } else if (op.kind === "global") {
        const ctx = this.context(op.step);
        this.call(op.step, "request", () => (op.fn as RequestTransform)(request, ctx));
      } else {
        // The request body is the request's own (parsed for this request): changed in place.
        request.body = this.walk(request.body, op, true);
      }
    }
  }

  /**
   * New -> old on a response or an error response: `response.body` is replaced by the migrated
   * body. The handler's objects are never written unless `inPlace` says the body is the
   * request's own; even then frozen objects are copied, not written.
   */
  runResponse(ops: readonly Op[], response: ResponseShape, direction: "response" | "error", inPlace = false, guide?: WalkGuide): void {
    let owned = inPlace && isWritable(response.body);
    // The guide describes the newest shape: it holds until a whole-response transform runs.
    let shapeGuide = guide;
    for (const op of ops) {
      if (op.kind === "walk") {
        response.body = this.walk(response.body, op, owned, shapeGuide);
        shapeGuide = undefined; // the walk's transforms changed the shape it describes
        continue;
      }
      shapeGuide = undefined;
      const ctx = op.kind === "route" ? this.matched(op.step) : this.context(op.step);
      if (!ctx) continue;
      // A whole-response transform may change anything in the body: give it a private copy.
      if (!owned) response.body = this.copy(op.step, direction, response.body);
      const before = response.body;
      this.call(op.step, direction, () => (op.fn as ResponseTransform)(response, ctx));
      // A body the transform swapped in may hold objects it does not own (constants).
      owned = response.body === before;
    }
  }

  /**
   * Either direction on a bare payload (webhook event, stored document), never changing the
   * caller's objects. Forward, only resource transforms run (a global change's `request`
   * transform expects an HTTP request, not a payload), on a private copy cleaned like a
   * request body.
   */
  runPayload(ops: readonly Op[], payload: unknown, direction: "request" | "event"): unknown {
    if (ops.length === 0) return payload;
    let value = payload;
    let owned = false;
    if (direction === "request") {
      value = this.copy(ops[0]!.kind === "walk" ? firstStep(ops[0]!.byType) : ops[0]!.step, direction, payload);
      stripPollutingKeys(value);
      owned = true;
    }
    for (const op of ops) {
      if (op.kind === "walk") value = this.walk(value, op, owned);
      else if (op.kind === "global" && direction === "event" && isJsonObject(value)) {
        const ctx = this.context(op.step);
        const current: JsonObject = owned ? value : (this.copy(op.step, direction, value) as JsonObject);
        const next: JsonObject | void = this.call(op.step, direction, () => (op.fn as EventTransform)(current, ctx));
        value = next === undefined ? current : next;
        owned = next === undefined || next === current;
      }
    }
    return value;
  }

  /** A deep copy of `body`, or a MigrationError naming `step` when it cannot be made. */
  private copy(step: Step, direction: Direction, body: unknown): unknown {
    try {
      return cloneJson(body);
    } catch (err) {
      throw failure(step, direction, err);
    }
  }

  private walk(value: unknown, op: WalkOp, owned: boolean, guide?: WalkGuide): unknown {
    try {
      return op.visitor.walk(value, this, owned, guide);
    } catch (err) {
      if (err instanceof NestingTooDeepError) throw failure(firstStep(op.byType), op.visitor.direction, err);
      throw err;
    }
  }

  /** @internal The walk's hot loop reaches the contexts through this. */
  contextOf(step: Step): ChangeContext {
    return this.context(step);
  }
}

function firstStep(byType: ReadonlyMap<string, readonly ResourceOp[]>): Step {
  return byType.values().next().value![0]!.step;
}

/** Whether the engine may write `value` itself (the in-place opt-in still never writes frozen objects). */
function isWritable(value: unknown): boolean {
  return typeof value !== "object" || value === null || Object.isExtensible(value);
}

/**
 * A request migrated forward from the client's version. Keep it for the response: it knows
 * which changes applied, so the response goes back through exactly those.
 */
export class RequestMigration {
  /** @internal */
  constructor(
    /** The request, now in the latest version's shape (the same object that was passed in). */
    readonly request: RequestShape,
    /** The client's version. */
    readonly version: Version,
    private readonly plan: Plan,
    private readonly session: Session,
  ) {}

  /** Whether any change lies between the client's version and the latest. */
  get isBehind(): boolean {
    return this.plan.size > 0;
  }

  /**
   * Whether a response (or, for `status >= 400`, an error) with this status can have its
   * status or headers changed: only route and global changes see them, resource changes see
   * bodies. Lets an HTTP adapter skip copying the headers when nothing could read them.
   */
  mayChangeHead(status: number): boolean {
    return status >= 400 ? this.plan.errorTouchesHead : this.plan.responseTouchesHead;
  }

  /**
   * New -> old: translate the handler's response (or error, by status >= 400) for the client.
   * `response.body` is replaced by the translated body; the objects the handler gave are never
   * changed (what a change touches is copied, the rest shared), unless `inPlace` is set, for
   * handlers that build a fresh body for every response. `guide` (where the schema says
   * resources can be, {@link WalkGuide}) limits the walk to those places.
   */
  migrateResponse(response: ResponseShape, options: { inPlace?: boolean; guide?: WalkGuide } = {}): ResponseShape {
    const isError = response.status >= 400;
    this.session.runResponse(isError ? this.plan.error : this.plan.response, response, isError ? "error" : "response", options.inPlace === true, options.guide);
    if (this.session.ran && this.plan.size > 0) migrateLog("%s back to %s: %o", isError ? "error" : "response", this.version.id, this.session.ran);
    return response;
  }
}
