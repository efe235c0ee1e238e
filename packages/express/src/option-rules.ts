import { option, type OptionRule } from "@strata/core";

/** RFC 9110 token: what a header name may contain. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The rules both `versioning()` and `versioningAdmin()` apply to the same kinds of option. */
export const rules = {
  headerName: (): OptionRule => option.matching(HEADER_NAME, "a valid HTTP header name"),
  headerNameOrFalse: (): OptionRule => option.custom((v) => v === false || (typeof v === "string" && HEADER_NAME.test(v)), "a header name, or false"),
  /** A PinStore offering at least `methods`. */
  pinStore: (methods: readonly string[], expected: string): OptionRule =>
    option.custom(
      (v) => typeof v === "object" && v !== null && methods.every((m) => typeof (v as Record<string, unknown>)[m] === "function"),
      `${expected} (with ${methods.join(", ")})`,
    ),
  /** The result of `defineVersions()`, recognised by the members the factory uses. */
  versionSet: (members: readonly string[]): OptionRule =>
    option.required(
      option.custom((v) => members.every((m) => typeof (v as Record<string, unknown> | undefined)?.[m] === "function"), "the result of defineVersions()"),
    ),
};
