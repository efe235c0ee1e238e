import { checkOptions, ConfigurationError, option } from "@strata/core";

const rules = {
  url: option.matching(/^https?:\/\//, "an http(s) URL"),
  pool: option.custom((v) => typeof v === "object" && v !== null, "a pool"),
  retries: option.integer(0, 5),
  name: option.required(option.nonEmptyString()),
};
const fail = (run: () => unknown): ConfigurationError => {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigurationError) return err;
    throw err;
  }
  throw new Error("expected a ConfigurationError");
};

describe("checkOptions", () => {
  it("answers a copy of valid options", () => {
    const given = { name: "a", url: "https://x", retries: 2 };
    const out = checkOptions("f()", given, rules, [["url", "pool"]]);
    expect(out).toEqual(given);
    expect(out).not.toBe(given);
  });

  it.each([
    ["a non-object", null, undefined, /f\(\): expected an options object, got null/],
    ["an unknown option", { name: "a", url: "https://x", colour: 1 }, "colour", /`colour` is not an option\. Known options: url, pool, retries, name\./],
    ["a missing required option", { url: "https://x" }, "name", /`name` is required: a non-empty string\./],
    ["a wrong type", { name: "a", url: "https://x", retries: 9 }, "retries", /`retries` must be a whole number from 0 to 5, got 9\./],
    ["neither of an exactly-one group", { name: "a" }, "url", /pass exactly one of `url` or `pool`\./],
    ["both of an exactly-one group", { name: "a", url: "https://x", pool: {} }, "url", /\(got `url` and `pool`\)/],
  ])("refuses %s, naming the option", (_what, given, offender, message) => {
    const err = fail(() => checkOptions("f()", given, rules, [["url", "pool"]]));
    expect(err.offender).toBe(offender);
    expect(err.message).toMatch(message);
  });

  it("never dumps a value into the message", () => {
    expect(fail(() => checkOptions("f()", { name: "x".repeat(500) }, { name: option.integer(0) })).message.length).toBeLessThan(200);
    expect(fail(() => checkOptions("f()", { name: { secret: "s3cr3t" } }, { name: option.integer(0) })).message).not.toContain("s3cr3t");
  });
});
