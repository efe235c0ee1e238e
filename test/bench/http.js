#!/usr/bin/env node
"use strict";
/*
 * HTTP benchmark of the Express middleware (DESIGN.md, "The performance bar").
 *
 *   npx tsc -b && node test/bench/http.js
 *
 * One route returns a list of 100 resources (13 fields each, a nested object and a nested
 * list of 3 objects, about 48 KB of JSON), built fresh on every request by the same function
 * in every case. 11 date versions, one `renameField` per version, chained: the version that
 * introduced `label_vK` renamed `label_v(K-1)`, so a client 10 versions behind gets the field
 * through ten renames.
 *
 * Cases, each served by its own child process (the load generator never shares the server's
 * event loop):
 *   plain     Express without the middleware
 *   current   Strata, header = latest version (no change runs)
 *   behind1   Strata, header = one version behind (one rename per resource)
 *   behind10  Strata, header = the oldest version (ten renames per resource)
 *   inplace1, inplace10  the same with `migrateInPlace: true` (the default copies what the
 *             chain changes, so the handler's objects are never written; this opt-in does not)
 *   checkoff10  10 behind with `validateResponses: "off"` and contracts given (must cost nothing)
 *   checklog10  10 behind with `validateResponses: "log"`: every migrated response is validated
 *             against the derived document of its version (@strata/openapi, Ajv)
 *   guided10  10 behind with `walkGuides` from the head document: the walk visits `data[*]` only
 *   pinned10  10 behind by the account's pin (no version header; the pin cached after the first request)
 *   usage10   pinned10 with `usage: true`: every request counted per account and version, one
 *             batch written to the (in-memory) store per interval
 *
 * autocannon (programmatic API), 127.0.0.1 only, 50 connections. Every server gets a 1 s warm
 * up, then BENCH_ROUNDS rounds run the cases interleaved (plain, current, behind1, behind10,
 * plain, ...), BENCH_DURATION seconds each. Per case: median req/s and median p99 over the
 * rounds; the ratio to plain Express is the median of the per-round ratios (each round's case
 * divided by the same round's plain run); the ratio of the medians is in BENCH_JSON.
 * Before measuring, each case's response is checked (status, Api-Version header, body equal
 * to the expected body for that version) so a broken path is never benchmarked. The server's
 * CPU time per request (process.cpuUsage in the child) is reported too: it is steadier than
 * req/s when the load generator and other processes share the CPU.
 *
 *   node test/bench/http.js --cost
 *
 * measures the per-request JavaScript work in one process without HTTP (see cost() below).
 * Results and analysis: docs/performance-http.md.
 *
 * Environment:
 *   BENCH_DURATION   seconds per measurement (default 5)
 *   BENCH_ROUNDS     rounds (default 3)
 *   BENCH_CONNECTIONS  autocannon connections (default 50)
 *   BENCH_CASES      comma-separated subset of plain,current,behind1,behind10,inplace1,inplace10,checkoff10,checklog10,guided10,pinned10,usage10 (default all)
 *   BENCH_CPU_PROF   directory: run the server children with --cpu-prof into it
 *   BENCH_JSON       file: also write the results as JSON there
 *
 * Every child is killed on exit, on error, on SIGINT/SIGTERM and by a watchdog; a child also
 * exits by itself when its parent disappears (the IPC channel closes).
 */

const path = require("node:path");
const http = require("node:http");
const fs = require("node:fs");
const { fork, execFileSync } = require("node:child_process");
const os = require("node:os");
const { isDeepStrictEqual } = require("node:util");

const ROOT = path.resolve(__dirname, "../..");
const HOST = "127.0.0.1";
const ROUTE = "/v1/widgets";
const HEADER = "Api-Version";
const RESOURCE = "widget";
const COUNT = 100;

// 11 versions, newest first; every version but the oldest introduced one rename.
const VERSION_IDS = [
  "2025-10-01",
  "2025-09-01",
  "2025-08-01",
  "2025-07-01",
  "2025-06-01",
  "2025-05-01",
  "2025-04-01",
  "2025-03-01",
  "2025-02-01",
  "2025-01-01",
  "2024-12-01",
];
const CHANGES = VERSION_IDS.length - 1; // 10
/** The chained field's name as seen by a client `behind` versions behind the latest. */
const labelFor = (behind) => `label_v${CHANGES - behind}`;
if (labelFor(0) !== "label_v10") throw new Error("buildWidgets writes label_v10 literally; keep it in step with VERSION_IDS");

