/**
 * The framework-free shapes the migrator works on. The Express middleware builds them from
 * `req`/`res`; tests and non-HTTP callers build them by hand.
 */

/** A JSON object as parsed from a body. */
export type JsonObject = Record<string, unknown>;

/** An HTTP request as a change sees it. Changes mutate it in place. */
export interface RequestShape {
  /** Upper-case method. */
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string | string[] | undefined>;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or `undefined` when there is none. */
  body: unknown;
}

/** An HTTP response (or error response) as a change sees it. Changes mutate it in place. */
export interface ResponseShape {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | number | undefined>;
  /** The JSON body the handler produced. */
  body: unknown;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
