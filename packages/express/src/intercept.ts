import type { Response } from "express";
import type { RequestMigration, ResponseShape, WalkGuide } from "@strata/core";
import type { ResponseCheck } from "./response-contracts";

const NO_HEADERS: ResponseShape["headers"] = Object.freeze({});

/** What the interception does when the chain cannot translate a response. */
export type MigrationFailure = (err: unknown) => ResponseShape;

/**
 * Route JSON responses of this request through the chain, new -> old, once. `res.json` is
 * where Express turns the object into text, so the body is migrated as an object and
 * serialised once; `res.send(object)` reaches it too, and `res.jsonp`, which serialises by
 * itself, is intercepted alike. Other bodies (strings, buffers, streams, files) go out
 * untouched. A response the chain cannot translate is answered by `failed` (a
 * `migration_failed` problem), never sent in the newest shape.
 */
export function interceptJson(
  res: Response,
  migration: RequestMigration,
  failed: MigrationFailure,
  inPlace: boolean,
  check?: ResponseCheck,
  guideFor?: (status: number) => WalkGuide | undefined,
): void {
  const json = res.json;
  const jsonp = res.jsonp;
  const restore = () => {
    res.json = json;
    res.jsonp = jsonp;
  };
  const translate = (send: Response["json"]) =>
    function strataJson(this: Response, body?: unknown) {
      restore();
      // Resource changes never see the head; copy the headers only for changes that might.
      const head = migration.mayChangeHead(res.statusCode);
      const before = head ? (res.getHeaders() as ResponseShape["headers"]) : NO_HEADERS;
      const shape: ResponseShape = { status: res.statusCode, headers: head ? { ...before } : {}, body };
      try {
        const guide = guideFor?.(shape.status);
        migration.migrateResponse(shape, guide ? { inPlace, guide } : { inPlace });
        if (check) {
          const violation = check({ ...shape, headers: head ? shape.headers : (res.getHeaders() as ResponseShape["headers"]) });
          if (violation) throw violation;
        }
      } catch (err) {
        // The handler already ran; answer the failure instead of re-running anything.
        const problem = failed(err);
        for (const [name, value] of Object.entries(problem.headers)) if (value !== undefined) res.setHeader(name, value);
        res.status(problem.status);
        return json.call(this, problem.body);
      }
      if (head) {
        applyHeaders(res, before, shape.headers);
        if (shape.status !== res.statusCode) res.status(shape.status);
      }
      return send.call(this, shape.body);
    } as Response["json"];
  res.json = translate(json);
  res.jsonp = translate(jsonp);
}

function applyHeaders(res: Response, before: ResponseShape["headers"], after: ResponseShape["headers"]): void {
  for (const name of Object.keys(before)) if (after[name] === undefined) res.removeHeader(name);
  for (const [name, value] of Object.entries(after)) {
    if (value !== undefined && value !== before[name]) res.setHeader(name, value as string | string[] | number);
  }
}
