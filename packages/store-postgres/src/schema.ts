import type { Queryable } from "./bounded-pool";

/**
 * The schema version this code writes; a database with a newer one is refused.
 * Version 1: meta, pins, pin_history. Version 2: usage.
 *
 * @example
 * await pool.query(`SELECT value FROM strata.meta WHERE key = 'schema_version'`); // "2"
 */
export const SCHEMA_VERSION = 2;

/**
 * Qualified, quoted table names for one schema (validated, so interpolation is safe).
 *
 * @example
 * const t: PostgresTables = tableNames("strata"); // t.pins === '"strata".pins'
 */
export interface PostgresTables {
  schema: string;
  meta: string;
  pins: string;
  history: string;
  usage: string;
}

/**
 * The quoted names of the store's tables in `schema`.
 *
 * @example
 * await client.query(`SELECT COUNT(*) FROM ${tableNames("strata").history}`);
 */
export function tableNames(schema: string): PostgresTables {
  const q = `"${schema}"`;
  return { schema: q, meta: `${q}.meta`, pins: `${q}.pins`, history: `${q}.pin_history`, usage: `${q}.usage` };
}

/**
 * The DDL that takes a schema from version `i` to `i + 1`, in order. Every statement is
 * idempotent (IF NOT EXISTS), and all of them run in the migration's one transaction.
 */
const STEPS: Array<(t: PostgresTables) => string> = [
  (t) => `
    CREATE SCHEMA IF NOT EXISTS ${t.schema};
    CREATE TABLE IF NOT EXISTS ${t.meta} (key text PRIMARY KEY, value text NOT NULL);
    CREATE TABLE IF NOT EXISTS ${t.pins} (
      account    text PRIMARY KEY,
      version    text NOT NULL,
      pinned_at  timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX IF NOT EXISTS pins_version ON ${t.pins} (version);
    CREATE TABLE IF NOT EXISTS ${t.history} (
      id           bigserial PRIMARY KEY,
      account      text NOT NULL,
      from_version text,
      to_version   text NOT NULL,
      actor        text NOT NULL,
      reason       text,
      at           timestamptz NOT NULL
    );
    CREATE INDEX IF NOT EXISTS pin_history_account ON ${t.history} (account, id);`,
  // One row per account x version x source x UTC day; the key leads with the day, so reading
  // recent days and pruning old ones are range scans. The two indexes serve the per-account
  // and per-version reads.
  (t) => `
    CREATE TABLE IF NOT EXISTS ${t.usage} (
      day        date NOT NULL,
      account    text NOT NULL,
      version    text NOT NULL,
      source     text NOT NULL,
      requests   bigint NOT NULL,
      deprecated bigint NOT NULL,
      first_seen timestamptz NOT NULL,
      last_seen  timestamptz NOT NULL,
      PRIMARY KEY (day, account, version, source)
    );
    CREATE INDEX IF NOT EXISTS usage_account ON ${t.usage} (account, day);
    CREATE INDEX IF NOT EXISTS usage_version ON ${t.usage} (version, day);`,
];

/**
 * Creates or upgrades the schema. The advisory lock makes two processes starting at once
 * take turns: CREATE SCHEMA/TABLE IF NOT EXISTS alone can still fail with a unique violation
 * when run concurrently. The lock is keyed by schema name, so stores in different schemas
 * never wait for each other.
 *
 * @example
 * await migrate(client, "strata", tableNames("strata")); // idempotent; any pg client or pool will do
 */
export async function migrate(client: Queryable, schemaName: string, t: PostgresTables): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`strata.pins.migrate:${schemaName}`]);
    const current = await readVersion(client, t);
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `postgresPins: schema "${schemaName}" has pin schema version ${current}, newer than this package understands (${SCHEMA_VERSION}); upgrade @strata/store-postgres`,
      );
    }
    if (current < SCHEMA_VERSION) {
      for (const step of STEPS.slice(current)) await client.query(step(t));
      await client.query(
        `INSERT INTO ${t.meta} (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(SCHEMA_VERSION)],
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

async function readVersion(client: Queryable, t: PostgresTables): Promise<number> {
  // to_regclass avoids an error (and an aborted transaction) when the table does not exist yet.
  const { rows } = await client.query<{ exists: boolean }>("SELECT to_regclass($1) IS NOT NULL AS exists", [t.meta]);
  if (!rows[0]!.exists) return 0;
  const result = await client.query<{ value: string }>(`SELECT value FROM ${t.meta} WHERE key = 'schema_version'`);
  return result.rows[0] ? Number(result.rows[0].value) : 0;
}
