import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { VersionSet } from "@strata/core";
import { CliError, messageOf } from "./errors";

/**
 * Load a module of the app's (CommonJS or ES module; for TypeScript, the compiled file) and
 * return the first of its exports `pick` accepts. `source` names where the path came from in
 * error messages.
 */
export async function loadExport<T>(
  path: string,
  cwd: string,
  source: string,
  pick: (mod: Record<string, unknown> | undefined) => T | undefined,
  missing: string,
): Promise<T> {
  const file = resolve(cwd, path);
  if (!existsSync(file)) throw new CliError(`Cannot load ${source} ${path}: no such file (${file}).`);
  let mod: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the user's module, CommonJS first (ESM below)
    mod = require(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ERR_REQUIRE_ESM" && code !== "ERR_REQUIRE_ASYNC_MODULE") {
      throw new CliError(`Cannot load ${source} ${path}: ${messageOf(err)}`);
    }
    try {
      mod = await import(pathToFileURL(file).href);
    } catch (esmErr) {
      throw new CliError(`Cannot load ${source} ${path}: ${messageOf(esmErr)}`);
    }
  }
  const found = pick(mod as Record<string, unknown> | undefined);
  if (found === undefined) throw new CliError(`${source} ${path} ${missing}`);
  return found;
}

/**
 * Load the VersionSet a `--versions` module exports, as its default export (or
 * `module.exports`) or as `versions`. CommonJS and ES modules both work; for TypeScript,
 * point at the compiled file. `source` names where the path came from in error messages.
 *
 * @example
 * const versions = await loadVersions("./dist/versions.js");
 * versions.resolve("2024-06-01");
 */
export async function loadVersions(path: string, cwd = process.cwd(), source = "--versions"): Promise<VersionSet> {
  return loadExport(
    path,
    cwd,
    source,
    (m) => {
      const inner = m?.default as Record<string, unknown> | undefined;
      return [m?.default, m?.versions, m, inner?.versions, inner?.default].find(isVersionSet);
    },
    "does not export a VersionSet: export the result of defineVersions() as default or as `versions`.",
  );
}

function isVersionSet(value: unknown): value is VersionSet {
  const v = value as Partial<VersionSet> | undefined;
  return typeof v === "object" && v !== null && typeof v.resolve === "function" && typeof v.changelog === "function" && Array.isArray(v.supported);
}

/** The version `pins set` stores, and a warning when `--force` let it through unchecked. */
export interface PinTarget {
  id: string;
  warning?: string;
}

/**
 * Check the version `pins set` is about to store, before the store is opened. A pin naming a
 * version the app does not configure is served at the nearest version it does (the oldest,
 * when it cannot read the id), a different API from the one intended, so:
 * - with the app's versions, a listed version is stored by its canonical id and anything else
 *   is refused; `--force` lets through a well-formed id the list lacks (the module on hand may
 *   be older than the deployed app), never a malformed one, which no app could serve;
 * - without them, nothing can be checked: refused unless `--force`.
 */
export function pinTarget(version: string, versions: VersionSet | undefined, o: { account: string; force: boolean }): PinTarget {
  const given = version.trim();
  if (given === "") throw new CliError("version must not be empty.");
  if (versions === undefined) {
    if (!o.force) {
      throw new CliError(
        `Cannot check version "${given}": pass --versions <module> (or set STRATA_VERSIONS) to check it against the app's versions, or --force to store it unchecked.`,
      );
    }
    return {
      id: given,
      warning: `version "${given}" was not checked (no versions module): an app that does not configure it serves ${o.account} at the nearest version it has (its oldest, if it cannot read the id).`,
    };
  }
  const known = versions.get(given);
  if (known?.preview) throw new CliError(`${known.id} is a preview: clients try it with the version header; an account cannot be pinned to it.`);
  if (known) return { id: known.id };
  const supported = versions.supported.join(", ");
  if (!o.force) throw new CliError(`Unknown version "${given}". Supported versions: ${supported}.`);
  const id = versions.scheme.normalize(given);
  if (id === undefined) {
    throw new CliError(`"${given}" is not a valid ${versions.scheme.name} version, so --force cannot store it. Supported versions: ${supported}.`);
  }
  return {
    id,
    warning: `version ${id} is not configured in the versions module (supported: ${supported}): app instances that do not configure it serve ${o.account} at the nearest older version they have (${versions.nearest(id).id} here).`,
  };
}
