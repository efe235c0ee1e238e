import type Database from "better-sqlite3";

/**
 * One schema for every API version: the tables hold what the 1.6 handlers need. No table has
 * a column for an older version's shape (`concurrent`, a license's single `user`, a machine's
 * derived `user`): the changes compute those from what is here.
 *
 * Times are milliseconds since the epoch; JSON columns hold objects (metadata, subscriptions).
 * Everything an account owns is deleted with it.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  public_key TEXT NOT NULL,
  private_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  digest TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS products (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  code TEXT,
  url TEXT,
  platforms TEXT NOT NULL DEFAULT '[]',
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS policies (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  duration INTEGER,
  strict INTEGER NOT NULL DEFAULT 0,
  floating INTEGER NOT NULL DEFAULT 0,
  max_machines INTEGER,
  overage_strategy TEXT NOT NULL DEFAULT 'NO_OVERAGE',
  machine_uniqueness_strategy TEXT NOT NULL DEFAULT 'UNIQUE_PER_LICENSE',
  machine_matching_strategy TEXT NOT NULL DEFAULT 'MATCH_ANY',
  require_heartbeat INTEGER NOT NULL DEFAULT 0,
  heartbeat_duration INTEGER,
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  first_name TEXT,
  last_name TEXT,
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (account_id, email)
);
CREATE TABLE IF NOT EXISTS licenses (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  policy_id TEXT NOT NULL REFERENCES policies(id),
  owner_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  name TEXT,
  key TEXT NOT NULL,
  expiry INTEGER,
  suspended INTEGER NOT NULL DEFAULT 0,
  metadata TEXT NOT NULL DEFAULT '{}',
  last_validated_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (account_id, key)
);
CREATE TABLE IF NOT EXISTS license_users (
  license_id TEXT NOT NULL REFERENCES licenses(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (license_id, user_id)
);
CREATE TABLE IF NOT EXISTS machines (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  license_id TEXT NOT NULL REFERENCES licenses(id) ON DELETE CASCADE,
  owner_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  fingerprint TEXT NOT NULL,
  name TEXT,
  platform TEXT,
  hostname TEXT,
  cores INTEGER,
  last_heartbeat_at INTEGER,
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS machines_by_license ON machines (license_id, created_at);
CREATE INDEX IF NOT EXISTS machines_by_fingerprint ON machines (account_id, fingerprint);
CREATE TABLE IF NOT EXISTS webhook_endpoints (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  api_version TEXT NOT NULL,
  signature_algorithm TEXT NOT NULL,
  signing_secret TEXT,
  subscriptions TEXT NOT NULL DEFAULT '["*"]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_events (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  endpoint_id TEXT REFERENCES webhook_endpoints(id) ON DELETE SET NULL,
  endpoint_url TEXT NOT NULL,
  event TEXT NOT NULL,
  api_version TEXT NOT NULL,
  payload TEXT NOT NULL,
  idempotency_token TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_response_code INTEGER,
  last_response_body TEXT,
  last_error TEXT,
  next_attempt_at INTEGER,
  delivered_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_events_pending ON webhook_events (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS webhook_events_by_account ON webhook_events (account_id, created_at);
CREATE TABLE IF NOT EXISTS webhook_attempts (
  event_id TEXT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  at INTEGER NOT NULL,
  response_code INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (event_id, attempt)
);
`;

/** Create the tables if they are missing: the example has no migrations beyond its first schema. */
export function createSchema(sql: Database.Database): void {
  sql.pragma("foreign_keys = ON");
  sql.exec(SCHEMA);
}
