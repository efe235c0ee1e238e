import type { NextFunction, Request, Response } from "express";
import { checkOptions, option, StrataError, type Version, type VersionSet } from "@strata/core";

/** What {@link serveOpenApi} serves: `defineContracts()` from `@strata/openapi` is one. */
export interface VersionDocuments {
  readonly versions: VersionSet;
  document(version: Version): object;
}

/** Options of {@link serveOpenApi}. */
export interface ServeOpenApiOptions {
  /** The documents, per version. */
  contracts: VersionDocuments;
  /** Where they are served, under the mount point. Default `/openapi`: `/openapi.json` and `/openapi/<version>.json`. */
  path?: string;
}

class DocumentNotFoundError extends StrataError {
  override name = "DocumentNotFoundError";
  constructor(id: string, supported: readonly string[]) {
    super("openapi_document_not_found", `No OpenAPI document for version "${id.slice(0, 64)}". Versions: ${supported.join(", ")}.`, 404);
  }
}

/**
 * Serve every version's OpenAPI document: `GET /openapi.json` at the request's version (as
 * `versioning()` resolved it: header, pin, default; mount it after `versioning()`), and
 * `GET /openapi/<version>.json` for any version. Each document is serialised once, and sent as
 * text, so no change of the chain ever rewrites it.
 *
 * @example
 * app.use(versioning({ versions, ... }));
 * app.use(serveOpenApi({ contracts: defineContracts({ versions, document: "openapi/head.json" }) }));
 */
export function serveOpenApi(options: ServeOpenApiOptions): (req: Request, res: Response, next: NextFunction) => void {
  checkOptions("serveOpenApi()", options, {
    contracts: option.required(
      option.custom(
        (v) => typeof (v as { document?: unknown } | undefined)?.document === "function",
        "the result of defineContracts() (with document(version))",
      ),
    ),
    path: option.matching(/^\/[^?#]*$/, 'a path starting with "/"'),
  });
  const base = (options.path ?? "/openapi").replace(/\/$/, "");
  const { contracts } = options;
  const { versions } = contracts;
  const texts = new Map<Version, string>();
  const textOf = (v: Version): string => {
    let text = texts.get(v);
    if (text === undefined) texts.set(v, (text = JSON.stringify(contracts.document(v))));
    return text;
  };
  const send = (res: Response, v: Version) => {
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.send(textOf(v));
  };
  return function strataOpenApi(req: Request, res: Response, next: NextFunction): void {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    if (req.path === `${base}.json`) return send(res, req.apiVersion?.version ?? versions.current);
    const prefix = `${base}/`;
    if (!req.path.startsWith(prefix) || !req.path.endsWith(".json")) return next();
    let id: string;
    try {
      id = decodeURIComponent(req.path.slice(prefix.length, -".json".length));
    } catch {
      return next();
    }
    const version = versions.get(id);
    if (!version) return next(new DocumentNotFoundError(id, versions.supported));
    send(res, version);
  };
}
