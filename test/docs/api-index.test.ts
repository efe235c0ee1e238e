import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as core from "@strata/core";
import * as expressPkg from "@strata/express";
import * as openapi from "@strata/openapi";

// docs/api.md is the index of the public API: every runtime export must be listed there.
const index = readFileSync(join(__dirname, "..", "..", "docs", "api.md"), "utf8");

describe("docs/api.md", () => {
  it.each([
    ["@strata/core", Object.keys(core)],
    ["@strata/express", Object.keys(expressPkg)],
    ["@strata/openapi", Object.keys(openapi)],
  ])("lists every runtime export of %s", (_pkg, names) => {
    const missing = names.filter((name) => !index.includes(`\`${name}`));
    expect(missing).toEqual([]);
  });
});
