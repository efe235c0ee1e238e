import type { Version } from "@strata/core";
import { StrataError, type ResponseShape } from "@strata/core";

/**
 * What `validateResponses` checks against: each version's response schemas. `@strata/openapi`'s
 * `defineContracts()` is one; any object with this method will do.
 */
export interface ResponseContracts {
  /** `[]` when the response fits its version's document; `undefined` when it has no such operation. */
  validateResponse(
    version: Version,
    response: { method: string; path: string; status: number; body: unknown; contentType?: string },
  ): readonly { pointer: string; message: string }[] | undefined;
}

/** A migrated response did not fit its version's contract (with `validateResponses: "error"`). */
export class ResponseContractError extends StrataError {
  override name = "ResponseContractError";
  constructor(version: string) {
    // The violations go to the log; the client learns only that its version's shape failed.
    super("response_contract_violation", `The response could not be given in the shape version ${version} promises.`, 500);
  }
}

/** What the interception asks after a response was migrated: `undefined` to send it, or the error to answer instead. */
export type ResponseCheck = (response: ResponseShape) => ResponseContractError | undefined;

/**
 * The check for one request, or `undefined` when checks are off (then nothing is done per
 * request). `method` and `path` are the client's, before the chain moved them.
 */
export function responseCheck(
  mode: "off" | "log" | "error",
  contracts: ResponseContracts | undefined,
  version: Version,
  method: string,
  path: string,
  report: (line: string) => void,
): ResponseCheck | undefined {
  if (mode === "off" || !contracts) return undefined;
  return (response) => {
    const contentType = response.headers["content-type"];
    const violations = contracts.validateResponse(version, {
      method,
      path,
      status: response.status,
      body: response.body,
      ...(typeof contentType === "string" ? { contentType } : {}),
    });
    if (!violations || violations.length === 0) return undefined;
    const list = violations
      .slice(0, 5)
      .map((v) => `${v.pointer || "/"} ${v.message}`)
      .join("; ");
    report(`strata: ${method} ${path} answered ${response.status} outside the ${version.id} contract: ${list}`);
    return mode === "error" ? new ResponseContractError(version.id) : undefined;
  };
}
