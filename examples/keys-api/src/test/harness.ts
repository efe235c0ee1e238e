import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { memoryPins, type PinStore } from "@strata/core";
import { createApp } from "../app";
import { openDb, type Db } from "../db";

export const ROOT_KEY = "unkey_test_root_key";
export const WORKSPACE = "ws_test";

/** A fresh in-memory API with one workspace and root key. */
export function testApp(options: { pins?: PinStore } = {}) {
  const db = openDb(":memory:");
  db.workspaces.create("Test workspace", WORKSPACE);
  db.workspaces.addRootKey(WORKSPACE, ROOT_KEY);
  const pins = options.pins ?? memoryPins();
  const { app, versions } = createApp({ db, pins });
  return { db, app, versions, pins };
}

export type TestApp = ReturnType<typeof testApp>;

/** The same API listening on 127.0.0.1, on a port the OS picks. */
export async function testServer(options: { pins?: PinStore } = {}): Promise<TestApp & { base: string; close(): Promise<void> }> {
  const t = testApp(options);
  const server: Server = await new Promise((resolve) => {
    const s = t.app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    ...t,
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          t.db.close();
          resolve();
        });
      }),
  };
}

export const auth = { Authorization: `Bearer ${ROOT_KEY}` };

/** Seed with the ids the reference documents use: api_123, key_123 (plaintext sk_123), perm_456. */
export function seedReferenceIds(db: Db): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only by the suites that seed reference ids
  const { hashKey } = require("../db/util") as typeof import("../db/util");
  db.workspaces.createApi(WORKSPACE, "reference-api", { id: "api_123" });
  const identity = db.identities.create(WORKSPACE, "owner_1");
  db.keys.insert({
    id: "key_123",
    workspaceId: WORKSPACE,
    apiId: "api_123",
    hash: hashKey("sk_123"),
    start: "sk_123",
    name: "Customer X",
    identityId: identity.id,
    enabled: true,
  });
  db.ratelimits.replace({ keyId: "key_123" }, [{ name: "requests", limit: 100, duration: 60_000, autoApply: false }]);
  const read = db.rbac.createPermission(WORKSPACE, { name: "read", slug: "read" });
  const write = db.rbac.createPermission(WORKSPACE, { name: "write", slug: "write" });
  db.rbac.link("permissions", "key_123", [read.id, write.id], "set");
  db.sql.prepare("INSERT INTO permissions (id, workspace_id, name, slug, created_at) VALUES ('perm_456', ?, 'delete users', 'delete_users', 0)").run(WORKSPACE);
}
