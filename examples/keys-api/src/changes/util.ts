import { StrataError, type JsonObject } from "@strata/core";

/** Small helpers the changes share; each change stays a few readable lines. */

export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** The `data` of a v2 envelope, if the body is one. */
export function dataOf(body: unknown): unknown {
  return isObject(body) ? body.data : undefined;
}

/** Call `fn` on `value`, or on each object of it when it is a list. */
export function each(value: unknown, fn: (obj: JsonObject) => void): void {
  if (Array.isArray(value)) value.forEach((v) => isObject(v) && fn(v));
  else if (isObject(value)) fn(value);
}

/** The request body as an object (changes run before validation; a non-object is left alone). */
export function bodyOf(req: { body: unknown }): JsonObject | undefined {
  return isObject(req.body) ? req.body : undefined;
}

/** Move `from` to `to` unless `to` is already given; the newer name wins when both are. */
export function rename(obj: JsonObject, from: string, to: string): void {
  if (!(from in obj)) return;
  if (obj[to] === undefined) obj[to] = obj[from];
  delete obj[from];
}

/** A 400 raised while translating an old request: the client's mistake, reported in its format. */
export function invalidRequest(message: string): StrataError {
  return new StrataError("invalid_request", message, 400);
}

/** The root key of the request's `Authorization: Bearer` header. */
export function rootKeyOf(headers: Record<string, unknown>): string | undefined {
  const h = headers["authorization"];
  return typeof h === "string" ? /^Bearer\s+(\S+)/i.exec(h)?.[1] : undefined;
}

/** v1 keys had one ratelimit; in v2 it is the auto-applied one, named "default" when migrated. */
export const V1_RATELIMIT = "default";

/** Which of a v2 key's ratelimits a v1 client sees as its `ratelimit`. */
export function v1Ratelimit<T extends JsonObject>(ratelimits: unknown): T | undefined {
  if (!Array.isArray(ratelimits)) return undefined;
  const auto = (ratelimits as T[]).filter((r) => isObject(r) && r.autoApply === true);
  return auto.find((r) => r.name === V1_RATELIMIT) ?? auto[0];
}
