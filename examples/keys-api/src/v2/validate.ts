import { badRequest, type FieldError } from "./errors";

/**
 * A few schema combinators for request bodies. Each reports every problem at once, with the
 * `location` / `message` / `fix` triple v2 returns in a 400. Unknown fields are ignored, as
 * clients built against newer or older documents send them.
 */
export interface Schema<T> {
  parse(value: unknown, at: string, errors: FieldError[]): T;
  readonly optional?: boolean;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const BAD = undefined as never;
const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function fail(errors: FieldError[], at: string, expected: string, got: unknown): never {
  errors.push({ location: at, message: `Expected ${expected}, received ${typeOf(got)}`, fix: `Send \`${at.replace(/^body\./, "")}\` as ${expected}.` });
  return BAD;
}

export const str = (o: { min?: number; max?: number } = {}): Schema<string> => ({
  parse(v, at, errors) {
    if (typeof v !== "string") return fail(errors, at, "a string", v);
    if (v.length < (o.min ?? 1))
      errors.push({ location: at, message: `Must be at least ${o.min ?? 1} characters long`, fix: `Provide a non-empty \`${at.replace(/^body\./, "")}\`.` });
    if (o.max !== undefined && v.length > o.max) errors.push({ location: at, message: `Must be at most ${o.max} characters long` });
    return v;
  },
});

export const int = (o: { min?: number; max?: number } = {}): Schema<number> => ({
  parse(v, at, errors) {
    if (typeof v !== "number" || !Number.isInteger(v)) return fail(errors, at, "an integer", v);
    if (o.min !== undefined && v < o.min) errors.push({ location: at, message: `Must be at least ${o.min}`, fix: `Use a value of ${o.min} or more.` });
    if (o.max !== undefined && v > o.max) errors.push({ location: at, message: `Must be at most ${o.max}`, fix: `Use a value of ${o.max} or less.` });
    return v;
  },
});

export const bool = (): Schema<boolean> => ({
  parse: (v, at, errors) => (typeof v === "boolean" ? v : fail(errors, at, "a boolean", v)),
});

export const oneOf = <T extends string>(...values: T[]): Schema<T> => ({
  parse: (v, at, errors) => (values.includes(v as T) ? (v as T) : fail(errors, at, `one of ${values.map((x) => `"${x}"`).join(", ")}`, v)),
});

/** Free-form JSON object (`meta`). */
export const record = (): Schema<Record<string, unknown>> => ({
  parse: (v, at, errors) => (typeOf(v) === "object" ? (v as Record<string, unknown>) : fail(errors, at, "an object", v)),
});

export const list = <T>(item: Schema<T>, o: { max?: number } = {}): Schema<T[]> => ({
  parse(v, at, errors) {
    if (!Array.isArray(v)) return fail(errors, at, "an array", v);
    if (o.max !== undefined && v.length > o.max) errors.push({ location: at, message: `Must contain at most ${o.max} items` });
    return v.map((x, i) => item.parse(x, `${at}[${i}]`, errors));
  },
});

/**
 * A list whose items must differ in `key` (a name, say): each repeat is reported at its own
 * place, so the client's mistake is a 400 before anything reaches the database.
 */
export const uniqueBy = <T>(items: Schema<T[]>, field: keyof T & string, what: string): Schema<T[]> => ({
  parse(v, at, errors) {
    const parsed = items.parse(v, at, errors);
    const seen = new Set<unknown>();
    (Array.isArray(parsed) ? parsed : []).forEach((item, i) => {
      const value = item?.[field];
      if (value === undefined) return;
      if (seen.has(value))
        errors.push({
          location: `${at}[${i}].${field}`,
          message: `${what} ${JSON.stringify(value)} is given twice`,
          fix: `Give each ${what.toLowerCase()} its own ${field}.`,
        });
      seen.add(value);
    });
    return parsed;
  },
});

export const opt = <T>(s: Schema<T>): Schema<T | undefined> & { readonly optional: true } => ({
  optional: true,
  parse: (v, at, errors) => (v === undefined ? undefined : s.parse(v, at, errors)),
});

export const nullable = <T>(s: Schema<T>): Schema<T | null> => ({
  optional: s.optional,
  parse: (v, at, errors) => (v === null ? null : s.parse(v, at, errors)),
});

/** Tries each schema in turn; for fields that accept a string or an object. */
export const either = <A, B>(a: Schema<A>, b: Schema<B>, expected: string): Schema<A | B> => ({
  parse(v, at, errors) {
    for (const s of [a, b] as Schema<A | B>[]) {
      const local: FieldError[] = [];
      const out = s.parse(v, at, local);
      if (local.length === 0) return out;
    }
    return fail(errors, at, expected, v);
  },
});

type Shape = Record<string, Schema<unknown>>;
type ObjectOf<S extends Shape> = { [K in keyof S as S[K] extends { optional: true } ? never : K]: Infer<S[K]> } & {
  [K in keyof S as S[K] extends { optional: true } ? K : never]?: Infer<S[K]>;
};

export const obj = <S extends Shape>(shape: S): Schema<ObjectOf<S>> => ({
  parse(v, at, errors) {
    if (typeOf(v) !== "object") return fail(errors, at, "an object", v);
    const input = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(shape)) {
      const where = `${at}.${key}`;
      if (input[key] === undefined && !schema.optional) {
        errors.push({ location: where, message: "Required field missing", fix: `Provide \`${where.replace(/^body\./, "")}\`.` });
        continue;
      }
      const value = schema.parse(input[key], where, errors);
      if (value !== undefined) out[key] = value;
    }
    return out as ObjectOf<S>;
  },
});

/** Parse a request body or throw the 400 that lists every problem. */
export function parseBody<S extends Shape>(shape: S, body: unknown): ObjectOf<S> {
  const errors: FieldError[] = [];
  const value = obj(shape).parse(body ?? {}, "body", errors);
  if (errors.length > 0) throw badRequest(`Invalid request body: ${errors.map((e) => `${e.location}: ${e.message}`).join("; ")}`, errors);
  return value;
}
