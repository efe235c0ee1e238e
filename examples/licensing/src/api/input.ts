import { badParameter } from "./errors";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** What a JSON:API request document holds for the handlers: attributes and relationships, read with pointers. */
export interface ResourceInput {
  attributes: Attributes;
  relationships: Relationships;
}

/**
 * Read `{ data: { type, id?, attributes?, relationships? } }`. Anything else is a 400 naming
 * where the document went wrong, so a client's mistake never reaches a handler as a crash.
 */
export function resourceInput(body: unknown, type: string, options: { id?: string } = {}): ResourceInput {
  if (!isObject(body) || !isObject(body.data))
    throw badParameter("/data", 'The request body must be a JSON:API document: { "data": { "type": ..., "attributes": {...} } }.', "PARAMETER_MISSING");
  const data = body.data;
  if (data.type !== type)
    throw badParameter("/data/type", `type mismatch: expected "${type}", got ${JSON.stringify(data.type)?.slice(0, 40)}`, "TYPE_MISMATCH");
  if (options.id !== undefined && data.id !== undefined && data.id !== options.id)
    throw badParameter("/data/id", "The id in the document does not match the URL.", "ID_MISMATCH");
  for (const key of ["attributes", "relationships"] as const) {
    if (data[key] !== undefined && !isObject(data[key])) throw badParameter(`/data/${key}`, `\`${key}\` must be an object.`);
  }
  return {
    attributes: new Attributes((data.attributes as Json | undefined) ?? {}),
    relationships: new Relationships((data.relationships as Json | undefined) ?? {}),
  };
}

/** Typed reads of `data.attributes`; `done()` refuses what was not read (a typo is a 400, not ignored). */
export class Attributes {
  private readonly read = new Set<string>();
  constructor(private readonly values: Json) {}

  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.values, name);
  }

  private get(name: string): unknown {
    this.read.add(name);
    return this.values[name];
  }

  private fail(name: string, expected: string): never {
    throw badParameter(`/data/attributes/${name}`, `\`${name}\` must be ${expected}.`);
  }

  string(name: string, options: { required: true; max?: number }): string;
  string(name: string, options?: { required?: false; max?: number }): string | null | undefined;
  string(name: string, options: { required?: boolean; max?: number } = {}): string | null | undefined {
    const v = this.get(name);
    if (v === undefined || v === null) {
      if (options.required) throw badParameter(`/data/attributes/${name}`, `\`${name}\` is required.`, "PARAMETER_MISSING");
      return v;
    }
    if (typeof v !== "string" || v.trim() === "" || v.length > (options.max ?? 255))
      this.fail(name, `a non-empty string of at most ${options.max ?? 255} characters`);
    return v;
  }

  integer(name: string, options: { min?: number; max?: number } = {}): number | null | undefined {
    const v = this.get(name);
    if (v === undefined || v === null) return v;
    const { min = 0, max = 2 ** 31 } = options;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) this.fail(name, `an integer from ${min} to ${max}`);
    return v;
  }

  boolean(name: string): boolean | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") this.fail(name, "true or false");
    return v;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v !== "string" || !values.includes(v as T)) this.fail(name, `one of ${values.join(", ")}`);
    return v as T;
  }

  /** An ISO 8601 timestamp, or null. */
  date(name: string): Date | null | undefined {
    const v = this.get(name);
    if (v === undefined || v === null) return v;
    const d = typeof v === "string" ? new Date(v) : undefined;
    if (!d || Number.isNaN(d.getTime())) this.fail(name, "an ISO 8601 timestamp or null");
    return d;
  }

  stringList(name: string, max = 50): string[] | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length > max || v.some((s) => typeof s !== "string" || s === "" || s.length > 255))
      this.fail(name, `a list of at most ${max} non-empty strings`);
    return v as string[];
  }

  /** Metadata: an object of at most 64 keys, at most 16 KiB as JSON. */
  metadata(name = "metadata"): Record<string, unknown> | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (!isObject(v) || Object.keys(v).length > 64 || JSON.stringify(v).length > 16_384) this.fail(name, "an object of at most 64 keys (16 KiB)");
    return v;
  }

  /** Refuse attributes the handler does not know: this version has no such attribute. */
  done(): void {
    const unknown = Object.keys(this.values).find((k) => !this.read.has(k));
    if (unknown !== undefined) throw badParameter(`/data/attributes/${unknown}`, `Unpermitted attribute \`${unknown.slice(0, 60)}\`.`, "PARAMETER_UNPERMITTED");
  }
}

/** Reads of `data.relationships`: `{ name: { data: { type, id } } }`. */
export class Relationships {
  constructor(private readonly values: Json) {}

  /** The related id; `null` when the client unset it; `undefined` when it was not given. */
  id(name: string, type: string, options: { required?: boolean } = {}): string | null | undefined {
    const pointer = `/data/relationships/${name}`;
    const rel = this.values[name];
    if (rel === undefined) {
      if (options.required) throw badParameter(pointer, `The \`${name}\` relationship is required.`, "PARAMETER_MISSING");
      return undefined;
    }
    if (!isObject(rel) || !("data" in rel)) throw badParameter(pointer, `\`${name}\` must be { "data": { "type": "${type}", "id": ... } }.`);
    if (rel.data === null) return null;
    return identifier(rel.data, type, `${pointer}/data`);
  }

  done(known: readonly string[]): void {
    const unknown = Object.keys(this.values).find((k) => !known.includes(k));
    if (unknown !== undefined)
      throw badParameter(`/data/relationships/${unknown}`, `Unpermitted relationship \`${unknown.slice(0, 60)}\`.`, "PARAMETER_UNPERMITTED");
  }
}

/** A resource identifier `{ type, id }` of the given type. */
export function identifier(value: unknown, type: string, pointer: string): string {
  if (!isObject(value) || value.type !== type || typeof value.id !== "string" || value.id === "" || value.id.length > 255) {
    throw badParameter(pointer, `Expected a resource identifier { "type": "${type}", "id": ... }.`);
  }
  return value.id;
}

/** The `meta` object of an action's body (`validate-key`: `{ meta: { key, scope } }`). */
export function metaInput(body: unknown): Json {
  if (body === undefined || body === null || (isObject(body) && body.meta === undefined)) return {};
  if (!isObject(body) || !isObject(body.meta)) throw badParameter("/meta", "`meta` must be an object.");
  return body.meta;
}
