import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, Response } from "express";
import { StrataError } from "@strata/core";

const COOKIE = "strata_admin_csrf";

/** A form was posted from another site, or without the token the page gave it. */
export class CrossSiteRequestError extends StrataError {
  override name = "CrossSiteRequestError";
  constructor(why: string) {
    super("cross_site_request", `The form could not be accepted: ${why}. Reload the page and try again.`, 403);
  }
}

/**
 * The page's form token: a random value in a `SameSite=Strict`, `HttpOnly` cookie, repeated in
 * every form (double submit). A cross-site page can neither read the cookie nor make the
 * browser send it, so it cannot forge the pair; the origin check refuses the post earlier.
 */
export function formToken(req: Request, res: Response): string {
  const existing = cookie(req, COOKIE);
  if (existing && /^[A-Za-z0-9_-]{32,64}$/.test(existing)) return existing;
  const token = randomBytes(24).toString("base64url");
  const secure = req.secure ? "; Secure" : "";
  const path = req.baseUrl || "/";
  res.append("Set-Cookie", `${COOKIE}=${token}; Path=${path}; HttpOnly; SameSite=Strict${secure}`);
  return token;
}

/** Refuse a form post that did not come from this page: wrong origin, or token missing or wrong. */
export function checkFormPost(req: Request, body: Record<string, unknown>): void {
  const site = req.get("sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") throw new CrossSiteRequestError("it came from another site");
  const origin = req.get("origin");
  if (origin !== undefined && origin !== "null") {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw new CrossSiteRequestError("its origin is not valid");
    }
    if (host !== req.get("host")) throw new CrossSiteRequestError("it came from another origin");
  } else if (origin === "null") throw new CrossSiteRequestError("its origin is hidden");
  const sent = typeof body.token === "string" ? body.token : "";
  const expected = cookie(req, COOKIE) ?? "";
  if (!sent || !expected || sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) {
    throw new CrossSiteRequestError("its form token is missing or does not match");
  }
}

function cookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
