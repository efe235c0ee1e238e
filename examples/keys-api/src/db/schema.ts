import type Database from "better-sqlite3";

/**
 * One schema for every API version: the tables hold what the newest handlers need. Older
 * versions never get their own columns; their shapes are computed by the version changes.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS workspaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS root_keys (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  hash TEXT NOT NULL UNIQUE,
  start TEXT NOT NULL,
  name TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS apis (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  delete_protection INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS identities (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  external_id TEXT NOT NULL,
  meta TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER,
  UNIQUE (workspace_id, external_id)
);
CREATE TABLE IF NOT EXISTS keys (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  api_id TEXT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
  hash TEXT NOT NULL UNIQUE,
  start TEXT NOT NULL,
  name TEXT,
  identity_id TEXT REFERENCES identities(id) ON DELETE SET NULL,
  meta TEXT,
  expires INTEGER,
  credits_remaining INTEGER,
  refill_interval TEXT,
  refill_amount INTEGER,
  refill_day INTEGER,
  last_refill_at INTEGER,
  enabled INTEGER NOT NULL DEFAULT 1,
  plaintext TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER,
  last_used_at INTEGER,
  deleted_at INTEGER
);
CREATE INDEX IF NOT EXISTS keys_by_api ON keys (api_id, id);
CREATE TABLE IF NOT EXISTS ratelimits (
  id TEXT PRIMARY KEY,
  key_id TEXT REFERENCES keys(id) ON DELETE CASCADE,
  identity_id TEXT REFERENCES identities(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  "limit" INTEGER NOT NULL,
  duration INTEGER NOT NULL,
  auto_apply INTEGER NOT NULL DEFAULT 0,
  UNIQUE (key_id, name),
  UNIQUE (identity_id, name)
);
CREATE TABLE IF NOT EXISTS permissions (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  slug TEXT NOT NULL,
  description TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (workspace_id, slug)
);
CREATE TABLE IF NOT EXISTS roles (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE TABLE IF NOT EXISTS role_permissions (
  role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  permission_id TEXT NOT NULL REFERENCES permissions(id) ON DELETE CASCADE,
  PRIMARY KEY (role_id, permission_id)
);
CREATE TABLE IF NOT EXISTS key_permissions (
  key_id TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  permission_id TEXT NOT NULL REFERENCES permissions(id) ON DELETE CASCADE,
  PRIMARY KEY (key_id, permission_id)
);
CREATE TABLE IF NOT EXISTS key_roles (
  key_id TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (key_id, role_id)
);
CREATE TABLE IF NOT EXISTS ratelimit_namespaces (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE TABLE IF NOT EXISTS ratelimit_overrides (
  id TEXT PRIMARY KEY,
  namespace_id TEXT NOT NULL REFERENCES ratelimit_namespaces(id) ON DELETE CASCADE,
  identifier TEXT NOT NULL,
  "limit" INTEGER NOT NULL,
  duration INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (namespace_id, identifier)
);
`;

export function migrate(db: Database.Database): void {
  db.pragma("foreign_keys = ON");
  // WAL lets the demo server and a second process (sqlite3 shell, a test) read concurrently.
  if (db.name !== ":memory:") db.pragma("journal_mode = WAL");
  db.exec(SCHEMA);
}
