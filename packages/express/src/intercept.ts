import type { Response } from "express";
import { MigrationError, type RequestMigration, type ResponseShape } from "@strata/core";
import createDebug from "debug";
import { problemFor } from "./problem";

const log = createDebug("strata:error");
const NO_HEADERS: ResponseShape["headers"] = Object.freeze({});

/**
 * Route JSON responses of this request through the chain, new -> old, once. `res.json` is
 * where Express turns the object into text, so the body is migrated as an object and
 * serialised once; `res.send(object)` reaches it too. Other bodies (strings, buffers,
 * streams, files) never pass through here and go out untouched.
 */
export function interceptJson(res: Response, migration: RequestMigration, requestId: () => string, problemTypeBase?: string): void {
  const json = res.json;
  res.json = function strataJson(this: Response, body?: unknown) {
    res.json = json;
    // Resource changes never see the head; copy the headers only for changes that might.
    const head = migration.mayChangeHead(res.statusCode);
    const before = head ? (res.getHeaders() as ResponseShape["headers"]) : NO_HEADERS;
    const shape: ResponseShape = { status: res.statusCode, headers: head ? { ...before } : {}, body };
    try {
      migration.migrateResponse(shape);
    } catch (err) {
      const id = requestId();
      if (err instanceof MigrationError) log("%s (request %s): %O", err.message, id, err.cause);
      else log("response migration failed (request %s): %O", id, err);
      // The handler already ran; answer the failure instead of re-running anything.
      res.status(500).setHeader("Content-Type", "application/problem+json; charset=utf-8");
      return json.call(this, problemFor(err, id, problemTypeBase));
    }
    if (head) {
      applyHeaders(res, before, shape.headers);
      if (shape.status !== res.statusCode) res.status(shape.status);
    }
    return json.call(this, shape.body);
  } as Response["json"];
}

function applyHeaders(res: Response, before: ResponseShape["headers"], after: ResponseShape["headers"]): void {
  for (const name of Object.keys(before)) if (after[name] === undefined) res.removeHeader(name);
  for (const [name, value] of Object.entries(after)) {
    if (value !== undefined && value !== before[name]) res.setHeader(name, value as string | string[] | number);
  }
}
