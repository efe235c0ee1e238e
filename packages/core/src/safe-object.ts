/**
 * JSON.parse turns a `"__proto__"` key into an own property. Harmless by itself, it becomes
 * prototype pollution the moment a transform copies it with `obj[key] = value` or a deep
 * merge; `{"constructor": {"prototype": ...}}` does the same through a merge. Request bodies
 * are cleaned once before any transform runs, so transform authors need not think about it.
 */
export function stripPollutingKeys(value: unknown, depth = 0): void {
  if (typeof value !== "object" || value === null || depth > 256) return;
  if (Array.isArray(value)) {
    for (const item of value) stripPollutingKeys(item, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, "__proto__")) delete record["__proto__"];
  const ctor = Object.prototype.hasOwnProperty.call(record, "constructor") ? record["constructor"] : undefined;
  if (typeof ctor === "object" && ctor !== null && Object.prototype.hasOwnProperty.call(ctor, "prototype")) delete record["constructor"];
  for (const key of Object.keys(record)) stripPollutingKeys(record[key], depth + 1);
}

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

/** True for keys a path helper must never follow or write. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN.has(key);
}
