#!/usr/bin/env node
/**
 * What a user of the registry gets, checked before it is published: pack every publishable
 * package, lint the tarballs (publint, @arethetypeswrong/cli), check what they hold, install
 * them into clean temporary apps outside the repository and run those apps.
 *
 *   node scripts/pack-install.mjs [--report <file.json>] [--keep]
 *
 * Apps (under os.tmpdir(), removed at the end unless --keep):
 * - express5: every package, Express 5, @types/express 5; CommonJS, ES module and
 *   TypeScript (strict, skipLibCheck false, nodenext and bundler resolution) consumers each
 *   serve real HTTP requests through versioning(); the SQLite store pins an account; the
 *   CLI reads the changelog and moves a pin.
 * - express4: core, express and the CLI only, Express 4, @types/express 4, TypeScript 5:
 *   the same consumers, and the CLI's install hint for a store that is not installed.
 *
 * The tarballs install from file: paths; everything else comes from the npm registry
 * (--prefer-offline: the cache `npm ci` filled is used where it can be). Install scripts
 * are skipped, and better-sqlite3 (a native module of a dependency, not ours) is pinned to
 * the version the repository built and given the repository's compiled binary, which saves
 * a ~75 s compile from source; set STRATA_PACK_BUILD_NATIVE=1 to compile it instead.
 *
 * Exit code 0 when every check passed. --report writes every check as JSON (the jest suite
 * test/packaging/tarballs.test.ts reads it).
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const reportFile = args.includes("--report") ? resolve(args[args.indexOf("--report") + 1]) : undefined;
const keep = args.includes("--keep");
const requireFromRoot = createRequire(join(root, "package.json"));

const started = Date.now();
const work = mkdtempSync(join(tmpdir(), "strata-pack-"));
const tarballDir = join(work, "tarballs");
mkdirSync(tarballDir);

/** @type {{group: string, name: string, ok: boolean, detail: string, ms: number}[]} */
const checks = [];
const timings = {};

async function check(group, name, fn) {
  const t = Date.now();
  let ok = true;
  let detail;
  try {
    detail = (await fn()) ?? "";
  } catch (err) {
    ok = false;
    detail = err instanceof Error ? err.message : String(err);
  }
  const ms = Date.now() - t;
  checks.push({ group, name, ok, detail, ms });
  const indented = detail ? `\n      ${detail.trim().split("\n").slice(0, 40).join("\n      ")}` : "";
  console.log(`${ok ? "  ok  " : "  FAIL"} ${group}: ${name} (${(ms / 1000).toFixed(1)} s)${ok ? "" : indented}`);
  return ok;
}

