import type { ErrorRequestHandler, RequestHandler } from "express";
import { isStrataError } from "@strata/core";

/** The JSON:API media type every answer carries (requests may also send `application/json`). */
export const JSONAPI = "application/vnd.api+json; charset=utf-8";

/** One JSON:API error object, as Keygen shapes them. */
export interface ErrorObject {
  title: string;
  detail?: string;
  code?: string;
  source?: { pointer?: string; parameter?: string };
  meta?: Record<string, unknown>;
}

/** An error the client caused (or a refusal), with the JSON:API errors to answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ErrorObject[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.map((e) => e.detail ?? e.title).join("; "));
  }
}

export const notFound = (what: string, id: string): ApiError =>
  new ApiError(404, [{ title: "Not found", detail: `The requested ${what} '${id.slice(0, 100)}' was not found`, code: "NOT_FOUND" }]);

/** A request that cannot be read as asked: a 400 naming the part of the document at fault. */
export const badParameter = (pointer: string, detail: string, code = "PARAMETER_INVALID"): ApiError =>
  new ApiError(400, [{ title: "Bad request", detail, code, source: { pointer } }]);

/** A well-formed request the rules refuse: a 422 naming the attribute or relationship. */
export const unprocessable = (pointer: string, detail: string, code: string): ApiError =>
  new ApiError(422, [{ title: "Unprocessable resource", detail, code, source: { pointer } }]);

/**
 * Strata's own refusals (a bad `Keygen-Version`, a pin store outage, the settings router's
 * 4xx) are RFC 9457 problems; the rest of this API answers JSON:API errors. Every `res.json`
 * of a problem is rewritten here, after the chain ran, so clients see one error format.
 * (A gap: Strata has no option to render its problems in an app's own error format.)
 */
export function problemsAsJsonApi(versionHeader: string): RequestHandler {
  return function problemsAsJsonApi(_req, res, next) {
    const json = res.json;
    res.json = function jsonApiJson(this: typeof res, body?: unknown) {
      const type = String(res.getHeader("content-type") ?? "");
      if (type.startsWith("application/problem+json") && isProblem(body)) {
        res.setHeader("Content-Type", JSONAPI);
        return json.call(this, { errors: [fromProblem(body, versionHeader)] });
      }
      return json.call(this, body);
    } as typeof res.json;
    next();
  };
}

interface Problem {
  title: string;
  status: number;
  detail?: string;
  code?: string;
  [member: string]: unknown;
}

function isProblem(body: unknown): body is Problem {
  return typeof body === "object" && body !== null && typeof (body as Problem).title === "string" && typeof (body as Problem).status === "number";
}

/** Strata's codes about the version header: the error's `source` is that header. */
const VERSION_CODES = new Set(["invalid_version", "unsupported_version", "version_sunset"]);

/** `unsupported_version` -> `UNSUPPORTED_VERSION`; the problem's extension members go to `meta`. */
function fromProblem(problem: Problem, versionHeader?: string): ErrorObject {
  const { type: _type, title, status: _status, detail, code, pointer, ...extensions } = problem;
  const out: ErrorObject = { title, ...(detail ? { detail } : {}), code: (code ?? "error").toUpperCase() };
  if (typeof pointer === "string") out.source = { pointer };
  else if (versionHeader && VERSION_CODES.has(String(code))) out.source = { parameter: versionHeader };
  if (Object.keys(extensions).length > 0) out.meta = extensions;
  return out;
}

/**
 * Render every error as JSON:API errors. Client mistakes arrive as ApiErrors (or Strata's 4xx
 * errors, or body-parser's); anything else is a bug, answered as an opaque 500 and reported to
 * `onError` (tests assert it is never called).
 */
export function jsonApiErrors(onError: (err: unknown) => void): ErrorRequestHandler {
  return function jsonApiErrors(err, _req, res, next) {
    if (res.headersSent) return next(err);
    const status = statusOf(err);
    let errors: ErrorObject[];
    if (err instanceof ApiError) {
      for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
      errors = err.errors;
    } else if (isStrataError(err) && err.status < 500) {
      errors = [fromProblem(err.toProblem() as unknown as Problem)];
    } else if (status < 500) {
      // body-parser's refusals, with the codes Strata's middleware gives the same mistakes
      // (it reads the bodies of older versions' requests itself): one code per mistake, in every version.
      const type = String((err as { type?: string }).type);
      const [code, detail] = BODY_ERRORS[type] ?? ["REQUEST_INVALID", String((err as Error).message ?? "The request could not be read.")];
      errors = [{ title: status === 413 ? "Payload too large" : "Bad request", detail, code }];
    } else {
      onError(err);
      errors = [{ title: "Internal server error", detail: "Something went wrong on our side.", code: "INTERNAL_ERROR" }];
    }
    res.status(status).type(JSONAPI).json({ errors });
  };
}

const BODY_ERRORS: Record<string, [code: string, detail: string]> = {
  "entity.parse.failed": ["INVALID_JSON", "The request body is not valid JSON."],
  "entity.too.large": ["PAYLOAD_TOO_LARGE", "The request body exceeds 1 MiB."],
  "encoding.unsupported": ["UNSUPPORTED_CONTENT_ENCODING", "The request body's Content-Encoding is not supported."],
  "charset.unsupported": ["UNSUPPORTED_CHARSET", "The request body's charset is not supported."],
};

function statusOf(err: unknown): number {
  if (err instanceof ApiError) return err.status;
  const status = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" && status >= 400 && status < 600 ? status : 500;
}
