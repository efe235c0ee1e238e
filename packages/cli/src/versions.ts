import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { VersionSet } from "@strata/core";
import { CliError, messageOf } from "./errors";

/**
 * Load the VersionSet a `--versions` module exports, as its default export (or
 * `module.exports`) or as `versions`. CommonJS and ES modules both work; for TypeScript,
 * point at the compiled file.
 *
 * @example
 * const versions = await loadVersions("./dist/versions.js");
 * versions.resolve("2024-06-01");
 */
export async function loadVersions(path: string, cwd = process.cwd()): Promise<VersionSet> {
  const file = resolve(cwd, path);
  if (!existsSync(file)) throw new CliError(`Cannot load --versions ${path}: no such file (${file}).`);
  let mod: unknown;
  try {
    mod = require(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ERR_REQUIRE_ESM" && code !== "ERR_REQUIRE_ASYNC_MODULE") {
      throw new CliError(`Cannot load --versions ${path}: ${messageOf(err)}`);
    }
    try {
      mod = await import(pathToFileURL(file).href);
    } catch (esmErr) {
      throw new CliError(`Cannot load --versions ${path}: ${messageOf(esmErr)}`);
    }
  }
  const m = mod as Record<string, unknown> | undefined;
  const inner = m?.default as Record<string, unknown> | undefined;
  const found = [m?.default, m?.versions, m, inner?.versions, inner?.default].find(isVersionSet);
  if (!found) {
    throw new CliError(`--versions ${path} does not export a VersionSet: export the result of defineVersions() as default or as \`versions\`.`);
  }
  return found;
}

function isVersionSet(value: unknown): value is VersionSet {
  const v = value as Partial<VersionSet> | undefined;
  return (
    typeof v === "object" && v !== null && typeof v.resolve === "function" && typeof v.changelog === "function" && Array.isArray(v.supported)
  );
}
