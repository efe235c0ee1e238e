import type { Request, RequestHandler } from "express";
import type { PinStore, VersionSet } from "@strata/core";
import { versioningAdmin, type VersioningMiddleware } from "@strata/express";
import type { Contracts } from "@strata/openapi";
import type { Db } from "./db";

/** Where the workspace's API-version page lives. */
export const SETTINGS_PATH = "/settings/api-version";

/**
 * The workspace's API-version settings, for people: sign in with HTTP Basic (user: the
 * workspace id, password: a root key of it; the browser asks), and the page shows the pin,
 * what an upgrade changes, what the workspace's code calls, and moves the pin. Root keys are
 * admins here; any other password is refused.
 */
export function settingsRoutes(db: Db, versions: VersionSet, pins: PinStore, middleware: VersioningMiddleware, contracts: Contracts): RequestHandler[] {
  const workspaceOf = (req: Request): string | undefined => {
    const [scheme, encoded] = (req.headers.authorization ?? "").split(" ");
    if (scheme?.toLowerCase() !== "basic" || !encoded) return undefined;
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    const workspace = decoded.slice(0, colon);
    return db.workspaces.byRootKey(decoded.slice(colon + 1)) === workspace ? workspace : undefined;
  };
  // Browsers show their sign-in dialog on a 401 with this header.
  const challenge: RequestHandler = (req, res, next) => {
    if (workspaceOf(req)) return next();
    res.setHeader("WWW-Authenticate", 'Basic realm="keys-api settings", charset="UTF-8"');
    res.status(401).type("text").send("Sign in with your workspace id and a root key.\n");
  };
  const admin = versioningAdmin({
    versions,
    pins,
    middleware,
    account: workspaceOf,
    authorize: (req, _action, account) => workspaceOf(req) === account,
    actor: (req) => `root key of ${workspaceOf(req) ?? "?"}`,
    page: { title: "keys-api: API version", contracts },
  });
  return [challenge, admin];
}
