import type { Version } from "../define/change";
import { VersionSunsetError } from "../errors";
import type { VersionSet } from "../version-set";

/** Whether `version` is deprecated or retired at `now`. */
export function lifecycleOf(version: Version, now: Date): "active" | "deprecated" | "sunset" {
  if (version.sunsetAt && now >= version.sunsetAt) return "sunset";
  if (version.deprecatedAt && now >= version.deprecatedAt) return "deprecated";
  return "active";
}

/**
 * The 410 for a request at a retired version: it names the oldest version still served as the
 * upgrade path and lists only versions still served.
 *
 * @example
 * if (lifecycleOf(version, now) === "sunset") throw sunsetErrorFor(versions, version, now);
 */
export function sunsetErrorFor(versions: VersionSet, version: Version, now: Date): VersionSunsetError {
  const live = versions.list.filter((v) => lifecycleOf(v, now) !== "sunset");
  const upgradeTo = [...live].reverse().find((v) => v.ordinal > version.ordinal && !v.preview) ?? versions.current;
  return new VersionSunsetError(
    version.id,
    version.sunsetAt ?? now,
    upgradeTo.id,
    live.map((v) => v.id),
  );
}

/**
 * The lifecycle headers of a response at `version`: `Deprecation` (RFC 9745) whenever a
 * deprecation date is set, a future one announcing it; `Sunset` (RFC 8594) whenever a sunset
 * date is set; and, with an upgrade guide, `Link` to it with rel `deprecation` and `sunset`.
 * Throws the 410 for a retired version.
 *
 * @example
 * for (const [name, value] of Object.entries(lifecycleHeaders(versions, version, new Date()))) res.setHeader(name, value);
 */
export function lifecycleHeaders(versions: VersionSet, version: Version, now: Date): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!version.deprecatedAt && !version.sunsetAt) return headers;
  if (lifecycleOf(version, now) === "sunset") throw sunsetErrorFor(versions, version, now);
  if (version.deprecatedAt) headers["Deprecation"] = `@${Math.floor(version.deprecatedAt.getTime() / 1000)}`;
  if (version.sunsetAt) headers["Sunset"] = version.sunsetAt.toUTCString();
  if (version.upgradeGuide) {
    const rels = [version.deprecatedAt ? "deprecation" : undefined, version.sunsetAt ? "sunset" : undefined].filter(Boolean);
    headers["Link"] = rels.map((rel) => `<${version.upgradeGuide}>; rel="${rel}"; type="text/html"`).join(", ");
  }
  return headers;
}
