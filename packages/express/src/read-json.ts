import type { IncomingMessage } from "node:http";
import type { Request, Response } from "express";
import bodyParser from "body-parser";
import typeis from "type-is";
import { StrataError } from "@strata/core";

/** The body is not JSON, too large, or encoded in a way the server cannot read: the client's 4xx. */
export class InvalidBodyError extends StrataError {
  override name = "InvalidBodyError";
}

const JSON_TYPES = ["application/json", "application/*+json"];

/** Whether the request declares a JSON body (`application/json`, `application/*+json`), as body-parser decides it. */
export function isJsonRequest(req: IncomingMessage): boolean {
  const type = req.headers["content-type"];
  return typeof type === "string" && typeis.is(type, JSON_TYPES) !== false;
}

/** Reads a request's JSON body: the value, or a promise of it when the stream must be read. */
export type JsonBodyReader = (req: Request, res: Response) => unknown | Promise<unknown>;

// body-parser's error types, as problems with stable codes.
const BODY_ERRORS: Record<string, [code: string, status: number, detail: string]> = {
  "entity.parse.failed": ["invalid_json", 400, "The request body is not valid JSON."],
  "entity.too.large": ["payload_too_large", 413, ""],
  "encoding.unsupported": ["unsupported_content_encoding", 415, ""],
  "charset.unsupported": ["unsupported_charset", 415, ""],
  "request.aborted": ["request_aborted", 400, "The request was aborted before its body was read."],
  "request.size.invalid": ["invalid_content_length", 400, "The request body does not match its Content-Length."],
};

/**
 * A JSON body reader with body-parser's own rules: `Content-Encoding` (gzip, deflate, br),
 * charsets, limits like `"1mb"`, and, on a refusal, the rest of the body read off before the
 * answer, so a keep-alive connection is never left holding unread bytes. Changes need the
 * body as an object before routing; once read, the request is marked parsed so a body
 * parser mounted after the middleware skips it instead of waiting for a stream that ended.
 */
export function jsonBodyReader(limit: number | string): JsonBodyReader {
  const parse = bodyParser.json({ limit, type: isJsonRequest });
  return function readJsonBody(req, res) {
    const r = req as Request & { _body?: boolean };
    // Nothing to read (a GET, a parsed or non-JSON body): answer at once, with no promise, so
    // the request continues in the same tick like it would without the middleware.
    if (r._body || r.readableEnded || (req.body !== undefined && !isEmptyPlaceholder(req.body))) return req.body;
    if (!isJsonRequest(req)) return req.body;
    return new Promise((resolve, reject) => {
      parse(req, res, (err?: unknown) => {
        if (err) return reject(bodyError(err, limit));
        r._body = true;
        resolve(req.body);
      });
    });
  };
}

function bodyError(err: unknown, limit: number | string): unknown {
  const type = (err as { type?: unknown })?.type;
  const known = typeof type === "string" ? BODY_ERRORS[type] : undefined;
  if (!known) return err;
  const [code, status, detail] = known;
  const message =
    detail || (code === "payload_too_large" ? `The request body exceeds ${typeof limit === "number" ? `${limit} bytes` : limit}.` : (err as Error).message);
  return new InvalidBodyError(code, message, status, { cause: err });
}

/** Express 4's body-parser leaves `{}` when it skipped a body; treat it as "not parsed". */
function isEmptyPlaceholder(body: unknown): boolean {
  return typeof body === "object" && body !== null && !Array.isArray(body) && Object.keys(body).length === 0;
}
