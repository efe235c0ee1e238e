#!/usr/bin/env node
/**
 * `prepack` of every publishable package (npm runs it in the package's directory before
 * `npm pack` and `npm publish`, and so does `lerna publish`): build the package and what it
 * references with `tsc -b`, after deleting outputs whose source is gone.
 *
 * Why the deletion: `tsc -b` never removes what it emitted for a file that was since moved
 * or deleted, and `files: ["dist"]` would ship those leftovers, with declaration maps that
 * point at sources that no longer exist. Only outputs without a source are deleted, so a
 * test run reading the current outputs at the same moment is not disturbed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";

const pkgDir = process.cwd();
const src = join(pkgDir, "src");
const dist = join(pkgDir, "dist");
if (!existsSync(join(pkgDir, "tsconfig.json")) || !existsSync(src)) {
  console.error(`prepack: ${pkgDir} has no tsconfig.json and src/: run it from a package directory (npm does).`);
  process.exit(1);
}

/** The source an output file was emitted from: dist/a/b.js, .d.ts, .js.map, .d.ts.map -> src/a/b.ts */
const sourceOf = (file) => join(src, relative(dist, file).replace(/(\.d)?\.ts\.map$|\.js\.map$|\.d\.ts$|\.js$/, "") + ".ts");

function prune(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      prune(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (!existsSync(sourceOf(path))) {
      rmSync(path);
    }
  }
}
if (existsSync(dist)) prune(dist);

const tsc = createRequire(join(pkgDir, "package.json")).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-b", pkgDir], { stdio: "inherit" });

if (!existsSync(join(dist, "index.js")) || !existsSync(join(dist, "index.d.ts"))) {
  console.error(`prepack: tsc -b produced no dist/index.js and dist/index.d.ts in ${pkgDir}.`);
  process.exit(1);
}
