import type { Response } from "express";
import onHeaders from "on-headers";

/**
 * Keep a response out of shared caches: its shape depends on which account asked (its pin),
 * which no `Vary` header can name. Applied as the headers are written, so a `Cache-Control`
 * the handler sets is kept but made private (`public` and `s-maxage` dropped).
 */
export function markPrivate(res: Response): void {
  onHeaders(res, function privateToAccount(this: Response) {
    this.setHeader("Cache-Control", privateCacheControl(this.getHeader("Cache-Control")));
  });
}

/** `public, max-age=60` -> `private, max-age=60`; `no-store` and `private` stay as they are. */
export function privateCacheControl(value: unknown): string {
  const given = Array.isArray(value) ? value.join(", ") : value === undefined ? "" : String(value);
  const directives = given
    .split(",")
    .map((d) => d.trim())
    .filter((d) => d !== "");
  if (directives.some((d) => /^(private|no-store)\b/i.test(d))) return given;
  return ["private", ...directives.filter((d) => !/^(public|s-maxage)\b/i.test(d))].join(", ");
}
