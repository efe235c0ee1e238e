#!/usr/bin/env node
/**
 * Keeps the publishable packages' package.json fields that must agree across the family in
 * one place: the root package.json. Run it after adding a package or changing the
 * repository URL; `lerna version` runs it (the root "version" script) so that the peer
 * ranges follow the new version.
 *
 *   node scripts/package-metadata.mjs          rewrite packages/* /package.json and LICENSE
 *   node scripts/package-metadata.mjs --check  exit 1 and list what is out of date
 *
 * What it sets on every non-private package under packages/:
 * - license, repository (with `directory`), homepage, bugs, engines from the root;
 * - `"type": "commonjs"` (stated, so Node and tools never guess), publishConfig.access public;
 * - `files`: dist without tests, src without tests (the source maps and declaration maps
 *   point into src, so "go to definition" lands on TypeScript), README and LICENSE;
 * - `prepack`: build before `npm pack` / `npm publish` (scripts/prepack.mjs);
 * - every `@strata/*` peer range as `^<that package's version>` and every `@strata/*`
 *   devDependency as the exact version. A `@strata/*` regular dependency is an error:
 *   an app must get exactly one @strata/core, its own.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");

const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const rootPkg = readJson(join(root, "package.json"));
const repoUrl = rootPkg.repository?.url;
if (!repoUrl) throw new Error("package.json has no repository.url: it is where every package's repository, homepage and bugs point.");
/** https://github.com/owner/name, from git+https://github.com/owner/name.git */
const web = repoUrl.replace(/^git\+/, "").replace(/\.git$/, "");

const FILES = ["dist", "!dist/**/*.test.*", "!dist/**/test", "src", "!src/**/*.test.ts", "!src/**/test", "README.md", "LICENSE"];

/** The order keys are written in; keys not listed keep their place after these. */
const ORDER = [
  "name",
  "version",
  "description",
  "keywords",
  "license",
  "author",
  "homepage",
  "repository",
  "bugs",
  "engines",
  "type",
  "sideEffects",
  "main",
  "types",
  "exports",
  "bin",
  "files",
  "scripts",
  "dependencies",
  "peerDependencies",
  "peerDependenciesMeta",
  "devDependencies",
  "publishConfig",
];

const packageDirs = readdirSync(join(root, "packages"))
  .filter((d) => existsSync(join(root, "packages", d, "package.json")))
  .sort();
const packages = packageDirs.map((dir) => ({
  dir,
  file: join(root, "packages", dir, "package.json"),
  json: readJson(join(root, "packages", dir, "package.json")),
}));
const localVersions = new Map(packages.map((p) => [p.json.name, p.json.version]));

const problems = [];

for (const pkg of packages) {
  if (pkg.json.private) continue;
  const want = structuredClone(pkg.json);
  want.license = rootPkg.license;
  want.homepage = `${web}/tree/main/packages/${pkg.dir}#readme`;
  want.repository = { type: "git", url: repoUrl, directory: `packages/${pkg.dir}` };
  want.bugs = { url: `${web}/issues` };
  want.engines = { ...rootPkg.engines };
  want.type = "commonjs";
  want.files = FILES;
  want.scripts = { ...want.scripts, prepack: "node ../../scripts/prepack.mjs" };
  want.publishConfig = { ...want.publishConfig, access: "public" };

  for (const name of Object.keys(want.dependencies ?? {})) {
    if (localVersions.has(name)) {
      problems.push(`${pkg.json.name}: ${name} is a dependency; make it a peer dependency (and a devDependency) so an app has exactly one copy`);
    }
  }
  for (const [field, range] of [
    ["peerDependencies", (v) => `^${v}`],
    ["devDependencies", (v) => v],
  ]) {
    for (const name of Object.keys(want[field] ?? {})) {
      if (localVersions.has(name)) want[field][name] = range(localVersions.get(name));
    }
  }
  for (const name of Object.keys(want.peerDependencies ?? {})) {
    if (localVersions.has(name) && !want.devDependencies?.[name]) {
      problems.push(`${pkg.json.name}: peer ${name} is not also a devDependency (the build and lerna's graph need it)`);
    }
  }

  const ordered = {};
  for (const key of ORDER) if (key in want) ordered[key] = want[key];
  for (const key of Object.keys(want)) if (!(key in ordered)) ordered[key] = want[key];

  const before = JSON.stringify(pkg.json, null, 2) + "\n";
  const after = JSON.stringify(ordered, null, 2) + "\n";
  if (before !== after) {
    if (check) problems.push(`packages/${pkg.dir}/package.json is out of date`);
    else writeFileSync(pkg.file, after);
  }

  const license = join(root, "packages", pkg.dir, "LICENSE");
  if (!existsSync(license) || readFileSync(license, "utf8") !== readFileSync(join(root, "LICENSE"), "utf8")) {
    if (check) problems.push(`packages/${pkg.dir}/LICENSE differs from the root LICENSE`);
    else copyFileSync(join(root, "LICENSE"), license);
  }
}

if (problems.length > 0) {
  console.error(problems.map((p) => `package-metadata: ${p}`).join("\n"));
  if (check) console.error("Run `node scripts/package-metadata.mjs` to fix what it can.");
  process.exit(1);
}
