import { change, problemTitle, type JsonObject } from "@strata/core";
import { componentSchemas, dropUnusedSchemas, eachOperation, ref, reword, type Schema } from "./schema-edit";
import { isObject } from "./util";

/** The v1 error codes, by HTTP status: every v1 operation documents these. */
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

/** `ErrNotFound`, the v1 error body's component name (as in @unkey/api@0.38). */
const errName = (code: string) => `Err${code.toLowerCase().replace(/(?:^|_)(\w)/g, (_, c: string) => c.toUpperCase())}`;

/** The v1 error body of one code. */
function v1Error(code: string): Schema {
  return {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "docs", "message", "requestId"],
        properties: {
          code: { type: "string", enum: [code], description: "A machine readable error code." },
          docs: { type: "string", description: "A link to the documentation of this error code.", examples: [docs(code)] },
          message: { type: "string", description: "A human readable explanation of what went wrong." },
          requestId: { type: "string", description: "The request's id (also in the `Unkey-Request-Id` header)." },
        },
      },
    },
  };
}

const v1ErrorResponse = (status: number, code: string): JsonObject => ({
  description: `${problemTitle(status)} (\`${code}\`).`,
  headers: { "Unkey-Request-Id": { $ref: "#/components/headers/UnkeyRequestId" } },
  content: { "application/json": { schema: ref(errName(code)) } },
});

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
  // Every v1 operation answered each v1 status with its error body, all as application/json.
  schema: (document, tools) => {
    const schemas = componentSchemas(document);
    for (const code of Object.values(V1_CODES)) schemas[errName(code)] = v1Error(code);
    for (const { operation } of tools.operations("* /*operation")) {
      const responses = operation.responses as JsonObject;
      for (const status of Object.keys(responses)) if (!status.startsWith("2")) delete responses[status];
      for (const [status, code] of Object.entries(V1_CODES)) responses[status] = v1ErrorResponse(Number(status), code);
    }
    eachOperation(tools, "POST /v2/identities.deleteIdentity", ({ operation }) =>
      reword(operation, "; its errors are `application/problem+json`, as the v2 SDK expects for this operation", ""),
    );
    dropUnusedSchemas(document);
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
  // The 429 of v1's deleteApi is `DELETE_PROTECTED` (its 412 stays, as v1 documented it).
  schema: (document, tools) => {
    componentSchemas(document)[errName("DELETE_PROTECTED")] = v1Error("DELETE_PROTECTED");
    eachOperation(tools, "POST /v2/apis.deleteApi", ({ operation }) => {
      (operation.responses as JsonObject)["429"] = {
        ...v1ErrorResponse(429, "DELETE_PROTECTED"),
        description: "The API is delete protected (`DELETE_PROTECTED`).",
      };
      reword(operation, "is a 412", "is a 429 (`DELETE_PROTECTED`)");
    });
  },
});
