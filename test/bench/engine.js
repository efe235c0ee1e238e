#!/usr/bin/env node
"use strict";
/*
 * Engine micro-benchmark: the cost of migrating one response with @strata/core, against a
 * hand-written function doing the same renames, with no HTTP in the way.
 *
 *   npx tsc -b packages/core && node --expose-gc test/bench/engine.js
 *
 * Workload (DESIGN.md, "The performance bar"): a response body `{ data: [100 keys] }`, each key
 * with 13 fields, `object: "key"`, a nested object and a nested list of 3 objects; about 50 KB
 * of JSON. One version set of 51 date versions; the version that introduced `f_K` renamed
 * `f_(K-1)` (renameField("key", ...)), so a client `d` versions behind receives `f_(50-d)`
 * through `d` renames per key. Distances measured: 0 (latest), 1, 10, 50.
 *
 * Per distance, five cases produce the same output from the same input:
 *   strata  versions.migrateRequest(GET request, client) then .migrateResponse(200 response):
 *           the default, copy-on-write (the input body is never written)
 *   in-place  the same with .migrateResponse(response, { inPlace: true }), the opt-in for
 *           handlers that build a fresh body per request
 *   hand    a hand-written function renaming f_50 -> f_(50-d) over body.data, with the same
 *           own-property check renameField makes, one rename step at a time
 *   walk    the same renames, hand-written, but finding keys anywhere in the body (a recursive
 *           walk, as strata must: it does not know where resources are)
 *   tuned   the best hand-written code: one move from f_50 to f_(50-d) over body.data, no delete
 * Each timed batch runs one case over BATCH fresh copies of the body, made (JSON.parse of the
 * same string) before the clock starts, so copying is never timed. Cases are interleaved within
 * every round (alternating direction); ROUNDS rounds after WARMUP untimed ones. Each batch is
 * timed twice: process CPU time (user + system, all threads, so GC work counts) and wall
 * clock. The table reports the median over rounds of CPU ns/op, which stays stable on a shared
 * machine where wall clock does not; wall-clock medians are printed below it. With
 * --expose-gc, a GC runs before every batch, and the heap growth over a small batch right
 * after a GC estimates the bytes allocated per op.
 *
 * At distance 0 neither case touches the body, so those batches pass over their copies 100 times
 * (one op is tens of ns; the first cold op after the GC would otherwise dominate).
 *
 * Environment: BENCH_ROUNDS (default 15), BENCH_BATCH (default 200), BENCH_WARMUP (default 5),
 * BENCH_JSON (file: also write the results as JSON there), BENCH_CORE (a dist directory of
 * another @strata/core build to measure instead, for before/after comparisons).
 */

const path = require("node:path");
const fs = require("node:fs");
const assert = require("node:assert/strict");

const ROOT = path.resolve(__dirname, "../..");
// BENCH_CORE: another build of @strata/core (a dist directory), to compare before and after.
const core = require(process.env.BENCH_CORE ? path.resolve(process.env.BENCH_CORE) : path.join(ROOT, "packages/core/dist"));

const CHANGES = 50;
const DISTANCES = [0, 1, 10, 50];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const BATCH = Number(process.env.BENCH_BATCH ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const MEMORY_BATCH = 20;
const gc = typeof global.gc === "function" ? global.gc : undefined;

// ---------------------------------------------------------------------------------------------
// Workload

const field = (k) => `f_${k}`;

function buildBody() {
  const data = [];
  for (let i = 0; i < 100; i++) {
    const n = String(i + 1).padStart(6, "0");
    data.push({
      object: "key",
      id: `key_${n}`,
      [field(CHANGES)]: `owner_${n}`,
      start: "sk_",
      apiId: `api_${String(i % 7).padStart(6, "0")}`,
      name: `Key ${i + 1}`,
      createdAt: 1735689600000 + i * 3600000,
      expires: i % 3 === 0 ? null : 1767225600000 + i * 1000,
      enabled: i % 11 !== 0,
      environment: i % 2 === 0 ? "live" : "test",
      remaining: 1000 - i,
      ratelimit: { type: "fast", limit: 100, duration: 60000, async: false },
      permissions: [0, 1, 2].map((j) => ({ id: `perm_${i}_${j}`, name: `keys.${["read", "write", "delete"][j]}`, description: `Permission ${j}` })),
    });
  }
  return { data };
}

const JSON_BODY = JSON.stringify(buildBody());

function defineBenchVersions() {
  const list = [];
  const day = Date.UTC(2020, 0, 1);
  // Newest first: index i introduced f_(CHANGES - i); the last (oldest) introduced nothing.
  for (let i = 0; i <= CHANGES; i++) {
    const id = new Date(day + (CHANGES - i) * 7 * 86_400_000).toISOString().slice(0, 10);
    const k = CHANGES - i;
    list.push(k > 0 ? { id, changes: [core.renameField("key", field(k - 1), field(k))] } : { id });
  }
  return core.defineVersions({ versions: list });
}

const versions = defineBenchVersions();

/** The hand-written migration a team would write for a client `distance` versions behind. */
function handWritten(distance) {
  const steps = [];
  for (let k = CHANGES; k > CHANGES - distance; k--) steps.push([field(k), field(k - 1)]);
  const hasOwn = Object.prototype.hasOwnProperty;
  return function migrate(body) {
    if (steps.length === 0) return body;
    const data = body.data;
    for (let i = 0; i < data.length; i++) {
      const item = data[i];
      for (let s = 0; s < steps.length; s++) {
        const [to, from] = steps[s];
        if (hasOwn.call(item, to)) {
          item[from] = item[to];
          delete item[to];
        }
      }
    }
    return body;
  };
}

/**
 * The best a hand can do: it knows the renames chain, so it moves the value once from the
 * newest name to the client's, and avoids `delete` (which drops V8 objects into slow mode).
 */
function handTuned(distance) {
  const newest = field(CHANGES);
  const client = field(CHANGES - distance);
  return function migrate(body) {
    if (distance === 0) return body;
    const data = body.data;
    for (let i = 0; i < data.length; i++) {
      const item = data[i];
      const value = item[newest];
      if (value !== undefined) {
        item[client] = value;
        item[newest] = undefined;
      }
    }
    return body;
  };
}

/** The same renames, finding every `object: "key"` anywhere in the body, as strata does. */
function handWalk(distance) {
  const rename = handWritten(distance);
  const one = { data: [null] };
  function walk(value) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item === "object" && item !== null) walk(item);
      }
      return;
    }
    if (value.object === "key") {
      one.data[0] = value;
      rename(one);
    }
    for (const key in value) {
      const child = value[key];
      if (typeof child === "object" && child !== null) walk(child);
    }
  }
  return function migrate(body) {
    if (distance > 0) walk(body);
    return body;
  };
}

