/**
 * How deep the engine follows a body. Beyond it a body is refused (`migration_failed`) rather
 * than passed on half-migrated: a resource below the limit would otherwise reach an old client
 * in the new shape. JSON APIs nest a few levels; a thousand is far past any real payload and
 * well inside the call stack.
 */
export const MAX_DEPTH = 1000;

const hasOwn = Object.prototype.hasOwnProperty;

/** A body nests deeper than {@link MAX_DEPTH}. */
export class NestingTooDeepError extends Error {
  override name = "NestingTooDeepError";
  constructor() {
    super(`the body nests deeper than ${MAX_DEPTH} levels`);
  }
}

/**
 * A private copy of a JSON value for a transform that may change anything in it. Plain objects
 * and arrays are copied; other objects (Dates, Buffers, class instances with `toJSON`) are
 * kept as they are, since copying them would change how they serialise.
 */
export function cloneJson<T>(value: T, depth = 0): T {
  if (typeof value !== "object" || value === null) return value;
  if (depth > MAX_DEPTH) throw new NestingTooDeepError();
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i], depth + 1);
    return out as T;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in source) {
    if (!hasOwn.call(source, key)) continue;
    const child = source[key];
    const copy = typeof child === "object" && child !== null ? cloneJson(child, depth + 1) : child;
    // defineProperty, not assignment: a "__proto__" key stays an ordinary own property.
    if (key === "__proto__") Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out as T;
}
