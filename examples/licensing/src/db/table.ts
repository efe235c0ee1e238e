import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";

/** How a field is stored: SQLite has no booleans, dates or objects. */
type Kind = "text" | "int" | "bool" | "date" | "json";
type Columns<T> = { [K in keyof T]-?: readonly [column: string, kind: Kind] };
type Row = Record<string, unknown>;

/** Keygen's ids are UUIDs; so are these. */
export const newId = (): string => randomUUID();

const toColumn = (kind: Kind, value: unknown): unknown => {
  if (value === undefined || value === null) return null;
  switch (kind) {
    case "bool":
      return value ? 1 : 0;
    case "date":
      return (value as Date).getTime();
    case "json":
      return JSON.stringify(value);
    default:
      return value;
  }
};

const fromColumn = (kind: Kind, value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case "bool":
      return value === 1;
    case "date":
      return new Date(value as number);
    case "json":
      return JSON.parse(value as string);
    default:
      return value;
  }
};

/**
 * One table of account-owned rows, mapped to objects by a column list. Every read is scoped to
 * an account, so one account's id never finds another account's row.
 */
export class Table<T extends { id: string; accountId: string; updatedAt: Date }> {
  private readonly fields: [keyof T & string, string, Kind][];
  private readonly insertStmt: Database.Statement;
  private readonly getStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;

  constructor(
    readonly sql: Database.Database,
    readonly name: string,
    columns: Columns<T>,
  ) {
    this.fields = Object.entries(columns).map(([field, spec]) => [field as keyof T & string, ...(spec as [string, Kind])]);
    const names = this.fields.map(([, c]) => c);
    this.insertStmt = sql.prepare(`INSERT INTO ${name} (${names.join(", ")}) VALUES (${names.map((c) => `@${c}`).join(", ")})`);
    this.getStmt = sql.prepare(`SELECT * FROM ${name} WHERE account_id = ? AND id = ?`);
    this.deleteStmt = sql.prepare(`DELETE FROM ${name} WHERE account_id = ? AND id = ?`);
  }

  insert(row: T): T {
    this.insertStmt.run(this.toRow(row));
    return row;
  }

  get(accountId: string, id: string): T | undefined {
    const row = this.getStmt.get(accountId, id) as Row | undefined;
    return row && this.fromRow(row);
  }

  /** Rows matching `where` (column = value, all of them), oldest first, at most `limit`. */
  list(accountId: string, where: Record<string, unknown> = {}, limit = 100): T[] {
    const keys = Object.keys(where);
    const clause = keys.map((k) => ` AND ${k} = @${k}`).join("");
    const rows = this.sql
      .prepare(`SELECT * FROM ${this.name} WHERE account_id = @account_id${clause} ORDER BY created_at, id LIMIT @limit`)
      .all({ ...where, account_id: accountId, limit }) as Row[];
    return rows.map((r) => this.fromRow(r));
  }

  /** Apply the given fields (and a new `updatedAt`); answers the updated row. */
  update(row: T, patch: Partial<T>, now = new Date()): T {
    const next = { ...row, ...patch, updatedAt: now };
    const changed = this.fields.filter(([field]) => field in patch || field === "updatedAt");
    const set = changed.map(([, column]) => `${column} = @${column}`).join(", ");
    this.sql.prepare(`UPDATE ${this.name} SET ${set} WHERE id = @id`).run(this.toRow(next));
    return next;
  }

  delete(accountId: string, id: string): boolean {
    return this.deleteStmt.run(accountId, id).changes > 0;
  }

  fromRow(row: Row): T {
    const out: Record<string, unknown> = {};
    for (const [field, column, kind] of this.fields) out[field] = fromColumn(kind, row[column]);
    return out as T;
  }

  private toRow(obj: T): Row {
    const out: Row = {};
    for (const [field, column, kind] of this.fields) out[column] = toColumn(kind, obj[field]);
    return out;
  }
}