/** Strata's default copies what it changes (the handler's body is never written); `inPlace` is the opt-in. */
function strataCase(distance, inPlace = false) {
  const client = versions.list[distance];
  const options = { inPlace };
  return function migrate(body) {
    const request = { method: "GET", path: "/v1/keys", query: {}, headers: {}, body: undefined };
    const migration = versions.migrateRequest(request, client);
    return migration.migrateResponse({ status: 200, headers: {}, body }, options).body;
  };
}

const CASES = DISTANCES.flatMap((distance) => [
  { name: `strata d=${distance}`, impl: "strata", distance, run: strataCase(distance) },
  { name: `in-place d=${distance}`, impl: "inplace", distance, run: strataCase(distance, true) },
  { name: `hand d=${distance}`, impl: "hand", distance, run: handWritten(distance) },
  { name: `walk d=${distance}`, impl: "walk", distance, run: handWalk(distance) },
  { name: `tuned d=${distance}`, impl: "tuned", distance, run: handTuned(distance) },
]);

// ---------------------------------------------------------------------------------------------
// Checks: both implementations produce the same, correct body before anything is timed.

for (const distance of DISTANCES) {
  const expected = JSON.parse(JSON_BODY);
  for (const key of expected.data) {
    if (distance > 0) {
      key[field(CHANGES - distance)] = key[field(CHANGES)];
      delete key[field(CHANGES)];
    }
  }
  for (const c of CASES.filter((x) => x.distance === distance)) {
    // Compared as the client sees it: serialised (a key left undefined is not sent).
    assert.deepStrictEqual(JSON.parse(JSON.stringify(c.run(JSON.parse(JSON_BODY)))), expected, `${c.name} produced a wrong body`);
  }
}

// ---------------------------------------------------------------------------------------------
// Measurement

function pool(n) {
  const copies = new Array(n);
  for (let i = 0; i < n; i++) copies[i] = JSON.parse(JSON_BODY);
  return copies;
}

/**
 * At distance 0 nothing touches the body (checked above), so one op takes tens of ns: a batch
 * then makes ZERO_PASSES passes over its copies, or the first cold op after the forced GC
 * would dominate the figure.
 */
const ZERO_PASSES = 100;

/** One batch: { cpu, wall } ns per op. */
function timeBatch(c) {
  const copies = pool(BATCH);
  const passes = c.distance === 0 ? ZERO_PASSES : 1;
  gc?.();
  const run = c.run;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let p = 0; p < passes; p++) for (let i = 0; i < copies.length; i++) run(copies[i]);
  const end = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  const ops = copies.length * passes;
  return { cpu: ((cpu.user + cpu.system) * 1000) / ops, wall: Number(end - start) / ops };
}

function allocatedPerOp(c) {
  if (!gc) return undefined;
  const samples = [];
  const passes = c.distance === 0 ? ZERO_PASSES : 1;
  for (let r = 0; r < 5; r++) {
    const copies = pool(MEMORY_BATCH);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let p = 0; p < passes; p++) for (let i = 0; i < copies.length; i++) c.run(copies[i]);
    const after = process.memoryUsage().heapUsed;
    samples.push((after - before) / (copies.length * passes));
  }
  return median(samples);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function stringifyBaseline() {
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) {
    samples.push(timeBatch({ distance: -1, run: (body) => JSON.stringify(body) }).cpu);
  }
  return median(samples);
}