const CASES = [
  { name: "plain", title: "(a) plain Express", strata: false, behind: 0 },
  { name: "current", title: "(b) Strata, current version", strata: true, behind: 0 },
  { name: "behind1", title: "(c) Strata, 1 version behind", strata: true, behind: 1 },
  { name: "behind10", title: "(d) Strata, 10 versions behind", strata: true, behind: 10 },
  // The opt-in for handlers that build a fresh body per request: no copy-on-write.
  { name: "inplace1", title: "(e) 1 behind, migrateInPlace", strata: true, behind: 1, inPlace: true },
  { name: "inplace10", title: "(f) 10 behind, migrateInPlace", strata: true, behind: 10, inPlace: true },
  // Response contracts: off must cost nothing; log validates every migrated response.
  { name: "checkoff10", title: '(g) 10 behind, check "off"', strata: true, behind: 10, check: "off" },
  { name: "checklog10", title: '(h) 10 behind, check "log"', strata: true, behind: 10, check: "log" },
  // Schema-guided walk: only `data[*]` is visited, as the head document says.
  { name: "guided10", title: "(i) 10 behind, schema-guided walk", strata: true, behind: 10, guided: true },
  // No header: the account's (cached) pin; the same with usage recorded per account and version.
  { name: "pinned10", title: "(j) 10 behind by the account's pin", strata: true, behind: 10, pinned: "pinned" },
  { name: "usage10", title: "(k) pinned, usage recorded", strata: true, behind: 10, pinned: "usage" },
];
const TARGETS = { current: 0.97, behind10: 0.85 };

/**
 * The handler's data, built fresh per request (as a real handler maps rows to resources).
 * Deterministic, so the parent can rebuild the expected body.
 */
function buildWidgets(count) {
  const data = new Array(count);
  for (let i = 0; i < count; i++) {
    const n = String(i + 1).padStart(6, "0");
    const widget = {
      object: RESOURCE,
      id: `wdg_${n}`,
      label_v10: `Widget ${i + 1}`, // labelFor(0): a literal key, as in a real handler
      description: `Widget number ${i + 1}`,
      status: i % 7 === 0 ? "archived" : "active",
      created: 1735689600 + i * 3600,
      updated_at: new Date(Date.UTC(2025, 0, 1, 0, i % 60, i % 60)).toISOString(),
      amount: 1000 + i * 25,
      currency: "usd",
      livemode: false,
      quantity: i % 13,
      owner: { id: `usr_${n}`, email: `o${i + 1}@example.com`, role: "admin" },
      items: [],
    };
    for (let j = 0; j < 3; j++) {
      widget.items.push({ id: `itm_${i + 1}_${j}`, sku: `SKU-${(i * 3 + j) % 997}`, quantity: j + 1, amount: 250 * (j + 1) });
    }
    data[i] = widget;
  }
  return { object: "list", url: ROUTE, has_more: false, data };
}

/** What a client `behind` versions behind must receive. */
function expectedBody(behind) {
  const body = buildWidgets(COUNT);
  const from = labelFor(0);
  const to = labelFor(behind);
  if (from !== to) {
    for (const w of body.data) {
      w[to] = w[from];
      delete w[from];
    }
  }
  return body;
}

function defineBenchVersions(core) {
  const versions = VERSION_IDS.map((id, i) => {
    const k = CHANGES - i; // the version at index i introduced label_v(k)
    return k > 0 ? { id, changes: [core.renameField(RESOURCE, `label_v${k - 1}`, `label_v${k}`)] } : { id };
  });
  return core.defineVersions({ versions });
}

