import type { ChangeContext, EventTransform, RequestTransform, ResponseTransform } from "./change";
import type { Direction, Op, Plan, ResourceOp, Step } from "./chain";
import { MigrationError, StrataError } from "./errors";
import { migrateLog } from "./log";
import { stripPollutingKeys } from "./safe-object";
import { isJsonObject, type JsonObject, type RequestShape, type ResponseShape } from "./shapes";
import type { Version } from "./version";
import { walkObjects, type ResourceIdentifier } from "./walk";

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * One migration in progress: the contexts of the changes that ran, and which route changes
 * matched the request, so the response pass runs exactly those in reverse.
 */
export class Session {
  private readonly contexts: (ChangeContext | undefined)[] = [];
  /** Descriptions of changes that ran, only collected while `strata:migrate` logging is on. */
  readonly ran: string[] | undefined = migrateLog.enabled ? [] : undefined;

  constructor(
    readonly clientVersion: Version,
    private readonly identify: ResourceIdentifier,
  ) {}

  private context(step: Step, params?: Record<string, string>): ChangeContext {
    let ctx = this.contexts[step.index];
    if (!ctx) {
      ctx = { version: step.version, clientVersion: this.clientVersion, params: params ?? NO_PARAMS, state: {} };
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
        for (const route of op.step.change.routes) {
          const params = route.match(request.method, request.path);
          if (!params) continue;
          const ctx = this.context(op.step, params);
          if (op.fn) this.call(op.step, "request", () => (op.fn as RequestTransform)(request, ctx));
          break;
        }
      } else if (op.kind === "global") {
        const ctx = this.context(op.step);
        this.call(op.step, "request", () => (op.fn as RequestTransform)(request, ctx));
      } else {
        request.body = this.walk(request.body, op.byType, "request");
      }
    }
  }

  /** New -> old on a response or an error response. Mutates `response`. */
  runResponse(ops: readonly Op[], response: ResponseShape, direction: "response" | "error"): void {
    for (const op of ops) {
      if (op.kind === "route") {
        const ctx = this.matched(op.step);
        if (ctx) this.call(op.step, direction, () => (op.fn as ResponseTransform)(response, ctx));
      } else if (op.kind === "global") {
        const ctx = this.context(op.step);
        this.call(op.step, direction, () => (op.fn as ResponseTransform)(response, ctx));
      } else {
        response.body = this.walk(response.body, op.byType, direction);
      }
    }
  }

  /**
   * Either direction on a bare payload (webhook event, stored document). Forward, only resource
   * transforms run (a global change's `request` transform expects an HTTP request, not a
   * payload), on a payload cleaned like a request body.
   */
  runPayload(ops: readonly Op[], payload: unknown, direction: "request" | "event"): unknown {
    if (direction === "request" && ops.length > 0) stripPollutingKeys(payload);
    let value = payload;
    for (const op of ops) {
      if (op.kind === "walk") value = this.walk(value, op.byType, direction);
      else if (op.kind === "global" && direction === "event" && isJsonObject(value)) {
        const ctx = this.context(op.step);
        const current = value;
        const next = this.call(op.step, direction, () => (op.fn as EventTransform)(current, ctx));
        if (next !== undefined) value = next;
      }
    }
    return value;
  }

  private walk(value: unknown, byType: ReadonlyMap<string, readonly ResourceOp[]>, direction: Direction): unknown {
    const identify = this.identify;
    // A replacement's children are walked (they may hold resources), but an object a transform
    // already replaced must not be transformed again when the replacement wraps it.
    let replaced: Set<JsonObject> | undefined;
    return walkObjects(value, (obj) => {
      if (replaced !== undefined && replaced.has(obj)) return obj;
      const type = identify(obj);
      if (type === undefined) return obj;
      const list = byType.get(type);
      if (list === undefined) return obj;
      let current = obj;
      // The hot loop: `call` inlined by hand, so no closure is allocated per resource and change.
      for (let i = 0; i < list.length; i++) {
        const { step, fn, fused } = list[i]!;
        const ctx = this.context(step);
        if (this.ran) for (const s of fused ?? [step]) this.ran.push(`${s.version.id}: ${s.change.description} (${direction})`);
        let next: JsonObject | void;
        try {
          next = fn(current, ctx);
        } catch (err) {
          throw failure(step, direction, err);
        }
        if (next !== undefined && next !== current) {
          if (!isJsonObject(next)) {
            throw new MigrationError(step.change.description, step.version.id, direction, new TypeError("a resource transform must return an object or nothing"));
          }
          (replaced ??= new Set()).add(current);
          current = next;
        }
      }
      return current;
    });
  }
}

/** A transform's error as the migrator rethrows it. */
function failure(step: Step, direction: Direction, err: unknown): unknown {
  // A transform may refuse a client's input on purpose (a 4xx StrataError): pass it on.
  if (err instanceof StrataError && err.status < 500) return err;
  return new MigrationError(step.change.description, step.version.id, direction, err);
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

  /** New -> old: translate the handler's response (or error, by status >= 400) for the client. */
  migrateResponse(response: ResponseShape): ResponseShape {
    const isError = response.status >= 400;
    this.session.runResponse(isError ? this.plan.error : this.plan.response, response, isError ? "error" : "response");
    if (this.session.ran && this.plan.size > 0) migrateLog("%s back to %s: %o", isError ? "error" : "response", this.version.id, this.session.ran);
    return response;
  }
}
