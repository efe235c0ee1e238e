import type Database from "better-sqlite3";
import type { Ratelimit, RatelimitInput } from "./types";
import { bit, newId } from "./util";

/** Ratelimits belong to a key or to an identity (shared by all of its keys). */
export type RatelimitOwner = { keyId: string } | { identityId: string };

interface Row {
  id: string;
  name: string;
  limit: number;
  duration: number;
  auto_apply: number;
}

const toRatelimit = (r: Row): Ratelimit => ({ id: r.id, name: r.name, limit: r.limit, duration: r.duration, autoApply: r.auto_apply === 1 });

function ownerColumn(owner: RatelimitOwner): [column: "key_id" | "identity_id", id: string] {
  return "keyId" in owner ? ["key_id", owner.keyId] : ["identity_id", owner.identityId];
}

export class Ratelimits {
  constructor(private readonly db: Database.Database) {}

  list(owner: RatelimitOwner): Ratelimit[] {
    const [column, id] = ownerColumn(owner);
    return (this.db.prepare(`SELECT id, name, "limit", duration, auto_apply FROM ratelimits WHERE ${column} = ? ORDER BY name`).all(id) as Row[]).map(
      toRatelimit,
    );
  }

  /** Replace the owner's ratelimits; ones that keep their name keep their id. */
  replace(owner: RatelimitOwner, list: readonly RatelimitInput[]): void {
    const [column, id] = ownerColumn(owner);
    const existing = new Map(this.list(owner).map((r) => [r.name, r.id]));
    const run = this.db.transaction(() => {
      this.db.prepare(`DELETE FROM ratelimits WHERE ${column} = ?`).run(id);
      const insert = this.db.prepare(`INSERT INTO ratelimits (id, ${column}, name, "limit", duration, auto_apply) VALUES (?, ?, ?, ?, ?, ?)`);
      for (const r of list) insert.run(existing.get(r.name) ?? newId("rl"), id, r.name, r.limit, r.duration, bit(r.autoApply));
    });
    run();
  }
}