/** The head OpenAPI document of the benchmark's API: the list and every widget field typed. */
function benchDocument() {
  const str = { type: "string" };
  const int = { type: "integer" };
  const widget = {
    type: "object",
    required: ["object", "id", labelFor(0), "status", "created", "amount", "currency", "owner", "items"],
    properties: {
      object: { const: RESOURCE },
      id: { type: "string", pattern: "^wdg_" },
      [labelFor(0)]: str,
      description: str,
      status: { enum: ["active", "archived"] },
      created: int,
      updated_at: { type: "string", format: "date-time" },
      amount: int,
      currency: { type: "string", minLength: 3, maxLength: 3 },
      livemode: { type: "boolean" },
      quantity: int,
      owner: {
        type: "object",
        required: ["id", "email"],
        properties: { id: str, email: { type: "string", format: "email" }, role: { enum: ["admin", "member"] } },
      },
      items: {
        type: "array",
        items: { type: "object", required: ["id", "sku", "quantity", "amount"], properties: { id: str, sku: str, quantity: int, amount: int } },
      },
    },
  };
  const list = {
    type: "object",
    required: ["object", "url", "has_more", "data"],
    properties: { object: { const: "list" }, url: str, has_more: { type: "boolean" }, data: { type: "array", items: { $ref: "#/components/schemas/Widget" } } },
  };
  return {
    openapi: "3.1.0",
    info: { title: "Widgets", version: VERSION_IDS[0] },
    paths: { [ROUTE]: { get: { responses: { 200: { description: "The widgets", content: { "application/json": { schema: list } } } } } } },
    components: { schemas: { Widget: widget } },
  };
}

function benchContracts(versions) {
  const { defineContracts } = require(path.join(ROOT, "packages/openapi/dist"));
  return defineContracts({ versions, document: benchDocument(), header: HEADER });
}

// ---------------------------------------------------------------------------------------------
// `--cost`: the handler's and the migration's JavaScript work per request, in one process, no
// HTTP. The minimum over 40 interleaved batches is robust to a shared CPU, unlike req/s. The
// "what if" rows replace renameField by hand-written changes to show where the time goes.

