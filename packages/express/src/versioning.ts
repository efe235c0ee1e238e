import type { NextFunction, Request, RequestHandler, Response } from "express";
import {
  ApiVersion,
  StrataError,
  VersionSunsetError,
  lifecycleOf,
  type ResponseShape,
  type Version,
  type VersionSource,
} from "@strata/core";
import createDebug from "debug";
import { interceptJson } from "./intercept";
import { normalizeOptions, type NormalizedOptions, type VersioningOptions } from "./options";
import { problemFor, sendProblem } from "./problem";
import { readJsonBody } from "./read-json";
import { requestIdOf } from "./request-id";
import { applyRequestShape, requestShapeOf } from "./request-shape";
import { VersionResolver, type Resolution } from "./resolve-version";

const log = createDebug("strata:error");

/** The middleware, with a handle to stop listening for pin changes. */
export type VersioningMiddleware = RequestHandler & {
  /** Stop the pin change feed and drop the cache (the store itself stays open). */
  close(): Promise<void>;
  /** Drop one account's cached pin, e.g. right after an admin moved it. */
  forget(account: string): void;
};

const SOURCES: VersionSource[] = ["request", "header", "pin", "first-request", "default"];

/**
 * Serve every configured version from the newest handlers. Mount before the routes: it
 * resolves the request's version (header, account pin, first-request pin, default), migrates
 * the request forward so routing sees the newest shape, and migrates JSON responses back.
 * A request at the latest version runs no change.
 *
 * @example
 * app.use(versioning({ versions, header: "Unkey-Version", account: (req) => req.workspaceId, pins: memoryPins() }));
 */
export function versioning(options: VersioningOptions): VersioningMiddleware {
  const o = normalizeOptions(options);
  const resolver = new VersionResolver(o);
  const { versions, header, headerKey } = o;
  // One ApiVersion per version and source: handlers read it, nothing allocates per request.
  const apiVersions = new Map<Version, Map<VersionSource, ApiVersion>>(
    versions.list.map((v) => [v, new Map(SOURCES.map((s) => [s, versions.apiVersion(v, s)]))]),
  );
  const idOf = (req: Request): string => requestIdOf(req, o.requestId);

  const fail = (req: Request, res: Response, err: unknown, version?: Version): void => {
    const problem = problemFor(err, idOf(req), o.problemTypeBase);
    if (problem.status >= 500 && !(err instanceof StrataError && err.status === 503)) log("%s %s failed: %O", req.method, req.originalUrl, err);
    const extra: Record<string, string> = {};
    if (err instanceof StrataError && err.status === 503) extra["Retry-After"] = String(o.retryAfter);
    if (version && version !== versions.latest) {
      // Errors Strata raises for a known version still reach the client in that version's format.
      const shape: ResponseShape = { status: problem.status, headers: { "content-type": "application/problem+json; charset=utf-8" }, body: problem };
      try {
        versions.migrateError(shape, version);
        for (const [name, value] of Object.entries(shape.headers)) if (value !== undefined) res.setHeader(name, value as string);
        res.status(shape.status).json(shape.body);
        return;
      } catch (translateErr) {
        log("error transform failed while reporting an error: %O", translateErr);
      }
    }
    sendProblem(res, problem, extra);
  };

  const proceed = (req: Request, res: Response, next: NextFunction, r: Resolution): void => {
    const { version } = r;
    res.setHeader(header, version.id);
    // A version fixed by the URL does not vary with the header; everything else does.
    if (r.source !== "request") res.vary(header);
    if (r.warning) res.setHeader("Strata-Warning", r.warning);
    if (version.deprecatedAt || version.sunsetAt) {
      const now = o.now();
      const state = lifecycleOf(version, now);
      if (state === "sunset") return fail(req, res, sunsetError(o, version, now));
      if (state === "deprecated") res.setHeader("Deprecation", `@${Math.floor(version.deprecatedAt!.getTime() / 1000)}`);
      if (version.sunsetAt) res.setHeader("Sunset", version.sunsetAt.toUTCString());
    }
    req.apiVersion = apiVersions.get(version)!.get(r.source)!;
    if (version === versions.latest) return next();
    const migrate = (body: unknown): void => {
      try {
        const shape = requestShapeOf(req, body);
        const migration = versions.migrateRequest(shape, version);
        applyRequestShape(req, shape);
        interceptJson(res, migration, () => idOf(req), o.problemTypeBase);
      } catch (err) {
        return fail(req, res, err, version);
      }
      next();
    };
    let body: unknown;
    try {
      body = readJsonBody(req, o.jsonLimit);
    } catch (err) {
      return fail(req, res, err, version);
    }
    if (body instanceof Promise) body.then(migrate, (err: unknown) => fail(req, res, err, version));
    else migrate(body);
  };

  const middleware = function strataVersioning(req: Request, res: Response, next: NextFunction): void {
    let resolution: Resolution | Promise<Resolution>;
    try {
      resolution = resolver.resolve(req);
    } catch (err) {
      return fail(req, res, err);
    }
    if (resolution instanceof Promise) {
      resolution.then(
        (r) => proceed(req, res, next, r),
        (err: unknown) => fail(req, res, err),
      );
    } else proceed(req, res, next, resolution);
  };
  return Object.assign(middleware, {
    close: () => resolver.close(),
    forget: (account: string) => resolver.cache.delete(account),
  });
}

function sunsetError(o: NormalizedOptions, version: Version, now: Date): VersionSunsetError {
  // The upgrade path is the oldest version still served.
  const live = [...o.versions.list].reverse().find((v) => v.ordinal > version.ordinal && lifecycleOf(v, now) !== "sunset") ?? o.versions.latest;
  return new VersionSunsetError(version.id, version.sunsetAt!, live.id, o.versions.supported);
}
