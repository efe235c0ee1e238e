import Database from "better-sqlite3";
import { Identities } from "./db/identities";
import { Keys } from "./db/keys";
import { Overrides } from "./db/overrides";
import { Ratelimits } from "./db/ratelimits";
import { Rbac } from "./db/rbac";
import { migrate } from "./db/schema";
import { Workspaces } from "./db/workspaces";

export type * from "./db/types";

/** The example's storage: one SQLite file (or `:memory:`), one repository per resource. */
export interface Db {
  readonly sql: Database.Database;
  readonly workspaces: Workspaces;
  readonly keys: Keys;
  readonly ratelimits: Ratelimits;
  readonly identities: Identities;
  readonly rbac: Rbac;
  readonly overrides: Overrides;
  /** Run `fn` in one transaction: a request's writes land together or not at all. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export function openDb(file = ":memory:"): Db {
  const sql = new Database(file);
  migrate(sql);
  return {
    sql,
    workspaces: new Workspaces(sql),
    keys: new Keys(sql),
    ratelimits: new Ratelimits(sql),
    identities: new Identities(sql),
    rbac: new Rbac(sql),
    overrides: new Overrides(sql),
    transaction: (fn) => sql.transaction(fn)(),
    close: () => sql.close(),
  };
}