function cost() {
  const core = require(path.join(ROOT, "packages/core/dist"));
  const shape = () => ({ method: "GET", path: ROUTE, query: {}, headers: {}, body: undefined });
  const serveAt =
    (set, behind, inPlace = false) =>
    () => {
      const migration = set.migrateRequest(shape(), VERSION_IDS[behind]);
      const response = { status: 200, headers: {}, body: buildWidgets(COUNT) };
      migration.migrateResponse(response, { inPlace });
      return JSON.stringify(response.body);
    };
  // What validateResponses adds: the migrated body checked against its version's document.
  const checkedAt = (set, behind) => {
    const contracts = benchContracts(set);
    return () => {
      const migration = set.migrateRequest(shape(), VERSION_IDS[behind]);
      const response = { status: 200, headers: {}, body: buildWidgets(COUNT) };
      migration.migrateResponse(response);
      const violations = contracts.validateResponse(VERSION_IDS[behind], { method: "GET", path: ROUTE, status: 200, body: response.body });
      if (!violations || violations.length > 0) throw new Error(`--cost: the benchmark's contract check failed: ${JSON.stringify(violations)}`);
      return JSON.stringify(response.body);
    };
  };
  // Schema-guided: the walk enters only where the head document says widgets are (`data[*]`).
  const guidedAt = (set, behind) => {
    const { walkGuides } = benchContracts(set);
    return () => {
      const migration = set.migrateRequest(shape(), VERSION_IDS[behind]);
      const response = { status: 200, headers: {}, body: buildWidgets(COUNT) };
      migration.migrateResponse(response, { guide: walkGuides.find("GET", ROUTE, 200) });
      return JSON.stringify(response.body);
    };
  };
  // What usage adds per request: one count in memory (the batch write is once per interval).
  const recordedAt = (set, behind) => {
    const recorder = core.usageRecorder(core.memoryPins(), { flushIntervalMs: 1000 });
    const serve = serveAt(set, behind);
    return () => {
      recorder.record(BENCH_ACCOUNT, VERSION_IDS[behind], "pin", false);
      return serve();
    };
  };
  const versionsWith = (changeFor) =>
    core.defineVersions({ versions: VERSION_IDS.map((id, i) => (i < CHANGES ? { id, changes: [changeFor(CHANGES - i)] } : { id })) });
  // Rename by building a new object with the key in place: no `delete`, so no dictionary mode.
  const rebuild = (obj, from, to) => {
    const out = {};
    for (const key in obj) out[key === from ? to : key] = obj[key];
    return out;
  };
  const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
  const real = defineBenchVersions(core);
  const noop = versionsWith((k) => core.change({ description: `noop ${k}`, resource: RESOURCE, response: () => undefined }));
  const perChange = versionsWith((k) =>
    core.change({
      description: `rebuild ${k}`,
      resource: RESOURCE,
      response: (o) => (has(o, `label_v${k}`) ? rebuild(o, `label_v${k}`, `label_v${k - 1}`) : undefined),
    }),
  );
  // What fusing the ten renames into one mapping would run: one rebuild per resource.
  const fused = versionsWith((k) =>
    k === CHANGES
      ? core.change({
          description: "fused renames",
          resource: RESOURCE,
          response: (o, ctx) => rebuild(o, labelFor(0), labelFor(VERSION_IDS.indexOf(ctx.clientVersion.id))),
        })
      : core.change({ description: `request only ${k}`, resource: RESOURCE, request: () => undefined }),
  );
  const variants = [
    ["plain: build + JSON.stringify", () => JSON.stringify(buildWidgets(COUNT))],
    ["walk only (10 no-op changes)", serveAt(noop, 10)],
    ["renameField, 1 behind", serveAt(real, 1)],
    ["renameField, 10 behind", serveAt(real, 10)],
    ["renameField, 1 behind, in place", serveAt(real, 1, true)],
    ["renameField, 10 behind, in place", serveAt(real, 10, true)],
    ["renameField, 10 behind, validated", checkedAt(real, 10)],
    ["renameField, 10 behind, usage recorded", recordedAt(real, 10)],
    ["renameField, 1 behind, guided", guidedAt(real, 1)],
    ["renameField, 10 behind, guided", guidedAt(real, 10)],
    ["walk only (10 no-op changes), guided", guidedAt(noop, 10)],
    ["what if: rebuild per change, 1 behind", serveAt(perChange, 1)],
    ["what if: rebuild per change, 10 behind", serveAt(perChange, 10)],
    ["what if: one fused rebuild, 10 behind", serveAt(fused, 10)],
  ];
  for (const [name, f] of variants) {
    const behind = /10 behind/.test(name) ? 10 : /1 behind/.test(name) ? 1 : 0;
    if (!isDeepStrictEqual(JSON.parse(f()), expectedBody(behind))) throw new Error(`--cost: ${name} produced a wrong body`);
  }
  const times = variants.map(() => []);
  for (let batch = 0; batch < 40; batch++) {
    variants.forEach(([, f], i) => {
      const n = 50;
      const t = process.hrtime.bigint();
      for (let j = 0; j < n; j++) f();
      times[i].push(Number(process.hrtime.bigint() - t) / 1e3 / n);
    });
  }
  const base = Math.min(...times[0]);
  console.log(`Per-request JavaScript work, ${COUNT} resources, min (median) of 40 batches, node ${process.version}`);
  console.log(`| variant                                  |   µs/request | extra over plain |`);
  console.log(`|------------------------------------------|-------------:|-----------------:|`);
  variants.forEach(([name], i) => {
    const min = Math.min(...times[i]);
    console.log(`| ${pad(name, 40, true)} | ${pad(`${min.toFixed(0)} (${median(times[i]).toFixed(0)})`, 12)} | ${pad(`${(min - base).toFixed(0)} µs`, 16)} |`);
  });
}

// ---------------------------------------------------------------------------------------------
// Child: one server.

function serve(mode) {
  const express = require(require.resolve("express", { paths: [ROOT] }));
  const app = express();
  if (mode !== "plain") {
    const core = require(path.join(ROOT, "packages/core/dist"));
    const { versioning } = require(path.join(ROOT, "packages/express/dist"));
    const versions = defineBenchVersions(core);
    const check = mode.startsWith("strata-check-") ? mode.slice("strata-check-".length) : undefined;
    const guides = mode === "strata-guided" ? { walkGuides: benchContracts(versions).walkGuides } : {};
    const checks = check
      ? {
          validateResponses: check,
          contracts: benchContracts(versions),
          // A violation means the benchmark measures a broken path: stop at once.
          onContractViolation: (line) => {
            console.error(line);
            process.exit(1);
          },
        }
      : {};
    const pinned = mode === "strata-pinned" || mode === "strata-usage" ? { pins: core.memoryPins(), account: (req) => req.headers["x-account"] } : {};
    if (pinned.pins) pinned.pins.set(BENCH_ACCOUNT, VERSION_IDS[CHANGES], { actor: "bench" });
    const usage = mode === "strata-usage" ? { usage: { flushIntervalMs: 1000 } } : {};
    app.use(versioning({ versions, header: HEADER, migrateInPlace: mode === "strata-inplace", ...checks, ...guides, ...pinned, ...usage }));
  }
  let served = 0;
  app.get(ROUTE, (req, res) => {
    served++;
    res.json(buildWidgets(COUNT));
  });
  const server = app.listen(0, HOST, () => {
    process.send({ type: "ready", port: server.address().port });
  });
  server.on("error", (err) => {
    console.error(err);
    process.exit(1);
  });
  const stop = () => {
    server.closeAllConnections?.();
    server.close();
    // process.exit flushes --cpu-prof profiles.
    process.exit(0);
  };
  process.on("message", (m) => {
    if (m && m.type === "stop") stop();
    // CPU time used by this server so far, and how many requests reached the handler.
    if (m && m.type === "usage") process.send({ type: "usage", cpu: process.cpuUsage(), served });
  });
  process.on("disconnect", stop);
}

