#!/usr/bin/env node
"use strict";
/*
 * Entry point of `npm run bench` (after the build): runs every benchmark in this folder, one
 * child process each, one after the other, so no benchmark warms up or pollutes the heap of
 * the next.
 *
 *   node test/bench/run.js            all of them: engine.js, http.js, then *.bench.js
 *   node test/bench/run.js engine     only those whose file name contains "engine"
 *
 * Children run with --expose-gc (benchmarks use it when present) and inherit the environment
 * (BENCH_* variables). The exit code is the first failing child's, else 0.
 */

const path = require("node:path");
const fs = require("node:fs");
const { spawnSync } = require("node:child_process");

const DIR = __dirname;
const FIRST = ["engine.js", "http.js"];

const files = [
  ...FIRST.filter((f) => fs.existsSync(path.join(DIR, f))),
  ...fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith(".bench.js"))
    .sort(),
];
const filters = process.argv.slice(2);
const selected = filters.length ? files.filter((f) => filters.some((w) => f.includes(w))) : files;

if (selected.length === 0) {
  console.error(`No benchmark matches ${filters.join(", ")}; available: ${files.join(", ")}`);
  process.exit(1);
}

let exitCode = 0;
for (const file of selected) {
  console.log(`\n=== ${file} ===\n`);
  const result = spawnSync(process.execPath, ["--expose-gc", path.join(DIR, file)], { stdio: "inherit", env: process.env });
  if (result.error) {
    console.error(`${file}: ${result.error.message}`);
    exitCode ||= 1;
  } else if (result.status !== 0) {
    console.error(`${file} exited with ${result.status ?? result.signal}`);
    exitCode ||= result.status ?? 1;
  }
}
process.exit(exitCode);
