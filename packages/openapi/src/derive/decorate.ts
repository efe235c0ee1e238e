import { lifecycleOf, type JsonObject, type Version, type VersionSet } from "@strata/core";
import { operationsOf, removeOperation } from "../document/operations";
import type { OpenApiDocument } from "../document/schemas";

/** A change whose effect on the contract a derived document only approximates. */
export interface Approximation {
  /** The version that introduced the change. */
  readonly version: string;
  /** The change's description (its changelog line). */
  readonly change: string;
  /** Why: no schema delta, a removed field's schema not given, ... */
  readonly reason: string;
}

export interface DecorateOptions {
  /** The version header, documented as a parameter of every operation. */
  readonly header: string | false;
  readonly now: Date;
  /** The version a path fixes by its URL (`/customer/v1/...` is `1.0`), if any: other versions' documents leave it out. */
  readonly pathVersion?: (path: string) => string | undefined;
}

/**
 * Mark a derived document with its version: `info.version`, the version header parameter,
 * `deprecated` on every operation of a deprecated version, a changelog section, and
 * `x-strata` (status, dates, approximations) for tools.
 */
export function decorate(doc: OpenApiDocument, versions: VersionSet, version: Version, approximate: readonly Approximation[], o: DecorateOptions): void {
  const status = version.preview ? "preview" : lifecycleOf(version, o.now);
  const info = ((doc.info as JsonObject | undefined) ??= { title: "API" });
  info.version = version.id;
  info.description = [info.description, changelogSection(version)].filter(Boolean).join("\n\n");
  doc["x-strata"] = {
    version: version.id,
    latest: version === versions.latest,
    status,
    ...(version.releasedAt ? { releasedAt: version.releasedAt.toISOString() } : {}),
    ...(version.deprecatedAt ? { deprecatedAt: version.deprecatedAt.toISOString() } : {}),
    ...(version.sunsetAt ? { sunsetAt: version.sunsetAt.toISOString() } : {}),
    approximate: approximate.map((a) => ({ ...a })),
  };
  if (o.pathVersion) {
    for (const { method, path } of operationsOf(doc)) {
      const fixed = o.pathVersion(path);
      if (fixed !== undefined && versions.get(fixed) !== version) removeOperation(doc, method, path);
    }
  }
  if (o.header) addVersionParameter(doc, o.header, version);
  if (status === "deprecated" || status === "sunset") for (const { operation } of operationsOf(doc)) operation.deprecated = true;
}

function addVersionParameter(doc: OpenApiDocument, header: string, version: Version): void {
  const components = ((doc.components as JsonObject | undefined) ??= {});
  const parameters = ((components.parameters as JsonObject | undefined) ??= {});
  parameters.ApiVersion = {
    name: header,
    in: "header",
    required: false,
    description: `The API version to serve. Without it, the account's pinned version is used. This document describes \`${version.id}\`.`,
    schema: { type: "string", example: version.id },
  };
  const ref = { $ref: "#/components/parameters/ApiVersion" };
  for (const { operation } of operationsOf(doc)) {
    const list = Array.isArray(operation.parameters) ? (operation.parameters as JsonObject[]) : [];
    const has = list.some((p) => p.$ref === ref.$ref || (p.in === "header" && String(p.name).toLowerCase() === header.toLowerCase()));
    if (!has) operation.parameters = [{ ...ref }, ...list];
  }
}

/** What this version changed from the one before it, as the changelog says it. */
function changelogSection(version: Version): string {
  const lines = [`## Changes in ${version.id}`];
  if (version.description) lines.push("", version.description);
  if (version.ordinal === 0) lines.push("", "The first version.");
  else if (version.changes.length === 0) lines.push("", "No backwards-incompatible changes.");
  else lines.push("", ...version.changes.map((c) => `- ${c.description}`));
  return lines.join("\n");
}
