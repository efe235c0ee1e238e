/**
 * JSON.parse turns a `"__proto__"` key into an own property. Harmless by itself, it becomes
 * prototype pollution the moment a transform copies it with `obj[key] = value` or a deep
 * merge; `{"constructor": {"prototype": ...}}` does the same through a merge. Request bodies
 * are cleaned once before any transform runs, so transform authors need not think about it.
 */
export function stripPollutingKeys(value: unknown): void {
  // Iterative, with no depth limit: a recursive deep merge in a transform follows a body
  // nested 300 levels deep just as well, so the cleaning must reach every level.
  const stack: unknown[] = [value];
  let visited = 0;
  let seen: Set<object> | undefined; // cycle guard, only for bodies far larger than usual
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current !== "object" || current === null || ArrayBuffer.isView(current)) continue;
    if (++visited > 10_000) {
      seen ??= new Set();
      if (seen.has(current)) continue;
      seen.add(current);
    }
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) stack.push(current[i]);
      continue;
    }
    const record = current as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(record, "__proto__")) delete record["__proto__"];
    const ctor = Object.prototype.hasOwnProperty.call(record, "constructor") ? record["constructor"] : undefined;
    if (typeof ctor === "object" && ctor !== null && Object.prototype.hasOwnProperty.call(ctor, "prototype")) delete record["constructor"];
    for (const key of Object.keys(record)) stack.push(record[key]);
  }
}

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

/** True for keys a path helper must never follow or write. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN.has(key);
}
