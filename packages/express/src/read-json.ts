import type { Request } from "express";
import { StrataError } from "@strata/core";

/** The body is not JSON, or too large: the client's mistake, rendered as a 400 or 413 problem. */
export class InvalidBodyError extends StrataError {
  override name = "InvalidBodyError";
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Whether the request declares a JSON body (`application/json`, `application/*+json`). */
export function isJsonRequest(req: Request): boolean {
  const type = req.headers["content-type"];
  return typeof type === "string" && JSON_TYPE.test(type);
}

/**
 * The parsed JSON body, reading the stream if no body parser ran yet. Changes need the body as
 * an object before routing; once read, the request is marked parsed so `express.json()` mounted
 * after the middleware skips it instead of waiting for a stream that has ended.
 */
export function readJsonBody(req: Request, limit: number): unknown | Promise<unknown> {
  const r = req as Request & { _body?: boolean };
  // Nothing to read (a GET, a parsed or non-JSON body): answer at once, with no promise, so
  // the request continues in the same tick like it would without the middleware.
  if (r._body || r.readableEnded || (req.body !== undefined && !isEmptyPlaceholder(req.body))) return req.body;
  if (!isJsonRequest(req)) return req.body;
  return readStream(req, limit);
}

async function readStream(req: Request, limit: number): Promise<unknown> {
  const r = req as Request & { _body?: boolean };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > limit) throw new InvalidBodyError("payload_too_large", `The request body exceeds ${limit} bytes.`, 413);
    chunks.push(buf);
  }
  r._body = true;
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidBodyError("invalid_json", "The request body is not valid JSON.", 400);
  }
}

/** Express 4's body-parser leaves `{}` when it skipped a body; treat it as "not parsed". */
function isEmptyPlaceholder(body: unknown): boolean {
  return typeof body === "object" && body !== null && !Array.isArray(body) && Object.keys(body).length === 0;
}
