import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { PinStore } from "@strata/core";
import { CliError, EXIT, messageOf } from "./errors";

/** A parsed `--store` value. */
export interface StoreSpec {
  kind: "sqlite" | "postgres" | "redis";
  /** File path (sqlite) or connection URL (postgres, redis). */
  target: string;
  /** What to show the user: the URL without its password. */
  display: string;
}

/** Options that only some stores take. */
export interface OpenStoreOptions {
  /** PostgreSQL schema holding the tables. */
  schema?: string;
  /** Redis key prefix. */
  prefix?: string;
  /** Create a missing SQLite file (only `pins set` does); otherwise a missing file is an error. */
  create?: boolean;
  /** Errors with no caller to reject, such as a Redis connection refused while retrying. */
  onError?: (error: unknown) => void;
}

const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/**
 * Read a `--store` value: `sqlite:./pins.db` (or a bare file path), `postgres://...`,
 * `postgresql://...`, `redis://...` or `rediss://...`.
 *
 * @example
 * parseStoreUrl("postgres://app:secret@db/app").display; // "postgres://app:***@db/app"
 */
export function parseStoreUrl(url: string, cwd = process.cwd()): StoreSpec {
  if (typeof url !== "string" || url.trim() === "") {
    throw new CliError("No pin store given: pass --store <url> or set STRATA_STORE_URL (sqlite:./pins.db, postgres://..., redis://...).");
  }
  const value = url.trim();
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return sqlite(resolve(cwd, value));
  switch (scheme) {
    case "sqlite":
    case "sqlite3": {
      const path = value.slice(scheme.length + 1).replace(/^\/\/(?=[./~]|$)/, "");
      if (path === "") throw new CliError(`--store ${value} names no file: use sqlite:./pins.db.`);
      return sqlite(resolve(cwd, path));
    }
    case "file":
      return sqlite(fileURLToPath(value));
    case "postgres":
    case "postgresql":
      return { kind: "postgres", target: value, display: redact(value) };
    case "redis":
    case "rediss":
      return { kind: "redis", target: value, display: redact(value) };
    default:
      throw new CliError(`Unknown store scheme "${scheme}:" in --store ${redact(value)}. Use sqlite:<file> (or a file path), postgres://... or redis://...`);
  }
}

function sqlite(path: string): StoreSpec {
  return { kind: "sqlite", target: path, display: `sqlite:${path}` };
}

/**
 * The URL with any password replaced by `***`.
 *
 * @example
 * redact("redis://:secret@cache:6379/0"); // "redis://:***@cache:6379/0"
 */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@");
  }
}

/**
 * Open the pin store a `--store` value names, loading its package only now, so a SQLite user
 * never loads `pg` or `ioredis`.
 *
 * @example
 * const pins = await openStore(parseStoreUrl("sqlite:./pins.db"));
 * console.log(await pins.usage());
 * await pins.close?.();
 */
/** How long one store call of the CLI may take before it reports the store unreachable. */
const CLI_STORE_TIMEOUT_MS = 10_000;

export async function openStore(spec: StoreSpec, options: OpenStoreOptions = {}): Promise<PinStore> {
  if (options.schema !== undefined && spec.kind !== "postgres") throw new CliError("--schema applies only to postgres:// stores.");
  if (options.prefix !== undefined && spec.kind !== "redis") throw new CliError("--prefix applies only to redis:// stores.");
  const background = options.onError ? { onError: options.onError } : {};
  // An operator's command, not a request path: a first run may create the schema over a slow
  // link, so it waits longer than the stores' 1 s request-path default before giving up.
  const timeoutMs = CLI_STORE_TIMEOUT_MS;
  try {
    switch (spec.kind) {
      case "sqlite": {
        if (!options.create && !existsSync(spec.target)) {
          throw new CliError(`The SQLite file ${spec.target} does not exist. Check --store (pins set creates it).`);
        }
        const { sqlitePins } = await loadPeer(() => import("@strata/store-sqlite"), "@strata/store-sqlite");
        return sqlitePins({ filename: spec.target, ...background });
      }
      case "postgres": {
        const { postgresPins } = await loadPeer(() => import("@strata/store-postgres"), "@strata/store-postgres");
        return postgresPins({ connectionString: spec.target, timeoutMs, ...(options.schema !== undefined ? { schema: options.schema } : {}), ...background });
      }
      case "redis": {
        const { redisPins } = await loadPeer(() => import("@strata/store-redis"), "@strata/store-redis");
        return redisPins({ url: spec.target, timeoutMs, ...(options.prefix !== undefined ? { prefix: options.prefix } : {}), ...background });
      }
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    // Option errors ("postgresPins: option \"schema\" must be ...") and files SQLite cannot open.
    throw new CliError(`Cannot open the pin store ${spec.display}: ${messageOf(err)}`, EXIT.store);
  }
}

/** An optional peer package, or a CliError with the install command when it is missing. */
export async function loadPeer<T extends object>(importer: () => Promise<T>, name: string, needed = "This store needs"): Promise<T> {
  let mod: T & { default?: T };
  try {
    mod = (await importer()) as T & { default?: T };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") {
      throw new CliError(`${needed} the ${name} package: npm install ${name}`, EXIT.usage);
    }
    throw err;
  }
  // ES module import of a CommonJS package: named exports may only be on `default`.
  return mod.default && typeof mod.default === "object" ? { ...mod.default, ...mod } : mod;
}
