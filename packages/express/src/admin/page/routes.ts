import type { Request, Response } from "express";
import { urlencoded } from "body-parser";
import { isStrataError, type VersionSet } from "@strata/core";
import { allowed, authorized, reasonOf, rollBackAccount, stateOf, store, upgradeAccount, type ActionContext } from "../actions";
import { sinceDay, summarizeUsage } from "../usage";
import { ADMIN_CSS, PAGE_CSP } from "./assets";
import { checkFormPost, formToken } from "./csrf";
import { escapeHtml } from "./html";
import { renderPage, type PageData, type PageDifference } from "./render";

/** `versioningAdmin({ page })`: the account admins' HTML page, beside the JSON routes. */
export interface AdminPageOptions {
  /** The page's heading. Default "API version". */
  title?: string;
  /** Per-version documents (`defineContracts()` of `@strata/openapi`): the comparison then lists the endpoints and fields that differ. */
  contracts?: { diff(from: string, to: string): PageDifference[] };
}

const DONE: Record<string, (pin: string) => string> = {
  upgraded: (pin) => `Upgraded: this account now uses ${pin}. Its next request is served at it.`,
  "rolled-back": (pin) => `Rolled back: this account uses ${pin} again.`,
};

/** The page's routes: `true` when the request was the page's to answer. */
export function pageRoutes(o: ActionContext, page: AdminPageOptions): (req: Request, res: Response, path: string) => boolean {
  const readForm = urlencoded({ extended: false, limit: "8kb", parameterLimit: 20 });
  return (req, res, path) => {
    if (path === "/assets/admin.css" && (req.method === "GET" || req.method === "HEAD")) {
      res.setHeader("Cache-Control", "public, max-age=3600");
      res.type("text/css").send(ADMIN_CSS);
      return true;
    }
    if (path === "/" && (req.method === "GET" || req.method === "HEAD")) {
      res.vary("Accept");
      if (req.accepts(["application/json", "text/html"]) !== "text/html") return false;
      void show(req, res, o, page, {}).catch((err: unknown) => errorPage(res, err));
      return true;
    }
    if ((path === "/upgrade" || path === "/rollback") && req.method === "POST" && req.is("application/x-www-form-urlencoded")) {
      readForm(req, res, (err?: unknown) => {
        if (err) return errorPage(res, err);
        void post(req, res, o, page, path).catch((e: unknown) => errorPage(res, e));
      });
      return true;
    }
    return false;
  };
}

async function post(req: Request, res: Response, o: ActionContext, page: AdminPageOptions, path: string): Promise<void> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  try {
    checkFormPost(req, body);
    if (path === "/upgrade") {
      const account = await authorized(req, o, "upgrade");
      if (body.confirm !== "yes")
        return show(req, res, o, page, { status: 400, alert: "Tick the box to confirm that you have read the changes.", compare: body.version });
      if (typeof body.version !== "string" || body.version === "") return show(req, res, o, page, { status: 400, alert: "Choose a version to upgrade to." });
      await upgradeAccount(req, o, account, body.version, reasonOf(body));
      return void res.redirect(303, `${req.baseUrl}/?done=upgraded`);
    }
    const account = await authorized(req, o, "rollback");
    await rollBackAccount(req, o, account, undefined);
    res.redirect(303, `${req.baseUrl}/?done=rolled-back`);
  } catch (err) {
    // A refusal the admin can act on is shown on the page itself; anything else is an error page.
    if (isStrataError(err) && err.status < 500 && err.status !== 401 && err.code !== "cross_site_request" && err.code !== "not_allowed") {
      return show(req, res, o, page, { status: err.status, alert: err.message });
    }
    throw err;
  }
}

interface ShowExtra {
  status?: number;
  alert?: string;
  compare?: unknown;
}

async function show(req: Request, res: Response, o: ActionContext, page: AdminPageOptions, extra: ShowExtra): Promise<void> {
  const account = await authorized(req, o, "read");
  const now = o.now();
  const read = o.pins.readUsage?.bind(o.pins);
  const [state, history, rows, canUpgrade, canRollback] = await Promise.all([
    stateOf(account, o),
    store(o, () => o.pins.history(account, { limit: 20 })),
    read ? store(o, () => read({ account, since: sinceDay(now, 30) })) : Promise.resolve(undefined),
    allowed(req, o, "upgrade", account),
    allowed(req, o, "rollback", account),
  ]);
  const served = state.pinned ? o.versions.get(state.pinned.servedAt) : undefined;
  const targets = upgradeTargets(o.versions, served?.ordinal ?? -1, now);
  const asked = extra.compare ?? req.query?.compare;
  const d: PageData = {
    base: req.baseUrl,
    title: page.title ?? "API version",
    state,
    usage: summarizeUsage(o.versions, account, rows, 30, now),
    history,
    can: { upgrade: canUpgrade, rollback: canRollback },
    targets,
    now,
  };
  if (canUpgrade || canRollback) d.token = formToken(req, res);
  if (typeof asked === "string" && asked !== "") {
    const to = o.versions.get(asked);
    if (to && targets.includes(to.id) && canUpgrade) {
      const from = served ?? o.versions.oldest;
      d.compare = { to: to.id, entries: o.versions.changelog({ from: from.id, to: to.id }), ...differencesOf(page, from.id, to.id) };
    } else if (!extra.alert) extra.alert = `${asked.slice(0, 40)} is not a version this account can upgrade to.`;
  }
  const done = typeof req.query?.done === "string" ? DONE[req.query.done] : undefined;
  if (extra.alert) d.message = { kind: "alert", text: extra.alert };
  else if (done && state.pinned) d.message = { kind: "status", text: done(state.pinned.version) };
  send(res, extra.status ?? 200, renderPage(d));
}

/** Stable, released, not retired versions newer than the one served: where an upgrade may go. */
function upgradeTargets(versions: VersionSet, servedOrdinal: number, now: Date): string[] {
  return versions.list
    .filter((v) => !v.preview && v.ordinal > servedOrdinal && !(v.releasedAt && v.releasedAt > now) && !(v.sunsetAt && v.sunsetAt <= now))
    .map((v) => v.id);
}

function differencesOf(page: AdminPageOptions, from: string, to: string): { differences?: PageDifference[] } {
  if (!page.contracts) return {};
  try {
    return {
      differences: page.contracts.diff(from, to).map((x) => ({ breaking: x.breaking, message: x.message, ...(x.operation ? { operation: x.operation } : {}) })),
    };
  } catch {
    return {}; // a document that cannot be compared leaves the changelog alone on the page
  }
}

function send(res: Response, status: number, body: string): void {
  res.setHeader("Content-Security-Policy", PAGE_CSP);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.status(status).type("html").send(body);
}

/** A refusal before the page could be built (signed out, not allowed, a forged form): a small page, no details. */
function errorPage(res: Response, err: unknown): void {
  if (res.headersSent) return;
  const status = isStrataError(err) && err.status < 600 ? err.status : 500;
  const text = isStrataError(err) && status < 500 ? err.message : "Something went wrong. Try again later.";
  send(
    res,
    status,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>API version</title></head><body><main><h1>API version</h1><p role="alert">${escapeHtml(text)}</p></main></body></html>`,
  );
}
