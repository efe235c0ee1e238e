import type { Request } from "express";

/** Express app settings (`app.set(name, value)`) every Strata factory reads, so an app gives them once. */
export const SETTINGS = {
  /** Prefix of problem `type` URIs, e.g. `"https://api.example.com/problems/"`. Default: `about:blank`. */
  problemTypeBase: "strata problem type base",
  /** Response header carrying the request id problems report; `false` for none. Default `Request-Id`. */
  requestIdHeader: "strata request id header",
} as const;

/** What a problem response needs from the app's settings, an explicit factory option winning. */
export interface ProblemSettings {
  problemTypeBase?: string;
  requestIdHeader?: string | false;
}

/** The app-wide settings for `req`, with `own` (a factory's options) taking precedence. */
export function settingsFor(req: Request, own: ProblemSettings): { problemTypeBase: string | undefined; requestIdHeader: string | false } {
  const app = req.app as { get?: (name: string) => unknown } | undefined;
  const read = (name: string): unknown => (typeof app?.get === "function" ? app.get(name) : undefined);
  const base = own.problemTypeBase ?? read(SETTINGS.problemTypeBase);
  const header = own.requestIdHeader ?? read(SETTINGS.requestIdHeader);
  return {
    problemTypeBase: typeof base === "string" && base !== "" ? base : undefined,
    requestIdHeader: header === false ? false : typeof header === "string" && header !== "" ? header : "Request-Id",
  };
}
