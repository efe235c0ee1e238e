import type { Request } from "express";
import type { RequestShape } from "@strata/core";

/** Build the shape the chain works on. `headers` is `req.headers` itself: edits write through. */
export function requestShapeOf(req: Request, body: unknown): RequestShape {
  const url = req.url;
  const q = url.indexOf("?");
  return {
    method: req.method,
    path: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? {} : parseQuery(url.slice(q + 1)),
    headers: req.headers,
    body,
  };
}

function parseQuery(search: string): RequestShape["query"] {
  const query: RequestShape["query"] = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (key === "__proto__") continue;
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}

/**
 * Write the migrated shape back so routing sees it. Express 5 derives `req.query` from the URL
 * through a getter, Express 4 computed it before any middleware: an own property covers both.
 */
export function applyRequestShape(req: Request, shape: RequestShape): void {
  req.method = shape.method.toUpperCase();
  const search = stringifyQuery(shape.query);
  const url = search ? `${shape.path}?${search}` : shape.path;
  // Most requests keep their URL: leave it (and Express's parsed copy of it) alone then.
  if (url !== req.url) {
    req.url = url;
    Object.defineProperty(req, "query", { value: shape.query, writable: true, configurable: true, enumerable: true });
  }
  req.body = shape.body;
}

function stringifyQuery(query: RequestShape["query"]): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, value);
  }
  return params.toString();
}
