/**
 * The `strata` command as a library: `run(argv, io)` runs it in-process and resolves to the
 * exit code, which is how the executable and the tests use it.
 *
 * @example
 * import { run } from "@strata/cli";
 * process.exitCode = await run(["pins", "usage", "--store", "sqlite:./pins.db"]);
 *
 * @packageDocumentation
 */
export { run, type CliIO } from "./run";
export { parseStoreUrl, openStore, redact, type StoreSpec, type OpenStoreOptions } from "./stores";
export { loadVersions } from "./versions";
export { CliError, EXIT } from "./errors";
export type { Output } from "./format";
