import type { Request } from "express";
import { StrataError, type VersionSet } from "@strata/core";

/** A version header that belongs to the other major version than the URL's. */
export class MajorVersionMismatchError extends StrataError {
  override name = "MajorVersionMismatchError";
  constructor(header: string, path: string, served: string) {
    super(
      "version_not_in_major",
      `Unkey-Version ${header} is not served under ${path.slice(0, 4)}; that URL serves ${served}. Call the matching /v1 or /v2 URL, or drop the header.`,
      400,
    );
  }
}

/**
 * The major version lives in the URL, the date version in the `Unkey-Version` header (or the
 * workspace's pin). `/v1/...` is always the newest version before the v2 launch; `/v2/...`
 * accepts any version from the launch on. A header naming the other major is a 400, never a
 * silent mix of the two formats.
 */
export function versionFromUrl(versions: VersionSet, v2Launch: string, header = "unkey-version"): (req: Request) => string | undefined {
  const launch = versions.get(v2Launch);
  if (!launch) throw new Error(`versionFromUrl: ${v2Launch} is not a configured version.`);
  const v1 = versions.list.find((v) => v.ordinal === launch.ordinal - 1);
  if (!v1) throw new Error(`versionFromUrl: no version precedes ${v2Launch}.`);
  const v2Range = `${v2Launch} and later`;
  return function unkeyMajor(req) {
    const raw = req.headers[header];
    const asked = typeof raw === "string" && raw !== "" ? versions.get(raw.trim()) : undefined;
    if (req.path.startsWith("/v1/")) {
      if (asked && asked.ordinal >= launch.ordinal) throw new MajorVersionMismatchError(asked.id, req.path, v1.id);
      return v1.id;
    }
    if (req.path.startsWith("/v2/") && asked && asked.ordinal < launch.ordinal) throw new MajorVersionMismatchError(asked.id, req.path, v2Range);
    return undefined;
  };
}
