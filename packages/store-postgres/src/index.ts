/**
 * PostgreSQL pin store for Strata: durable pins shared by every instance of an app, with
 * change notification over LISTEN/NOTIFY.
 *
 * @example
 * import { postgresPins } from "@strata/store-postgres";
 * app.use(versioning({ versions, pins: postgresPins({ connectionString: process.env.DATABASE_URL }) }));
 *
 * @packageDocumentation
 */
export { postgresPins, type PostgresPinStore } from "./postgres-pins";
export type { PostgresUsage } from "./usage";
export type { PostgresPinsOptions } from "./options";
