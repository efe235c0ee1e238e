import type { ErrorRequestHandler, Response } from "express";
import { StrataError, problemTitle, problemType, type ProblemDetails } from "@strata/core";
import createDebug from "debug";
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

/** The problem body for any error: StrataErrors render themselves; others become an opaque 500. */
export function problemFor(err: unknown, requestId?: string, typeBase?: string): ProblemDetails {
  let problem: ProblemDetails;
  if (err instanceof StrataError) problem = err.toProblem(typeBase === undefined ? {} : { typeBase });
  else if (isClientHttpError(err)) problem = clientProblem(err, typeBase);
  else
    problem = {
      type: problemType("internal_error", typeBase),
      title: problemTitle(500),
      status: 500,
      detail: "An unexpected error occurred.",
      code: "internal_error",
    };
  if (requestId) problem.requestId = requestId;
  return problem;
}

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

/** body-parser and http-errors mark client mistakes with `expose` and a 4xx status. */
function isClientHttpError(err: unknown): err is HttpishError {
  if (typeof err !== "object" || err === null) return false;
  const e = err as HttpishError;
  const status = e.status ?? e.statusCode;
  return typeof status === "number" && status >= 400 && status < 500;
}

function clientProblem(err: HttpishError, typeBase: string | undefined): ProblemDetails {
  const status = (err.status ?? err.statusCode)!;
  const code = err.type === "entity.parse.failed" ? "invalid_json" : err.type === "entity.too.large" ? "payload_too_large" : "bad_request";
  const detail =
    code === "invalid_json" ? "The request body is not valid JSON." : err.expose && err.message ? err.message : problemTitle(status);
  return { type: problemType(code, typeBase), title: problemTitle(status), status, detail, code };
}

/** Options of {@link strataErrorHandler}. */
export interface ErrorHandlerOptions {
  /** Read or make the request id added to every problem. Defaults to `x-request-id`, else generated. */
  requestId?: (req: import("express").Request) => string | undefined;
  /** Prefix of problem `type` URIs, e.g. `"https://api.example.com/problems/"`. */
  problemTypeBase?: string;
}

/**
 * Express error handler that renders every error as problem+json. Mount it after your routes:
 * responses go through `res.json`, so clients on older versions get them translated by the
 * chain's error transforms like any other error response. 5xx details never reach the client.
 *
 * @example
 * app.use(strataErrorHandler());
 */
export function strataErrorHandler(options: ErrorHandlerOptions = {}): ErrorRequestHandler {
  const readId = options.requestId;
  const typeBase = options.problemTypeBase;
  return function strataErrorHandler(err, req, res, next) {
    if (res.headersSent) return next(err);
    const requestId = requestIdOf(req, readId);
    const problem = problemFor(err, requestId, typeBase);
    if (problem.status >= 500) log("%s %s failed (request %s): %O", req.method, req.originalUrl, requestId, err);
    sendProblem(res, problem);
  };
}