// ---------------------------------------------------------------------------------------------
// Parent: load generator.

const children = new Set();

function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill("SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }
  children.clear();
}

function start(c, profDir) {
  return new Promise((resolve, reject) => {
    const execArgv = profDir ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${c.name}-${process.pid}.cpuprofile`] : [];
    const child = fork(
      __filename,
      [
        "serve",
        c.strata
          ? c.inPlace
            ? "strata-inplace"
            : c.check
              ? `strata-check-${c.check}`
              : c.guided
                ? "strata-guided"
                : c.pinned
                  ? `strata-${c.pinned}`
                  : "strata"
          : "plain",
      ],
      {
        execArgv,
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      },
    );
    children.add(child);
    pin(child.pid, 1);
    const timer = setTimeout(() => reject(new Error(`${c.name}: server did not start within 15 s`)), 15_000);
    child.once("message", (m) => {
      clearTimeout(timer);
      if (m && m.type === "ready") resolve({ child, port: m.port });
      else reject(new Error(`${c.name}: unexpected message ${JSON.stringify(m)}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      reject(new Error(`${c.name}: server exited early (code ${code}, signal ${signal})`));
    });
  });
}

/** Ask a child to exit cleanly (so --cpu-prof writes its profile), SIGKILL after 5 s. */
function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      children.delete(child);
      resolve();
    });
    try {
      child.send({ type: "stop" });
    } catch {
      child.kill("SIGKILL");
    }
  });
}

/** The server's CPU time (user + system, µs) and handled requests so far. */
function usage(child) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not report its CPU usage")), 5_000);
    const on = (m) => {
      if (!m || m.type !== "usage") return;
      clearTimeout(timer);
      child.off("message", on);
      resolve({ cpu: m.cpu.user + m.cpu.system, served: m.served });
    };
    child.on("message", on);
    child.send({ type: "usage" });
  });
}

function get(port, headers) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port, path: ROUTE, headers, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, raw: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error("verification request timed out")));
    req.on("error", reject);
  });
}

const BENCH_ACCOUNT = "acct_bench";
const headersFor = (c) => (c.pinned ? { "x-account": BENCH_ACCOUNT } : { [HEADER]: VERSION_IDS[c.behind] });

/** One request per case: status, version header and the exact body for that version. */
async function verify(c, port) {
  const check = async (headers, what) => {
    const r = await get(port, headers);
    if (r.status !== 200) throw new Error(`${c.name} (${what}): status ${r.status}: ${r.raw.toString().slice(0, 300)}`);
    const echoed = r.headers[HEADER.toLowerCase()];
    const wantVersion = c.strata ? VERSION_IDS[c.behind] : undefined;
    if (echoed !== wantVersion) throw new Error(`${c.name} (${what}): ${HEADER} response header is ${echoed}, expected ${wantVersion}`);
    const body = JSON.parse(r.raw.toString("utf8"));
    const expected = expectedBody(c.behind);
    if (!isDeepStrictEqual(body, expected)) {
      throw new Error(`${c.name} (${what}): body differs from the expected body at ${VERSION_IDS[c.behind]}; first item: ${JSON.stringify(body?.data?.[0])}`);
    }
    const label = labelFor(c.behind);
    if (!body.data.every((w) => Object.prototype.hasOwnProperty.call(w, label))) throw new Error(`${c.name}: field ${label} missing`);
    return r.raw.length;
  };
  const bytes = await check(headersFor(c), `header ${VERSION_IDS[c.behind]}`);
  // The current version is also what a request without the header gets.
  if (c.name === "current") await check({}, "no header");
  return bytes;
}

