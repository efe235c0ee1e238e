import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";

/** Test services; CI and every dev session run both locally. */
export const PG_URL = process.env.STRATA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.STRATA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A short random suffix so parallel runs never share data. */
export const uniqueId = (): string => randomBytes(5).toString("hex");

/** A fresh SQLite file path in the OS temp dir, and how to delete it with its WAL files. */
export function tempSqliteFile(): { filename: string; remove: () => Promise<void> } {
  const filename = join(tmpdir(), `strata-pins-${process.pid}-${uniqueId()}.db`);
  return {
    filename,
    remove: async () => {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) await rm(filename + suffix, { force: true });
    },
  };
}

/** Drops a test schema. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Deletes every key under a test prefix. */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/**
 * Things a test opened, closed after it even when it fails, so a failing test cannot leave
 * a connection open and keep jest from exiting.
 */
export class Cleanup {
  private readonly steps: Array<() => unknown> = [];

  /** Registers `close` to run after the test; returns `resource` for chaining. */
  add<T>(resource: T, close: (resource: T) => unknown): T {
    this.steps.push(() => close(resource));
    return resource;
  }

  /** Runs the registered steps, newest first, ignoring their errors. */
  async run(): Promise<void> {
    while (this.steps.length > 0) {
      try {
        await this.steps.pop()!();
      } catch {
        // already closed, or the test broke it on purpose
      }
    }
  }
}