/** Runs a command; resolves with its output whatever its exit code (killed after timeoutMs). */
function run(command, argv, { cwd = root, timeoutMs = 120_000, env = {} } = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, argv, {
      cwd,
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", npm_config_update_notifier: "false", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${timeoutMs} ms]`;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

async function mustRun(command, argv, options) {
  const r = await run(command, argv, options);
  if (r.code !== 0) throw new Error(`${[command, ...argv].join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`.trim());
  return r;
}

const node = (argv, options) => mustRun(process.execPath, argv, options);
const binOf = (pkg, name) => {
  const pkgJson = requireFromRoot.resolve(`${pkg}/package.json`);
  const bin = JSON.parse(readFileSync(pkgJson, "utf8")).bin;
  return join(dirname(pkgJson), typeof bin === "string" ? bin : bin[name]);
};
const tsc = requireFromRoot.resolve("typescript/bin/tsc");

const packageDirs = readdirSync(join(root, "packages")).filter((d) => {
  const file = join(root, "packages", d, "package.json");
  return existsSync(file) && !JSON.parse(readFileSync(file, "utf8")).private;
});
const manifests = Object.fromEntries(packageDirs.map((d) => [d, JSON.parse(readFileSync(join(root, "packages", d, "package.json"), "utf8"))]));
const tarballOf = (dir) => join(tarballDir, `${manifests[dir].name.replace(/^@/, "").replace("/", "-")}-${manifests[dir].version}.tgz`);

// ---------------------------------------------------------------------------------------
// 1. Pack (prepack builds each package) and look inside.

console.log(`pack-install: ${packageDirs.length} packages, work dir ${work}`);
let t = Date.now();
const packed = await check("pack", `npm pack ${packageDirs.length} packages (prepack builds)`, async () => {
  await mustRun("npm", ["pack", "--pack-destination", tarballDir, "--loglevel=warn", ...packageDirs.flatMap((d) => ["-w", `packages/${d}`])], {
    timeoutMs: 300_000,
  });
  const missing = packageDirs.filter((d) => !existsSync(tarballOf(d)));
  if (missing.length > 0) throw new Error(`no tarball for ${missing.join(", ")} in ${tarballDir}`);
});
timings.packMs = Date.now() - t;

const REQUIRED_FIELDS = [
  "name",
  "version",
  "description",
  "license",
  "repository",
  "homepage",
  "bugs",
  "engines",
  "type",
  "sideEffects",
  "exports",
  "main",
  "types",
  "files",
  "publishConfig",
];

/** Every `[text](target)` of a Markdown file whose target is neither absolute nor an anchor. */
function relativeLinks(markdown) {
  const targets = [...markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g), ...markdown.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]);
  return targets.filter((href) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(href));
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

if (packed) {
  for (const dir of packageDirs) {
    const name = manifests[dir].name;
    const unpacked = join(work, "unpacked", dir);
    mkdirSync(unpacked, { recursive: true });
    await mustRun("tar", ["-xzf", tarballOf(dir), "-C", unpacked]);
    const pkgRoot = join(unpacked, "package");
    const files = filesUnder(pkgRoot).map((f) => relative(pkgRoot, f).split(sep).join("/"));
    const pkg = JSON.parse(readFileSync(join(pkgRoot, "package.json"), "utf8"));

    await check("contents", `${name}: package.json states what the registry shows`, () => {
      const missing = REQUIRED_FIELDS.filter((f) => pkg[f] === undefined);
      const wrong = [];
      if (!pkg.repository?.directory) wrong.push("repository.directory");
      if (pkg.type !== "commonjs") wrong.push('type must be "commonjs"');
      if (pkg.publishConfig?.access !== "public") wrong.push("publishConfig.access must be public");
      if (!pkg.engines?.node) wrong.push("engines.node");
      if (!pkg.scripts?.prepack) wrong.push("scripts.prepack (build before pack)");
      const localDeps = Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith("@strata/"));
      if (localDeps.length > 0) wrong.push(`@strata/* must be peer dependencies, not dependencies: ${localDeps.join(", ")}`);
      if (name !== "@strata/core" && !pkg.peerDependencies?.["@strata/core"]) wrong.push("@strata/core must be a peer dependency");
      if (missing.length + wrong.length > 0) throw new Error([...missing.map((f) => `missing ${f}`), ...wrong].join("\n"));
    });

    await check("contents", `${name}: LICENSE, README, dist with declarations, no tests`, () => {
      const problems = [];
      for (const f of ["LICENSE", "README.md", "dist/index.js", "dist/index.d.ts"]) if (!files.includes(f)) problems.push(`missing ${f}`);
      const tests = files.filter((f) => /\.test\.|(^|\/)test\//.test(f));
      if (tests.length > 0) problems.push(`ships tests: ${tests.join(", ")}`);
      const jsWithoutTypes = files.filter((f) => f.startsWith("dist/") && f.endsWith(".js") && !files.includes(f.replace(/\.js$/, ".d.ts")));
      if (jsWithoutTypes.length > 0) problems.push(`no declarations for ${jsWithoutTypes.join(", ")}`);
      if (problems.length > 0) throw new Error(problems.join("\n"));
      return `${files.length} files`;
    });

    await check("contents", `${name}: every source map and declaration map resolves inside the tarball`, () => {
      const problems = [];
      const maps = files.filter((f) => f.endsWith(".map"));
      for (const f of files.filter((f) => /\.(js|d\.ts)$/.test(f) && f.startsWith("dist/"))) {
        const ref = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(pkgRoot, f), "utf8"))?.[1];
        if (!ref) problems.push(`${f} names no source map`);
        else if (!ref.startsWith("data:") && !files.includes(join(dirname(f), ref).split(sep).join("/"))) problems.push(`${f} -> ${ref}: not in the tarball`);
      }
      for (const f of maps) {
        const map = JSON.parse(readFileSync(join(pkgRoot, f), "utf8"));
        map.sources.forEach((source, i) => {
          if (map.sourcesContent?.[i] != null) return;
          const target = resolve(pkgRoot, dirname(f), map.sourceRoot ?? "", source);
          if (!target.startsWith(pkgRoot + sep) || !existsSync(target)) problems.push(`${f}: source ${source} is not in the tarball`);
        });
      }
      if (problems.length > 0) throw new Error(problems.slice(0, 20).join("\n") + (problems.length > 20 ? `\n... ${problems.length - 20} more` : ""));
      return `${maps.length} maps`;
    });

    await check("contents", `${name}: README links work on the registry's page`, () => {
      const readme = readFileSync(join(pkgRoot, "README.md"), "utf8");
      const broken = relativeLinks(readme).filter((href) => {
        const target = resolve(pkgRoot, href.replace(/#.*$/, ""));
        return !target.startsWith(pkgRoot + sep) || !existsSync(target);
      });
      if (broken.length > 0) throw new Error(`relative links that leave the package (use absolute URLs): ${broken.join(", ")}`);
    });
  }

  // publint and attw: each tarball as the registry would serve it.
  const { publint } = await import(requireFromRoot.resolve("publint"));
  const { formatMessage } = await import(requireFromRoot.resolve("publint/utils"));
  for (const dir of packageDirs) {
    const name = manifests[dir].name;
    await check("publint", name, async () => {
      const tarball = readFileSync(tarballOf(dir));
      const { messages, pkg } = await publint({
        pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
        level: "suggestion",
        strict: true,
      });
      if (messages.length > 0) throw new Error(messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`).join("\n"));
    });
    await check("attw", name, async () => {
      const r = await run(
        process.execPath,
        [binOf("@arethetypeswrong/cli", "attw"), tarballOf(dir), "--no-definitely-typed", "--format", "ascii", "--no-color", "--no-emoji"],
        { timeoutMs: 120_000 },
      );
      if (r.code !== 0) throw new Error(`${r.stdout}\n${r.stderr}`.trim());
    });
  }
}

// ---------------------------------------------------------------------------------------
// 2. Install into clean apps and run them.

const sqliteVersion = JSON.parse(readFileSync(requireFromRoot.resolve("better-sqlite3/package.json"), "utf8")).version;
const sqliteBinary = join(dirname(requireFromRoot.resolve("better-sqlite3/package.json")), "build", "Release", "better_sqlite3.node");

const APPS = [
  // express5 type-checks with the repository's TypeScript (6.0), express4 with TypeScript 5.
  { name: "express5", express: "^5.1.0", typesExpress: "^5.0.0", packages: packageDirs, stores: true },
  { name: "express4", express: "^4.21.2", typesExpress: "^4.17.21", packages: ["core", "express", "cli"], stores: false, typescript: "~5.9.3" },
];

/** The app every consumer builds: one change, two versions, pins; it asserts what it gets. */
const consumerBody = (pinsExpr) => `
const versions = defineVersions({
  versions: [
    { id: "2025-01-01", changes: [renameField("key", "ownerId", "externalId")] },
    { id: "2024-01-01" },
  ],
});
const pins = ${pinsExpr};
const app = express();
app.use(versioning({ versions, account: (req) => req.get("x-account"), pins }));
app.get("/keys/:id", (req, res) => {
  res.json({ object: "key", id: req.params.id, externalId: "user_1", handledAt: req.apiVersion.id });
});
app.use(strataErrorHandler());

const server = app.listen(0, "127.0.0.1", async () => {
  const base = "http://127.0.0.1:" + server.address().port;
  const get = async (headers) => {
    const res = await fetch(base + "/keys/key_1", { headers });
    return { status: res.status, version: res.headers.get("api-version"), type: res.headers.get("content-type"), body: await res.json() };
  };
  const failures = [];
  // Key order is not part of the contract: compare with sorted keys.
  const canonical = (v) => JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
  const expect = (what, actual, expected) => {
    if (canonical(actual) !== canonical(expected)) failures.push(what + ": got " + JSON.stringify(actual) + ", expected " + JSON.stringify(expected));
  };
  try {
    const old = await get({ "Api-Version": "2024-01-01" });
    expect("v2024 status", old.status, 200);
    expect("v2024 version header", old.version, "2024-01-01");
    expect("v2024 body", old.body, { object: "key", id: "key_1", ownerId: "user_1", handledAt: "2024-01-01" });
    const current = await get({});
    expect("current version header", current.version, "2025-01-01");
    expect("current body", current.body, { object: "key", id: "key_1", externalId: "user_1", handledAt: "2025-01-01" });
    const bad = await get({ "Api-Version": "1999-01-01" });
    expect("unknown version status", bad.status, 400);
    expect("unknown version type", bad.type && bad.type.split(";")[0], "application/problem+json");
    await pins.set("acct_old", "2024-01-01", { actor: "test" });
    const pinned = await get({ "x-account": "acct_old" });
    expect("pinned account version", pinned.version, "2024-01-01");
    expect("pinned account body", pinned.body.ownerId, "user_1");
  } catch (err) {
    failures.push(String(err && err.stack || err));
  } finally {
    server.close();
    if (pins.close) await pins.close();
  }
  if (failures.length > 0) { console.error(failures.join("\\n")); process.exitCode = 1; }
  else console.log("served 4 requests");
});
`;

function writeConsumers(appDir, app) {
  const sqlite = app.stores;
  const pinsExpr = sqlite ? `sqlitePins(":memory:")` : "memoryPins()";
  writeFileSync(
    join(appDir, "cjs.cjs"),
    `"use strict";
const express = require("express");
const { defineVersions, renameField, memoryPins, isStrataError, StrataError } = require("@strata/core");
const { versioning, strataErrorHandler } = require("@strata/express");
${sqlite ? 'const { sqlitePins } = require("@strata/store-sqlite");\nrequire("@strata/store-postgres");\nrequire("@strata/store-redis");' : ""}
// Exactly one @strata/core: every package resolves the app's own copy.
const { dirname } = require("node:path");
const { realpathSync } = require("node:fs");
const core = realpathSync(require.resolve("@strata/core"));
for (const p of ${JSON.stringify(app.packages.filter((p) => p !== "core").map((p) => `@strata/${p}`))}) {
  const theirs = realpathSync(require.resolve("@strata/core", { paths: [dirname(require.resolve(p + "/package.json"))] }));
  if (theirs !== core) { console.error(p + " resolves another @strata/core: " + theirs); process.exit(1); }
}
if (!isStrataError(new StrataError("x", "m")) || !(new StrataError("x", "m") instanceof StrataError)) process.exit(1);
${consumerBody(pinsExpr)}`,
  );
  writeFileSync(
    join(appDir, "esm.mjs"),
    `import express from "express";
import { defineVersions, renameField, memoryPins } from "@strata/core";
import { versioning, strataErrorHandler } from "@strata/express";
${sqlite ? 'import { sqlitePins } from "@strata/store-sqlite";\nimport { postgresPins } from "@strata/store-postgres";\nimport { redisPins } from "@strata/store-redis";\nif (typeof postgresPins !== "function" || typeof redisPins !== "function") process.exit(1);' : ""}
${consumerBody(pinsExpr)}`,
  );
  // TypeScript consumers: what a strict app writes, checked against the shipped declarations.
  const tsBody = `
const versions = defineVersions({
  versions: [
    { id: "2025-01-01", changes: [renameField("key", "ownerId", "externalId"), scopesRequired] },
    { id: "2024-01-01" },
  ],
});
const pins: PinStore = ${pinsExpr};
const app = express();
app.use(versioning({ versions, header: "Api-Version", account: (req: Request) => req.get("x-account"), pins }));
app.get("/keys/:id", (req: Request, res: Response) => {
  const version: ApiVersion = req.apiVersion;
  const strict: boolean = version.has(scopesRequired);
  res.json({ object: "key", id: req.params.id, externalId: "user_1", handledAt: version.id, strict });
});
app.use("/admin/api-version", versioningAdmin({ versions, pins, account: (req: Request) => req.get("x-account"), authorize: () => true }));
app.use(strataErrorHandler());
export const problem = (err: unknown): string | undefined => (isStrataError(err) ? err.code : undefined);
`;
  const tsImports = `import express, { type Request, type Response } from "express";
import { change, defineVersions, isStrataError, memoryPins, renameField, type ApiVersion, type PinStore } from "@strata/core";
import { strataErrorHandler, versioning, versioningAdmin } from "@strata/express";
${sqlite ? 'import { sqlitePins } from "@strata/store-sqlite";\nimport { postgresPins } from "@strata/store-postgres";\nimport { redisPins } from "@strata/store-redis";\nexport const stores = [postgresPins, redisPins];' : ""}
import { run } from "@strata/cli";
export const cli: (argv: string[]) => Promise<number> = run;
const scopesRequired = change({ description: "Creating an API key requires scopes.", sideEffect: true });
`;
  mkdirSync(join(appDir, "ts"), { recursive: true });
  writeFileSync(join(appDir, "ts", "esm.mts"), tsImports + tsBody + "export default app;\n");
  writeFileSync(join(appDir, "ts", "cjs.cts"), tsImports + tsBody + "export { app };\n");
  const compilerOptions = {
    strict: true,
    skipLibCheck: false,
    target: "ES2022",
    lib: ["ES2022"],
    types: ["node"],
    noEmit: true,
    esModuleInterop: true,
    forceConsistentCasingInFileNames: true,
  };
  writeFileSync(
    join(appDir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { ...compilerOptions, module: "nodenext", moduleResolution: "nodenext" }, include: ["ts"] }, null, 2),
  );
  writeFileSync(
    join(appDir, "tsconfig.bundler.json"),
    JSON.stringify({ compilerOptions: { ...compilerOptions, module: "preserve", moduleResolution: "bundler" }, include: ["ts/esm.mts"] }, null, 2),
  );
  // The classic CommonJS setup of older apps (TypeScript 6 refuses node10 resolution).
  writeFileSync(
    join(appDir, "tsconfig.node10.json"),
    JSON.stringify({ compilerOptions: { ...compilerOptions, module: "commonjs", moduleResolution: "node10" }, include: ["ts/cjs.cts"] }, null, 2),
  );
  writeFileSync(
    join(appDir, "versions.cjs"),
    `const { defineVersions, renameField } = require("@strata/core");
module.exports = defineVersions({ versions: [{ id: "2025-01-01", changes: [renameField("key", "ownerId", "externalId")] }, { id: "2024-01-01" }] });
`,
  );
}

async function installAndRun(app) {
  const appDir = join(work, app.name);
  mkdirSync(appDir);
  const dependencies = Object.fromEntries(app.packages.map((d) => [manifests[d].name, `file:${tarballOf(d)}`]));
  dependencies.express = app.express;
  if (app.stores) dependencies["better-sqlite3"] = sqliteVersion;
  writeFileSync(
    join(appDir, "package.json"),
    JSON.stringify(
      {
        name: `strata-consumer-${app.name}`,
        version: "0.0.0",
        private: true,
        dependencies,
        devDependencies: { "@types/express": app.typesExpress, "@types/node": "^20.19.0", ...(app.typescript ? { typescript: app.typescript } : {}) },
      },
      null,
      2,
    ),
  );
  writeConsumers(appDir, app);
  const group = `app ${app.name}`;
  const t0 = Date.now();
  const installed = await check(group, `npm install the tarballs with express@${app.express}`, async () => {
    await mustRun("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", "--loglevel=error"], {
      cwd: appDir,
      timeoutMs: 300_000,
    });
    const express = JSON.parse(readFileSync(join(appDir, "node_modules", "express", "package.json"), "utf8")).version;
    return `express ${express}`;
  });
  timings[`install_${app.name}_ms`] = Date.now() - t0;
  if (!installed) return;

  if (app.stores) {
    await check(group, "better-sqlite3 native binary", async () => {
      const target = join(appDir, "node_modules", "better-sqlite3", "build", "Release");
      if (!process.env.STRATA_PACK_BUILD_NATIVE && existsSync(sqliteBinary)) {
        mkdirSync(target, { recursive: true });
        copyFileSync(sqliteBinary, join(target, "better_sqlite3.node"));
        return `better-sqlite3 ${sqliteVersion}: the repository's binary`;
      }
      await mustRun("npm", ["rebuild", "better-sqlite3", "--foreground-scripts=false"], { cwd: appDir, timeoutMs: 600_000 });
      return `better-sqlite3 ${sqliteVersion}: compiled`;
    });
  }

  await check(group, "exactly one @strata/core in the tree", async () => {
    const r = await run("npm", ["ls", "@strata/core", "--all", "--parseable"], { cwd: appDir });
    const paths = [
      ...new Set(
        r.stdout
          .split("\n")
          .filter((l) => l.includes("@strata/core"))
          .map((p) => realpathSync(p)),
      ),
    ];
    if (paths.length !== 1) throw new Error(`found ${paths.length}: ${paths.join(", ")}\n${r.stderr}`);
  });
  await check(group, "CommonJS consumer serves requests", async () => (await node(["cjs.cjs"], { cwd: appDir, timeoutMs: 60_000 })).stdout.trim());
  await check(group, "ES module consumer serves requests", async () => (await node(["esm.mjs"], { cwd: appDir, timeoutMs: 60_000 })).stdout.trim());
  const appTsc = app.typescript ? join(appDir, "node_modules", "typescript", "bin", "tsc") : tsc;
  const tsVersion = JSON.parse(readFileSync(join(dirname(dirname(appTsc)), "package.json"), "utf8")).version;
  await check(group, `TypeScript ${tsVersion} strict, skipLibCheck false, module nodenext (.mts and .cts)`, async () => {
    await node([appTsc, "-p", "tsconfig.json"], { cwd: appDir, timeoutMs: 120_000 });
  });
  await check(group, `TypeScript ${tsVersion} strict, skipLibCheck false, moduleResolution bundler`, async () => {
    await node([appTsc, "-p", "tsconfig.bundler.json"], { cwd: appDir, timeoutMs: 120_000 });
  });
  if (app.typescript) {
    await check(group, `TypeScript ${tsVersion} strict, skipLibCheck false, module commonjs, moduleResolution node10`, async () => {
      await node([appTsc, "-p", "tsconfig.node10.json"], { cwd: appDir, timeoutMs: 120_000 });
    });
  }
  const strata = join(appDir, "node_modules", ".bin", "strata");
  await check(group, "strata changelog reads the app's versions", async () => {
    const r = await mustRun(strata, ["changelog", "--versions", "./versions.cjs"], { cwd: appDir });
    if (!r.stdout.includes("2025-01-01") || !r.stdout.includes("ownerId")) throw new Error(`unexpected changelog:\n${r.stdout}`);
  });
  if (app.stores) {
    await check(group, "strata pins set / get through the SQLite store", async () => {
      await mustRun(strata, ["pins", "set", "acct_1", "2024-01-01", "--actor", "ci", "--versions", "./versions.cjs", "--store", "sqlite:./pins.db"], {
        cwd: appDir,
      });
      const r = await mustRun(strata, ["pins", "get", "acct_1", "--store", "sqlite:./pins.db", "--json"], { cwd: appDir });
      if (!r.stdout.includes("2024-01-01")) throw new Error(`unexpected pin:\n${r.stdout}`);
    });
  } else {
    await check(group, "strata names the package to install for a missing store", async () => {
      const r = await run(strata, ["pins", "get", "acct_1", "--store", "redis://127.0.0.1:1"], { cwd: appDir });
      if (r.code === 0 || !r.stderr.includes("npm install @strata/store-redis")) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      return r.stderr.trim();
    });
  }
}

if (packed) {
  t = Date.now();
  // Both apps at once: installs wait on the network, not the CPU.
  await Promise.all(APPS.map(installAndRun));
  timings.appsMs = Date.now() - t;
}

// ---------------------------------------------------------------------------------------

timings.totalMs = Date.now() - started;
const failed = checks.filter((c) => !c.ok);
console.log(
  `pack-install: ${checks.length - failed.length} passed, ${failed.length} failed in ${(timings.totalMs / 1000).toFixed(1)} s ` +
    `(pack ${((timings.packMs ?? 0) / 1000).toFixed(1)} s, apps ${((timings.appsMs ?? 0) / 1000).toFixed(1)} s)`,
);
if (reportFile) writeFileSync(reportFile, JSON.stringify({ checks, timings, work: keep ? work : undefined }, null, 2));
if (keep) console.log(`pack-install: kept ${work}`);
else rmSync(work, { recursive: true, force: true });
process.exitCode = failed.length > 0 || !packed ? 1 : 0;
