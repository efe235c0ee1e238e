import type { NextFunction, Request, RequestHandler, Response } from "express";
import {
  ApiVersion,
  VersionResolver,
  isStrataError,
  lifecycleHeaders,
  type Resolution,
  type UsageRecorder,
  type ResponseShape,
  type Version,
  type VersionSource,
} from "@strata/core";
import createDebug from "debug";
import { interceptJson } from "./intercept";
import { normalizeOptions, type VersioningOptions } from "./options";
import { settingsFor } from "./app-settings";
import { problemFor } from "./problem";
import { markPrivate } from "./private-cache";
import { jsonBodyReader } from "./read-json";
import { requestIdOf } from "./request-id";
import { applyRequestShape, requestShapeOf } from "./request-shape";
import { responseCheck } from "./response-contracts";
import { recorderFor, reporter } from "./usage";

const log = createDebug("strata:error");
const PROBLEM_TYPE = "application/problem+json; charset=utf-8";

/** The middleware, with a handle to stop listening for pin changes. */
export type VersioningMiddleware = RequestHandler & {
  /** Write the last usage batch, stop the pin change feed and drop the cache (the store itself stays open). */
  close(): Promise<void>;
  /** The usage recorder, when `usage` is on (`flush()` writes what is counted now). */
  usage: UsageRecorder | undefined;
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
  const resolver = new VersionResolver<Request>({ ...o, pathOf: (req) => req.path });
  const recorder = recorderFor(o.usage, o.pins);
  const report = reporter(recorder, o.onResolved, o.account, o.now);
  const { versions, header, headerKey } = o;
  const readBody = jsonBodyReader(o.jsonLimit);
  // One ApiVersion per version and source: handlers read it, nothing allocates per request.
  const apiVersions = new Map<Version, Map<VersionSource, ApiVersion>>(
    versions.list.map((v) => [v, new Map(SOURCES.map((s) => [s, versions.apiVersion(v, s)]))]),
  );
  const idOf = (req: Request): string => requestIdOf(req, o.requestId);

  /** The problem for `err`, in the error format of the client's version when it is known. */
  const problemShape = (req: Request, err: unknown, version?: Version): ResponseShape => {
    const settings = settingsFor(req, o);
    const problem = problemFor(err, idOf(req), settings.problemTypeBase);
    const unavailable = isStrataError(err) && err.status === 503;
    if (problem.status >= 500 && !unavailable) log("%s %s failed (request %s): %O", req.method, req.originalUrl, problem.requestId, err);
    const shape: ResponseShape = { status: problem.status, headers: { "content-type": PROBLEM_TYPE }, body: problem };
    if (unavailable) shape.headers["retry-after"] = String(o.retryAfter);
    if (settings.requestIdHeader) shape.headers[settings.requestIdHeader.toLowerCase()] = problem.requestId as string;
    if (!version || version === versions.latest) return shape;
    // Errors reach the client in its own version's format, like the handlers' errors do.
    const translated: ResponseShape = { ...shape, headers: { ...shape.headers } };
    try {
      return versions.migrateError(translated, version);
    } catch (translateErr) {
      log("error transform failed while reporting an error: %O", translateErr);
      return shape;
    }
  };

  const fail = (req: Request, res: Response, err: unknown, version?: Version): void => {
    // The answer to a bad or unknown version header depends on that header.
    if (!version) res.vary(header);
    const shape = problemShape(req, err, version);
    for (const [name, value] of Object.entries(shape.headers)) if (value !== undefined) res.setHeader(name, value as string);
    res.status(shape.status).json(shape.body);
  };

  const proceed = (req: Request, res: Response, next: NextFunction, r: Resolution): void => {
    const { version } = r;
    res.setHeader(header, version.id);
    // A version fixed by the URL does not vary with the header; everything else does (a URL
    // major that fixes one version still checks the header, but answers alike when it passes).
    if (r.source !== "request") res.vary(header);
    if (r.personal) markPrivate(res);
    if (r.warning) res.setHeader("Strata-Warning", r.warning);
    if (version.deprecatedAt || version.sunsetAt) {
      let lifecycle: Record<string, string>;
      try {
        lifecycle = lifecycleHeaders(versions, version, o.now());
      } catch (err) {
        return fail(req, res, err, version); // the 410 for a retired version
      }
      for (const [name, value] of Object.entries(lifecycle)) res.setHeader(name, value);
    }
    req.apiVersion = apiVersions.get(version)!.get(r.source)!;
    if (report) report(req, version, r.source, r.account);
    if (version === versions.latest) return next();
    const migrate = (body: unknown): void => {
      try {
        const shape = requestShapeOf(req, body);
        const check = responseCheck(o.validateResponses, o.contracts, version, req.method, req.path, o.onContractViolation);
        const migration = versions.migrateRequest(shape, version);
        applyRequestShape(req, shape);
        const guides = o.walkGuides;
        // The request is in the head shape now, as the guides are.
        const guideFor = guides && ((status: number) => guides.find(req.method, req.path, status));
        interceptJson(res, migration, (err) => problemShape(req, err, version), o.migrateInPlace, check, guideFor);
      } catch (err) {
        return fail(req, res, err, version);
      }
      next();
    };
    let body: unknown;
    try {
      body = readBody(req, res);
    } catch (err) {
      return fail(req, res, err, version);
    }
    if (body instanceof Promise) body.then(migrate, (err: unknown) => fail(req, res, err, version));
    else migrate(body);
  };

  const middleware = function strataVersioning(req: Request, res: Response, next: NextFunction): void {
    let resolution: Resolution | Promise<Resolution>;
    try {
      const raw = req.headers[headerKey];
      resolution = resolver.resolve(req, Array.isArray(raw) ? raw[0] : raw);
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
    close: async () => {
      await recorder?.close();
      await resolver.close();
    },
    usage: recorder,
    forget: (account: string) => resolver.cache.delete(account),
  });
}
