import type { ErrorRequestHandler, Request, Response } from "express";
import { isStrataError, problemTitle, problemType, type ProblemDetails } from "@strata/core";
import createDebug from "debug";
import statuses from "statuses";
import { settingsFor } from "./app-settings";
import { requestIdOf } from "./request-id";

const log = createDebug("strata:error");

/** Send `problem` as `application/problem+json` (RFC 9457). */
export function sendProblem(res: Response, problem: ProblemDetails, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(problem.status);
  // res.json keeps a content type that is already set.
  res.setHeader("Content-Type", "application/problem+json; charset=utf-8");
  res.json(problem);
}

/**
 * The problem body for any error. Strata's errors (from any installed copy of core) render
 * themselves; errors following the http-errors conventions (`status`, `expose`, and
 * optionally a string `code`) keep their status, their message when exposed and their code;
 * anything else is an opaque 500 that leaks nothing.
 */
export function problemFor(err: unknown, requestId?: string, typeBase?: string): ProblemDetails {
  let problem: ProblemDetails;
  if (isStrataError(err)) problem = err.toProblem(typeBase === undefined ? {} : { typeBase });
  else {
    const http = httpStatusOf(err);
    problem =
      http === undefined ? genericProblem(500, "internal_error", "An unexpected error occurred.", typeBase) : httpProblem(err as HttpishError, http, typeBase);
  }
  if (requestId) problem.requestId = requestId;
  return problem;
}

/** Response headers an http-errors error carries (`WWW-Authenticate`, `Retry-After`, ...), for 4xx only. */
export function headersOf(err: unknown): Record<string, string> {
  const status = httpStatusOf(err);
  const headers = (err as HttpishError | undefined)?.headers;
  if (status === undefined || status >= 500 || typeof headers !== "object" || headers === null) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (typeof value === "string" || typeof value === "number") out[name] = String(value);
  return out;
}

interface HttpishError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  expose?: unknown;
  message?: unknown;
  code?: unknown;
  headers?: unknown;
}

/** A 4xx or 5xx status the error declares, the way Express's final handler reads it. */
function httpStatusOf(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as HttpishError;
  const status = typeof e.status === "number" ? e.status : e.statusCode;
  return typeof status === "number" && Number.isInteger(status) && status >= 400 && status <= 599 ? status : undefined;
}

// body-parser marks its refusals with a `type`; name them as the middleware's own reader does.
const BODY_PARSER_CODES: Record<string, string> = {
  "entity.parse.failed": "invalid_json",
  "entity.too.large": "payload_too_large",
  "encoding.unsupported": "unsupported_content_encoding",
  "charset.unsupported": "unsupported_charset",
  "request.aborted": "request_aborted",
  "request.size.invalid": "invalid_content_length",
};
const APP_CODE = /^[a-z][a-z0-9_.-]{0,63}$/i;

function httpProblem(err: HttpishError, status: number, typeBase: string | undefined): ProblemDetails {
  if (status >= 500) return genericProblem(status, codeOfStatus(status), "An unexpected error occurred.", typeBase);
  const code =
    (typeof err.type === "string" ? BODY_PARSER_CODES[err.type] : undefined) ??
    (typeof err.code === "string" && APP_CODE.test(err.code) ? err.code : codeOfStatus(status));
  // http-errors exposes 4xx messages by default; an error saying `expose: false` keeps its message.
  const detail =
    code === "invalid_json"
      ? "The request body is not valid JSON."
      : err.expose !== false && typeof err.message === "string" && err.message
        ? err.message
        : problemTitle(status);
  return genericProblem(status, code, detail, typeBase);
}

function genericProblem(status: number, code: string, detail: string, typeBase: string | undefined): ProblemDetails {
  return { type: problemType(code, typeBase), title: problemTitle(status), status, detail, code };
}

/** `Too Many Requests` -> `too_many_requests`: a stable code for a status an app gave no code. */
function codeOfStatus(status: number): string {
  const message = statuses.message[status];
  return message
    ? message
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "_")
        .replace(/^_|_$/g, "")
    : status >= 500
      ? "server_error"
      : "client_error";
}

/** Options of {@link strataErrorHandler}. */
export interface ErrorHandlerOptions {
  /** Read or make the request id added to every problem. Defaults to `x-request-id`, else generated. */
  requestId?: (req: Request) => string | undefined;
  /** Prefix of problem `type` URIs. Default: the app setting `"strata problem type base"`, else `about:blank`. */
  problemTypeBase?: string;
  /** Response header carrying the request id. Default: the app setting `"strata request id header"`, else `Request-Id`. */
  requestIdHeader?: string | false;
}

/**
 * Express error handler that renders every error as problem+json. Mount it after your routes:
 * responses go through `res.json`, so clients on older versions get them translated by the
 * chain's error transforms like any other error response. 5xx details never reach the client;
 * an http-errors error keeps its status, exposed message, `code` and headers.
 *
 * @example
 * app.use(strataErrorHandler());
 */
export function strataErrorHandler(options: ErrorHandlerOptions = {}): ErrorRequestHandler {
  const own = { ...options };
  return function strataErrorHandler(err, req, res, next) {
    if (res.headersSent) return next(err);
    const settings = settingsFor(req, own);
    const requestId = requestIdOf(req, own.requestId);
    const problem = problemFor(err, requestId, settings.problemTypeBase);
    if (problem.status >= 500) log("%s %s failed (request %s): %O", req.method, req.originalUrl, requestId, err);
    const headers = headersOf(err);
    if (settings.requestIdHeader) headers[settings.requestIdHeader] = requestId;
    sendProblem(res, problem, headers);
  };
}