function main() {
  const cpu = new Map(CASES.map((c) => [c.name, []]));
  const wall = new Map(CASES.map((c) => [c.name, []]));
  for (let r = 0; r < WARMUP; r++) for (const c of CASES) timeBatch(c);
  for (let r = 0; r < ROUNDS; r++) {
    // Interleave, alternating the order so no case always runs first.
    const order = r % 2 === 0 ? CASES : [...CASES].reverse();
    for (const c of order) {
      const t = timeBatch(c);
      cpu.get(c.name).push(t.cpu);
      wall.get(c.name).push(t.wall);
    }
  }
  const find = (impl, distance) => CASES.find((c) => c.impl === impl && c.distance === distance);
  const results = DISTANCES.map((distance) => {
    const [strata, inplace, hand, walk, tuned] = ["strata", "inplace", "hand", "walk", "tuned"].map((impl) => find(impl, distance));
    const s = median(cpu.get(strata.name));
    const ip = median(cpu.get(inplace.name));
    const t = median(cpu.get(tuned.name));
    const h = median(cpu.get(hand.name));
    const w = median(cpu.get(walk.name));
    return {
      distance,
      strataNs: s,
      inPlaceNs: ip,
      handNs: h,
      walkNs: w,
      tunedNs: t,
      tunedRatio: s / t,
      ratio: s / h,
      walkRatio: s / w,
      strataWallNs: median(wall.get(strata.name)),
      handWallNs: median(wall.get(hand.name)),
      walkWallNs: median(wall.get(walk.name)),
      strataBytes: allocatedPerOp(strata),
      handBytes: allocatedPerOp(hand),
      strataSpread: quartileSpread(cpu.get(strata.name)),
      handSpread: quartileSpread(cpu.get(hand.name)),
    };
  });
  const stringifyNs = stringifyBaseline();

  const fmt = (n) => Math.round(n).toLocaleString("en-US");
  const kb = (b) => (b === undefined ? "n/a" : `${(b / 1024).toFixed(1)} KB`);
  console.log(
    `Engine benchmark: ${JSON_BODY.length.toLocaleString("en-US")} bytes of JSON, 100 keys, ${versions.list.length} versions${process.env.BENCH_CORE ? ` (core from ${process.env.BENCH_CORE})` : ""}`,
  );
  console.log(
    `node ${process.version}, ${ROUNDS} rounds x ${BATCH} ops per case, median CPU time${gc ? ", GC before each batch" : " (run with --expose-gc for memory figures)"}`,
  );
  console.log("");
  console.log(
    "| distance | strata ns/op | strata in place ns/op | hand-written ns/op (body.data) | ratio | hand-written ns/op (walk) | ratio | hand-tuned ns/op | ratio | strata alloc/op | hand alloc/op |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  // At distance 0 the hand-written code does nothing at all: a ratio to ~0 ns means nothing.
  const ratio = (r, x) => (r.distance === 0 ? "-" : `${x.toFixed(2)}x`);
  for (const r of results) {
    console.log(
      `| ${r.distance} | ${fmt(r.strataNs)} | ${fmt(r.inPlaceNs)} | ${fmt(r.handNs)} | ${ratio(r, r.ratio)} | ${fmt(r.walkNs)} | ${ratio(r, r.walkRatio)} | ${fmt(r.tunedNs)} | ${ratio(r, r.tunedRatio)} | ${kb(r.strataBytes)} | ${kb(r.handBytes)} |`,
    );
  }
  const zero = results.find((r) => r.distance === 0);
  console.log("");
  console.log(
    `Overhead at the latest version (distance 0): ${fmt(zero.strataNs - zero.handNs)} ns per request (CPU), ${fmt(zero.strataWallNs - zero.handWallNs)} ns (wall)`,
  );
  console.log(`Reference: JSON.stringify of the same body: ${fmt(stringifyNs)} ns`);
  console.log(
    `Wall-clock medians, strata / hand / walk: ${results.map((r) => `d=${r.distance} ${fmt(r.strataWallNs)} / ${fmt(r.handWallNs)} / ${fmt(r.walkWallNs)}`).join("; ")}`,
  );
  console.log(
    `Interquartile spread (q3/q1, CPU): ${results.map((r) => `d=${r.distance} strata ${r.strataSpread.toFixed(2)} hand ${r.handSpread.toFixed(2)}`).join("; ")}`,
  );
  if (process.env.BENCH_JSON) {
    fs.writeFileSync(
      process.env.BENCH_JSON,
      JSON.stringify({ node: process.version, rounds: ROUNDS, batch: BATCH, bytes: JSON_BODY.length, stringifyNs, results }, null, 2),
    );
  }
}

function quartileSpread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((3 * (sorted.length - 1)) / 4)] / sorted[Math.floor((sorted.length - 1) / 4)];
}

main();
