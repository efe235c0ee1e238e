import type { RequestHandler } from "express";
import { StrataError, type ProblemDetails } from "@strata/core";

/**
 * Orbit's own client errors. They extend StrataError so `strataErrorHandler()` renders them
 * as problem+json with the request id, and so a customer v1 response passes through the same
 * error path as any other problem.
 */
export class OrbitError extends StrataError {
  override name = "OrbitError";
  constructor(
    status: number,
    code: string,
    detail: string,
    private readonly extensions: Record<string, unknown> = {},
  ) {
    super(code, detail, status);
  }

  /** Orbit's problem types point at Orbit's docs; Strata's own problems keep Strata's. */
  override toProblem(): ProblemDetails {
    return { ...super.toProblem(), type: `https://orbit.devotel.io/problems/${this.code.replace(/_/g, "-")}`, ...this.extensions };
  }
}

/** A 400 that names the offending request field, so clients can point at it in a form. */
export function invalidField(field: string, detail: string): OrbitError {
  return new OrbitError(400, "invalid_field", detail, { field });
}

export function notFound(what: string): OrbitError {
  return new OrbitError(404, "not_found", `${what} does not exist.`);
}

/** The body must be a JSON object; lists only the fields an endpoint accepts. */
export function objectBody(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new OrbitError(400, "invalid_body", "The request body must be a JSON object.");
  }
  // Unknown fields are refused rather than ignored: a typo (`allowedIps`) must not silently
  // mint a key without the restriction the caller meant to set.
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw invalidField(key, `Unknown field \`${key}\`. Accepted fields: ${allowed.join(", ")}.`);
  }
  return body as Record<string, unknown>;
}

/** Anything no route answered, as problem+json like every other error. */
export const notFoundFallback: RequestHandler = (req, _res, next) => {
  next(notFound(`${req.method} ${req.path}`));
};
