/**
 * SQLite pin store for Strata: durable pins in one file, shared safely by the processes of
 * one machine.
 *
 * @example
 * import { sqlitePins } from "@strata/store-sqlite";
 * app.use(versioning({ versions, pins: sqlitePins("strata.db") }));
 *
 * @packageDocumentation
 */
export { sqlitePins, type SqlitePinStore } from "./sqlite-pins";
export type { SqliteUsage } from "./usage";
export type { SqlitePinsOptions, SqlitePinsCommonOptions, SqlitePinsFileOptions, SqlitePinsDatabaseOptions } from "./options";
