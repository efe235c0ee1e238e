import { ConfigurationError } from "../errors";

/**
 * One option's rule: whether a value is acceptable, and what is expected, in words, for the
 * error that names the option.
 */
export interface OptionRule {
  readonly test: (value: unknown) => boolean;
  readonly expected: string;
  readonly required?: boolean;
}

/** Rules for options whose value is never `undefined` once given. */
export const option = {
  string: (expected = "a string"): OptionRule => ({ test: (v) => typeof v === "string", expected }),
  nonEmptyString: (expected = "a non-empty string"): OptionRule => ({ test: (v) => typeof v === "string" && v !== "", expected }),
  function: (expected = "a function"): OptionRule => ({ test: (v) => typeof v === "function", expected }),
  boolean: (): OptionRule => ({ test: (v) => typeof v === "boolean", expected: "true or false" }),
  /** A whole number from `min` to `max`. */
  integer: (min: number, max = Number.MAX_SAFE_INTEGER, expected?: string): OptionRule => ({
    test: (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
    expected: expected ?? `a whole number from ${min} to ${max}`,
  }),
  /** A finite number greater than `min` (or at least `min`, with `inclusive`). */
  number: (min: number, expected: string, inclusive = false): OptionRule => ({
    test: (v) => typeof v === "number" && Number.isFinite(v) && (inclusive ? v >= min : v > min),
    expected,
  }),
  oneOf: (...values: readonly unknown[]): OptionRule => ({ test: (v) => values.includes(v), expected: values.map((x) => JSON.stringify(x)).join(" or ") }),
  matching: (pattern: RegExp, expected: string): OptionRule => ({ test: (v) => typeof v === "string" && pattern.test(v), expected }),
  custom: (test: (value: unknown) => boolean, expected: string): OptionRule => ({ test, expected }),
  required: (rule: OptionRule): OptionRule => ({ ...rule, required: true }),
};

/**
 * Check a factory's options once, at startup: an object, no unknown option, every rule met,
 * and, for each group in `exactlyOne`, exactly one of its options given. Throws a
 * `ConfigurationError` whose `offender` is the option, naming the factory, what was expected
 * and what was given. Every Strata factory (core, Express, stores) checks its options here.
 *
 * @example
 * checkOptions("postgresPins()", options, { schema: option.matching(/^[a-z_]+$/, "an identifier"), pool: option.custom(isPool, "a pg.Pool") }, [["connectionString", "pool"]]);
 */
export function checkOptions(
  owner: string,
  options: unknown,
  rules: Readonly<Record<string, OptionRule>>,
  exactlyOne: readonly (readonly string[])[] = [],
): Record<string, unknown> {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new ConfigurationError(`${owner}: expected an options object, got ${describe(options)}.`);
  }
  const given = options as Record<string, unknown>;
  const known = Object.keys(rules);
  for (const key of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(rules, key)) {
      throw new ConfigurationError(`${owner}: \`${key}\` is not an option. Known options: ${known.join(", ")}.`, key);
    }
  }
  for (const group of exactlyOne) {
    const present = group.filter((key) => given[key] !== undefined);
    if (present.length !== 1) {
      throw new ConfigurationError(
        `${owner}: pass exactly one of ${group.map((k) => `\`${k}\``).join(" or ")}${present.length ? ` (got ${present.map((k) => `\`${k}\``).join(" and ")})` : ""}.`,
        group[0],
      );
    }
  }
  for (const [key, rule] of Object.entries(rules)) {
    const value = given[key];
    if (value === undefined) {
      if (rule.required) throw new ConfigurationError(`${owner}: \`${key}\` is required: ${rule.expected}.`, key);
      continue;
    }
    if (!rule.test(value)) throw new ConfigurationError(`${owner}: \`${key}\` must be ${rule.expected}, got ${describe(value)}.`, key);
  }
  return { ...given };
}

/** A value as an error message shows it: short, and never a whole object dump. */
function describe(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "an object";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