function load(port, c, seconds, connections) {
  const autocannon = require(require.resolve("autocannon", { paths: [ROOT] }));
  return new Promise((resolve, reject) => {
    autocannon({ url: `http://${HOST}:${port}${ROUTE}`, connections, duration: seconds, headers: headersFor(c) }, (err, result) => {
      if (err) return reject(err);
      const failed = result.errors + result.timeouts + result.non2xx;
      if (failed > 0) return reject(new Error(`${c.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses`));
      resolve({ rps: result.requests.average, p99: result.latency.p99, total: result.requests.total });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const pad = (s, n, right = false) => (right ? String(s).padEnd(n) : String(s).padStart(n));

/**
 * With two or more cores, the server gets core 1 and the load generator core 0, so they stop
 * competing for the same core: the largest source of run-to-run noise on a 2-core machine.
 * BENCH_PIN=0 turns it off; without `taskset` it is skipped.
 */
const PIN = process.env.BENCH_PIN !== "0" && os.cpus().length >= 2 && hasTaskset();
function hasTaskset() {
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
function pin(pid, core) {
  if (PIN) execFileSync("taskset", ["-a", "-cp", String(core), String(pid)], { stdio: "ignore" });
}

async function main() {
  pin(process.pid, 0);
  console.log(PIN ? "Load generator pinned to core 0, servers to core 1." : "Processes not pinned to cores.");
  const t0 = Date.now();
  const duration = Number(process.env.BENCH_DURATION ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  if (!(duration > 0) || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(connections) || connections < 1) {
    throw new Error("BENCH_DURATION must be > 0, BENCH_ROUNDS and BENCH_CONNECTIONS whole numbers >= 1");
  }
  const wanted = process.env.BENCH_CASES ? process.env.BENCH_CASES.split(",").map((s) => s.trim()) : CASES.map((c) => c.name);
  for (const w of wanted) if (!CASES.some((c) => c.name === w)) throw new Error(`BENCH_CASES: unknown case ${w}`);
  const cases = CASES.filter((c) => wanted.includes(c.name));
  const profDir = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;
  if (profDir) fs.mkdirSync(profDir, { recursive: true });

  // Watchdog: the expected time plus a margin; on expiry everything is killed.
  const expected = cases.length * (1 + rounds * duration) + 30;
  const watchdog = setTimeout(
    () => {
      console.error(`http bench: watchdog expired after ${expected + 60} s, killing the servers`);
      killAll();
      process.exit(2);
    },
    (expected + 60) * 1000,
  );
  watchdog.unref();

  for (const rel of ["packages/core/dist/index.js", "packages/express/dist/index.js", "packages/openapi/dist/index.js"]) {
    if (!fs.existsSync(path.join(ROOT, rel))) throw new Error(`${rel} is missing: run \`npx tsc -b\` first`);
  }

  console.log(`HTTP benchmark: GET ${ROUTE}, ${COUNT} resources, ${VERSION_IDS.length} versions (${CHANGES} renameField changes, chained)`);
  console.log(
    `node ${process.version}, express ${require(require.resolve("express/package.json", { paths: [ROOT] })).version}, autocannon ${require(require.resolve("autocannon/package.json", { paths: [ROOT] })).version}, ${require("node:os").cpus().length} CPUs, load average ${require("node:os")
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  console.log(`${connections} connections, ${duration} s per run, ${rounds} rounds, 1 s warm up per server${profDir ? `, CPU profiles in ${profDir}` : ""}`);

  const servers = new Map();
  for (const c of cases) servers.set(c.name, await start(c, profDir));

  const sizes = new Map();
  for (const c of cases) sizes.set(c.name, await verify(c, servers.get(c.name).port));
  console.log(`Response JSON size: ${cases.map((c) => `${c.name} ${sizes.get(c.name)} B`).join(", ")} (${(sizes.get(cases[0].name) / 1024).toFixed(1)} KiB)`);

  for (const c of cases) await load(servers.get(c.name).port, c, 1, connections);

  const runs = new Map(cases.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const { child, port } = servers.get(c.name);
      const before = await usage(child);
      const result = await load(port, c, duration, connections);
      const after = await usage(child);
      result.cpuPerReq = (after.cpu - before.cpu) / (after.served - before.served);
      runs.get(c.name).push(result);
      console.log(
        `  round ${r + 1} ${pad(c.name, 9, true)} ${pad(Math.round(result.rps), 7)} req/s  p99 ${pad(result.p99, 4)} ms  server CPU ${pad(Math.round(result.cpuPerReq), 5)} µs/req`,
      );
    }
  }

  // Verify again after the load: the path stayed correct under load and JIT.
  for (const c of cases) await verify(c, servers.get(c.name).port);

  await Promise.all([...servers.values()].map((s) => stopChild(s.child)));
  killAll();

  const hasPlain = runs.has("plain");
  const rows = cases.map((c) => {
    const rs = runs.get(c.name);
    const rps = median(rs.map((x) => x.rps));
    const p99 = median(rs.map((x) => x.p99));
    const cpu = median(rs.map((x) => x.cpuPerReq));
    let ratio;
    let ratioOfMedians;
    let perRound = [];
    let cpuRatio;
    if (hasPlain) {
      const plain = runs.get("plain");
      perRound = rs.map((x, i) => x.rps / plain[i].rps);
      ratio = median(perRound);
      ratioOfMedians = rps / median(plain.map((x) => x.rps));
      cpuRatio = median(plain.map((x) => x.cpuPerReq)) / cpu;
    }
    const target = TARGETS[c.name];
    return {
      case: c.name,
      title: c.title,
      rps,
      p99,
      cpu,
      cpuRatio,
      ratio,
      ratioOfMedians,
      perRound,
      target,
      pass: target === undefined || ratio === undefined ? undefined : ratio >= target,
      bytes: sizes.get(c.name),
    };
  });

  const pct = (x) => (x === undefined ? "-" : `${(x * 100).toFixed(1)}%`);
  console.log("");
  console.log(`| case                           |   req/s | p99 ms | vs plain | per round              | target          | server CPU µs/req | CPU vs plain |`);
  console.log(`|--------------------------------|--------:|-------:|---------:|------------------------|-----------------|------------------:|-------------:|`);
  for (const row of rows) {
    const target = row.target === undefined ? "" : `>= ${pct(row.target)} ${row.pass ? "ok" : "MISSED"}`;
    console.log(
      `| ${pad(row.title, 30, true)} | ${pad(Math.round(row.rps), 7)} | ${pad(row.p99, 6)} | ${pad(pct(row.ratio), 8)} | ${pad(row.perRound.map(pct).join(" "), 22, true)} | ${pad(target, 15, true)} | ${pad(Math.round(row.cpu), 17)} | ${pad(pct(row.cpuRatio), 12)} |`,
    );
  }
  const seconds = (Date.now() - t0) / 1000;
  console.log("");
  console.log(
    "vs plain: median over rounds of (case req/s / plain req/s in the same round). CPU vs plain: plain's median server CPU per request / the case's.",
  );
  console.log(`Total run time: ${seconds.toFixed(1)} s`);
  if (process.env.BENCH_JSON) {
    fs.writeFileSync(
      process.env.BENCH_JSON,
      JSON.stringify({ duration, rounds, connections, seconds, sizes: Object.fromEntries(sizes), rows, runs: Object.fromEntries(runs) }, null, 2),
    );
  }
  clearTimeout(watchdog);
}

if (require.main !== module) {
  // Required (e.g. for a microbenchmark or a profile): expose the workload, run nothing.
  module.exports = { buildWidgets, expectedBody, defineBenchVersions, VERSION_IDS, labelFor, COUNT };
} else if (process.argv[2] === "serve") {
  serve(process.argv[3] ?? "plain");
} else if (process.argv[2] === "--cost") {
  cost();
} else {
  const bail = (err) => {
    console.error(err && err.stack ? err.stack : err);
    killAll();
    process.exit(1);
  };
  process.on("exit", killAll);
  process.on("SIGINT", () => bail(new Error("interrupted")));
  process.on("SIGTERM", () => bail(new Error("terminated")));
  process.on("uncaughtException", bail);
  process.on("unhandledRejection", bail);
  main().then(() => process.exit(0), bail);
}
