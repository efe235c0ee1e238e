import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import { QueryValueError, StrataError, problemTitle } from "@strata/core";

/** One field-level problem of a 400, as v2 reports them. */
export interface FieldError {
  location: string;
  message: string;
  fix?: string;
}

/** An error the v2 handlers answer with; rendered in the v2 error format. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors: FieldError[] = []) => new ApiError(400, detail, errors);
export const notFound = (detail: string) => new ApiError(404, detail);
export const conflict = (detail: string) => new ApiError(409, detail);

/** The v2 error body: `{meta: {requestId}, error: {title, detail, status, type, errors?}}`. */
export function v2ErrorBody(requestId: string, status: number, detail: string, errors?: FieldError[], type?: string) {
  return {
    meta: { requestId },
    error: {
      title: problemTitle(status),
      detail,
      status,
      type: type ?? `https://unkey.dev/docs/api-reference/errors/${status}`,
      // The v2 SDK only recognises a 400 that lists its field errors, even an empty list.
      ...(errors || status === 400 ? { errors: errors ?? [] } : {}),
    },
  };
}

/**
 * The v2 SDK matches errors by Content-Type: 429s, and every error of deleteIdentity, must be
 * problem+json; everything else application/json. Anything else becomes a generic APIError.
 */
function contentTypeFor(status: number, path: string): string {
  return status === 429 || path === "/v2/identities.deleteIdentity" ? "application/problem+json" : "application/json";
}

export function sendError(res: Response, status: number, detail: string, errors?: FieldError[], type?: string): void {
  res.status(status);
  res.setHeader("Content-Type", `${contentTypeFor(status, res.req.path)}; charset=utf-8`);
  res.json(v2ErrorBody(res.locals.requestId as string, status, detail, errors, type));
}

/** Express's default 404 is HTML; the API answers JSON for every path. */
export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, `No endpoint ${req.method} ${req.path}. See https://www.unkey.com/docs/api-reference for the operations this API offers.`));
};

/**
 * Render every error in the v2 format: the handlers' ApiErrors, Strata's own errors (an
 * unknown version, a query value that is not a number), body-parser's, and crashes as 500s.
 * Responses go through `res.json`, so older clients get them translated by the error changes.
 */
export function v2Errors(): ErrorRequestHandler {
  return function v2ErrorHandler(err: unknown, req, res, next) {
    if (res.headersSent) return next(err);
    if (err instanceof ApiError) return sendError(res, err.status, err.detail, err.errors);
    if (err instanceof StrataError) {
      const problem = err.toProblem();
      const location = err instanceof QueryValueError ? `query.${err.parameter}` : "request";
      const errors = problem.status === 400 ? [{ location, message: problem.detail }] : undefined;
      return sendError(res, problem.status, problem.detail, errors, problem.type);
    }
    const status = (err as { status?: unknown })?.status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      const parse = (err as { type?: unknown }).type === "entity.parse.failed";
      return sendError(
        res,
        status,
        parse ? "The request body is not valid JSON." : (err as Error).message,
        status === 400 ? [{ location: "body", message: parse ? "Invalid JSON" : (err as Error).message }] : undefined,
      );
    }
    console.error(`[keys-api] ${req.method} ${req.path} failed:`, err);
    sendError(res, 500, "An unexpected error occurred.");
  };
}
