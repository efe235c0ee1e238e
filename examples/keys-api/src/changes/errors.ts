import { change } from "@strata/core";
import { isObject } from "./util";

/** The v1 error codes, by HTTP status. */
const V1_CODES: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  412: "PRECONDITION_FAILED",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL_SERVER_ERROR",
};

const docs = (code: string) => `https://unkey.dev/docs/api-reference/errors/code/${code}`;

/**
 * v2 errors are `{meta: {requestId}, error: {title, detail, status, type, errors?}}`; v1 errors
 * were `{error: {code, docs, message, requestId}}`. Strata's own problem+json errors (an
 * unparseable query value, say) reach v1 clients in the v1 format too.
 */
export const errorsGetV2Format = change({
  description:
    "Errors are `{meta: {requestId}, error: {title, detail, status, type, errors}}`, with field-level `errors` on 400s (was `{error: {code, docs, message, requestId}}`).",
  error: (res) => {
    const body = res.body;
    let message = "An error occurred.";
    let requestId: unknown;
    if (isObject(body) && isObject(body.error)) {
      message = String(body.error.detail ?? body.error.title ?? message);
      requestId = isObject(body.meta) ? body.meta.requestId : undefined;
    } else if (isObject(body) && typeof body.status === "number") {
      message = String(body.detail ?? body.title ?? message);
      requestId = body.requestId;
    }
    const code = V1_CODES[res.status] ?? (res.status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST");
    requestId ??= res.headers["unkey-request-id"];
    res.body = { error: { code, docs: docs(code), message, requestId: typeof requestId === "string" ? requestId : "N/A" } };
    // v1 clients read every error as JSON; problem+json was never part of v1.
    res.headers["content-type"] = "application/json; charset=utf-8";
  },
});

/** Declared before the format change, so on the way back it sees (and refines) a v1 error. */
export const deleteProtectionAnswers412 = change({
  description: "apis.deleteApi on a delete-protected API answers 412 Precondition Failed (was 429 with code `DELETE_PROTECTED`).",
  routes: "POST /v2/apis.deleteApi",
  error: (res) => {
    if (res.status !== 412 || !isObject(res.body) || !isObject(res.body.error)) return;
    res.status = 429;
    res.body.error.code = "DELETE_PROTECTED";
    res.body.error.docs = docs("DELETE_PROTECTED");
  },
});
