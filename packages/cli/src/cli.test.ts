import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { parseStoreUrl, redact, run } from "@strata/cli";
import { describeEachWithServices } from "../../../test/pins/services";

const PG_URL = process.env.STRATA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.STRATA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const unique = (): string => randomBytes(5).toString("hex");

const dir = mkdtempSync(join(tmpdir(), "strata-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A --versions module, as an app would write it (CommonJS; ESM is covered by the binary test).
const versionsModule = join(dir, "versions.js");
writeFileSync(
  versionsModule,
  `const { defineVersions, renameField } = require("@strata/core");
module.exports = defineVersions({
  versions: [
    { id: "2025-09-01", changes: [renameField("key", "ownerId", "externalId")] },
    { id: "2025-01-15", changes: [renameField("key", "name", "title")], description: "Titles." },
    { id: "2024-06-01" },
  ],
});
`,
);
const namedExport = join(dir, "named.js");
writeFileSync(namedExport, `exports.versions = require(${JSON.stringify(versionsModule)});\n`);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function strata(...argv: string[]): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    cwd: dir,
  });
  return { code, stdout, stderr };
}

interface Backend {
  args: string[];
  cleanup: () => Promise<void>;
}

const backends: [string, () => Backend][] = [
  ["sqlite", () => ({ args: ["--store", `sqlite:./pins-${unique()}.db`], cleanup: async () => undefined })],
  [
    "postgres",
    () => {
      const schema = `strata_cli_${unique()}`;
      return {
        args: ["--store", PG_URL, "--schema", schema],
        cleanup: async () => {
          const client = new pg.Client({ connectionString: PG_URL });
          await client.connect();
          try {
            await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          } finally {
            await client.end();
          }
        },
      };
    },
  ],
  [
    "redis",
    () => {
      const prefix = `strata-cli-${unique()}:`;
      return {
        args: ["--store", REDIS_URL, "--prefix", prefix],
        cleanup: async () => {
          const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
          try {
            const keys = await redis.keys(`${prefix}*`);
            if (keys.length > 0) await redis.del(...keys);
          } finally {
            redis.disconnect();
          }
        },
      };
    },
  ],
];

// Without PostgreSQL or Redis (outside CI), their rows skip with one loud line naming the service.
describeEachWithServices(
  backends.map(([name, make]) => ({ name, make })),
  (b) => b.name,
)("strata pins on $name", ({ make }) => {
  let backend: Backend;
  beforeAll(() => {
    backend = make();
  });
  afterAll(() => backend.cleanup());

  it("sets, gets, lists history and usage", async () => {
    const store = backend.args;
    const first = await strata("pins", "set", "acct_1", "2024-06-01", "--actor", "ada", "--versions", versionsModule, ...store);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toBe("acct_1: (unpinned) -> 2024-06-01 (by ada)\n");
    const second = await strata("pins", "set", "acct_1", "2025-09-01", "--actor", "bob", "--reason", "new SDK", "--versions", versionsModule, ...store);
    expect(second.stdout).toBe("acct_1: 2024-06-01 -> 2025-09-01 (by bob, reason: new SDK)\n");
    await strata("pins", "set", "acct_2", "2025-09-01", "--actor", "ada", "--versions", versionsModule, ...store);

    const get = await strata("pins", "get", "acct_1", ...store);
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/^account\s+acct_1\nversion\s+2025-09-01\npinned at\s+\d{4}-/);

    const history = await strata("pins", "history", "acct_1", ...store);
    const lines = history.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^AT\s+FROM\s+TO\s+ACTOR\s+REASON$/);
    expect(lines[1]).toMatch(/2024-06-01\s+2025-09-01\s+bob\s+new SDK$/);
    expect(lines[2]).toMatch(/-\s+2024-06-01\s+ada$/);
    expect(lines).toHaveLength(3);

    const limited = await strata("pins", "history", "acct_1", "--limit", "1", "--json", ...store);
    expect(JSON.parse(limited.stdout)).toEqual([expect.objectContaining({ from: "2024-06-01", to: "2025-09-01", actor: "bob", reason: "new SDK" })]);

    const usage = await strata("pins", "usage", ...store);
    expect(usage.stdout).toMatch(/^VERSION\s+ACCOUNTS\n2025-09-01\s+2\n$/);
  });

  it("prints JSON that parses", async () => {
    const store = backend.args;
    const set = await strata("pins", "set", "acct_json", "2025-01-15", "--actor", "ci", "--json", "--versions", versionsModule, ...store);
    expect(JSON.parse(set.stdout)).toMatchObject({ account: "acct_json", from: null, to: "2025-01-15", actor: "ci" });
    const get = await strata("pins", "get", "acct_json", "--json", "--versions", versionsModule, ...store);
    expect(JSON.parse(get.stdout)).toMatchObject({ account: "acct_json", pinned: { version: "2025-01-15" }, latest: "2025-09-01" });
    expect(Date.parse(JSON.parse(get.stdout).pinned.pinnedAt)).not.toBeNaN();
    const missing = await strata("pins", "get", "nobody", "--json", ...store);
    expect(JSON.parse(missing.stdout)).toEqual({ account: "nobody", pinned: null });
    const usage = await strata("pins", "usage", "--json", "--versions", versionsModule, ...store);
    expect(JSON.parse(usage.stdout)).toEqual(
      expect.arrayContaining([
        { version: "2025-01-15", accounts: 1, status: "active" },
        { version: "2024-06-01", accounts: 0, status: "active" },
      ]),
    );
  });

  it("refuses an unknown version when --versions is given, and writes nothing", async () => {
    const store = backend.args;
    const res = await strata("pins", "set", "acct_v", "2030-01-01", "--actor", "ada", "--versions", versionsModule, ...store);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toBe('error: Unknown version "2030-01-01". Supported versions: 2025-09-01, 2025-01-15, 2024-06-01.\n');
    const get = await strata("pins", "get", "acct_v", "--json", ...store);
    expect(JSON.parse(get.stdout).pinned).toBeNull();
  });
});

describe("strata pins: stores and errors", () => {
  it("reads STRATA_STORE_URL and accepts a bare file path", async () => {
    const file = join(dir, `env-${unique()}.db`);
    let stdout = "";
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd: dir };
    expect(await run(["pins", "set", "a", "2024-06-01", "--actor", "x", "--versions", versionsModule], { ...io, env: { STRATA_STORE_URL: file } })).toBe(0);
    expect(await run(["pins", "usage", "--store", file], { ...io, env: {} })).toBe(0);
    expect(stdout).toContain("2024-06-01  1");
  });

  it("exits 2 with a clear message when PostgreSQL is unreachable, hiding the password", async () => {
    const res = await strata("pins", "get", "acct_1", "--store", "postgres://postgres:hunter2@127.0.0.1:1/test");
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^error: Cannot reach the pin store postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test: .*ECONNREFUSED/);
    expect(res.stderr).not.toContain("hunter2");
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 with a clear message when Redis is unreachable", async () => {
    const res = await strata("pins", "usage", "--store", "redis://127.0.0.1:1");
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^error: Cannot reach the pin store redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  });

  it("refuses an unknown scheme, a missing store and a missing SQLite file", async () => {
    const scheme = await strata("pins", "get", "a", "--store", "mysql://db/app");
    expect(scheme).toMatchObject({ code: 1, stdout: "" });
    expect(scheme.stderr).toBe(
      'error: Unknown store scheme "mysql:" in --store mysql://db/app. Use sqlite:<file> (or a file path), postgres://... or redis://...\n',
    );
    const none = await strata("pins", "get", "a");
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No pin store given: pass --store <url> or set STRATA_STORE_URL/);
    const missing = await strata("pins", "get", "a", "--store", "sqlite:./typo.db");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/SQLite file .*typo\.db does not exist/);
    expect(existsSync(join(dir, "typo.db"))).toBe(false);
    const refused = await strata("pins", "set", "a", "1999-01-01", "--actor", "x", "--store", "sqlite:./new.db", "--versions", versionsModule);
    expect(refused.code).toBe(1);
    expect(existsSync(join(dir, "new.db"))).toBe(false);
    const wrongOption = await strata("pins", "get", "a", "--store", "sqlite:./x.db", "--schema", "s");
    expect(wrongOption.stderr).toBe("error: --schema applies only to postgres:// stores.\n");
  });

  it("reports an unknown command, a missing option and a bad limit", async () => {
    const unknown = await strata("frobnicate");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/error: unknown command 'frobnicate'/);
    const sub = await strata("pins", "gte", "a");
    expect(sub.code).toBe(1);
    expect(sub.stderr).toMatch(/unknown command 'gte'.*\n.*Did you mean get\?/s);
    const actor = await strata("pins", "set", "a", "2024-06-01", "--store", "sqlite:./x.db");
    expect(actor.code).toBe(1);
    expect(actor.stderr).toMatch(/required option '--actor <who>' not specified/);
    const limit = await strata("pins", "history", "a", "--limit", "0", "--store", "sqlite:./x.db");
    expect(limit.code).toBe(1);
    expect(limit.stderr).toMatch(/--limit.*whole number/);
    const help = await strata("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: strata/);
  });

  it("parses store URLs", () => {
    expect(parseStoreUrl("sqlite:./a.db", "/srv")).toMatchObject({ kind: "sqlite", target: "/srv/a.db" });
    expect(parseStoreUrl("sqlite:///var/a.db", "/srv")).toMatchObject({ kind: "sqlite", target: "/var/a.db" });
    expect(parseStoreUrl("file:///var/a.db")).toMatchObject({ kind: "sqlite", target: "/var/a.db" });
    expect(parseStoreUrl("postgresql://u:p@h/db")).toMatchObject({ kind: "postgres", display: "postgresql://u:***@h/db" });
    expect(parseStoreUrl("rediss://h:6380")).toMatchObject({ kind: "redis" });
    expect(redact("redis://:secret@h:6379/0")).toBe("redis://:***@h:6379/0");
  });
});

describe("strata pins set: checking the version", () => {
  const sqlite = (): { file: string; args: string[] } => {
    const name = `check-${unique()}.db`;
    return { file: join(dir, name), args: ["--store", `sqlite:./${name}`] };
  };
  const NOT_CHECKED =
    'error: Cannot check version "1.33": pass --versions <module> (or set STRATA_VERSIONS) to check it against the app\'s versions, or --force to store it unchecked.\n';

  it("without --versions refuses before opening the store (it used to store any string and exit 0)", async () => {
    const { file, args } = sqlite();
    const res = await strata("pins", "set", "acct_1", "1.33", "--actor", "ops", ...args);
    expect(res).toEqual({ code: 1, stdout: "", stderr: NOT_CHECKED });
    expect(existsSync(file)).toBe(false);
    const json = await strata("pins", "set", "acct_1", "1.33", "--actor", "ops", "--json", ...args);
    expect(json).toEqual({ code: 1, stdout: "", stderr: NOT_CHECKED });
    expect(existsSync(file)).toBe(false);
  });

  it("without --versions writes nothing to an existing store", async () => {
    const { args } = sqlite();
    await strata("pins", "set", "acct_1", "2025-01-15", "--actor", "ops", "--versions", versionsModule, ...args);
    expect((await strata("pins", "set", "acct_1", "1.33", "--actor", "ops", ...args)).code).toBe(1);
    const get = await strata("pins", "get", "acct_1", "--json", ...args);
    expect(JSON.parse(get.stdout).pinned.version).toBe("2025-01-15");
    expect((await strata("pins", "history", "acct_1", "--json", ...args)).stdout).not.toContain("1.33");
  });

  it("with --force and no --versions stores the version unchecked and warns on stderr", async () => {
    const { args } = sqlite();
    const res = await strata("pins", "set", "acct_1", " 1.33 ", "--actor", "ops", "--force", ...args);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe("acct_1: (unpinned) -> 1.33 (by ops)\n");
    expect(res.stderr).toBe(
      'warning: version "1.33" was not checked (no versions module): an app that does not configure it serves acct_1 at the nearest version it has (its oldest, if it cannot read the id).\n',
    );
    const json = await strata("pins", "set", "acct_2", "1.33", "--actor", "ops", "--force", "--json", ...args);
    expect(JSON.parse(json.stdout)).toMatchObject({ account: "acct_2", to: "1.33" });
    expect(json.stderr).toMatch(/^warning: version "1\.33" was not checked/);
  });

  it("with --force still refuses an empty version, and creates no store", async () => {
    const { file, args } = sqlite();
    const res = await strata("pins", "set", "acct_1", "  ", "--actor", "ops", "--force", ...args);
    expect(res).toEqual({ code: 1, stdout: "", stderr: "error: version must not be empty.\n" });
    const checked = await strata("pins", "set", "acct_1", "", "--actor", "ops", "--force", "--versions", versionsModule, ...args);
    expect(checked).toEqual({ code: 1, stdout: "", stderr: "error: version must not be empty.\n" });
    expect(existsSync(file)).toBe(false);
  });

  it("with --versions and --force stores a well-formed version the module does not list, with a warning", async () => {
    const { args } = sqlite();
    const res = await strata("pins", "set", "acct_1", "2026-03-01", "--actor", "ops", "--force", "--versions", versionsModule, ...args);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe("acct_1: (unpinned) -> 2026-03-01 (by ops)\n");
    expect(res.stderr).toBe(
      "warning: version 2026-03-01 is not configured in the versions module (supported: 2025-09-01, 2025-01-15, 2024-06-01): app instances that do not configure it serve acct_1 at the nearest older version they have (2025-09-01 here).\n",
    );
  });

  it("with --versions and --force never stores a malformed version", async () => {
    const { file, args } = sqlite();
    const res = await strata("pins", "set", "acct_1", "1.33", "--actor", "ops", "--force", "--versions", versionsModule, ...args);
    expect(res).toEqual({
      code: 1,
      stdout: "",
      stderr: 'error: "1.33" is not a valid date version, so --force cannot store it. Supported versions: 2025-09-01, 2025-01-15, 2024-06-01.\n',
    });
    expect(existsSync(file)).toBe(false);
  });

  it("with --force, a version the module lists is stored as usual, without a warning", async () => {
    const { args } = sqlite();
    const res = await strata("pins", "set", "acct_1", "2025-01-15", "--actor", "ops", "--force", "--versions", versionsModule, ...args);
    expect(res).toEqual({ code: 0, stdout: "acct_1: (unpinned) -> 2025-01-15 (by ops)\n", stderr: "" });
  });

  it("reads the versions module from STRATA_VERSIONS", async () => {
    const { file, args } = sqlite();
    let stderr = "";
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, cwd: dir, env: { STRATA_VERSIONS: versionsModule } };
    expect(await run(["pins", "set", "a", "2030-01-01", "--actor", "x", ...args], io)).toBe(1);
    expect(stderr).toBe('error: Unknown version "2030-01-01". Supported versions: 2025-09-01, 2025-01-15, 2024-06-01.\n');
    expect(existsSync(file)).toBe(false);
    expect(await run(["pins", "set", "a", "2024-06-01", "--actor", "x", ...args], io)).toBe(0);
    stderr = "";
    expect(await run(["pins", "get", "a", ...args], { ...io, env: { STRATA_VERSIONS: "./nope.js" } })).toBe(1);
    expect(stderr).toMatch(/^error: Cannot load STRATA_VERSIONS \.\/nope\.js: no such file/);
  });
});

describe("strata changelog", () => {
  it("prints Markdown between two versions", async () => {
    const all = await strata("changelog", "--versions", versionsModule);
    expect(all.code).toBe(0);
    expect(all.stdout).toBe(
      [
        "## 2025-09-01",
        "- `ownerId` on key is renamed to `externalId`.",
        "",
        "## 2025-01-15",
        "Titles.",
        "",
        "- `name` on key is renamed to `title`.",
        "",
        "## 2024-06-01",
        "- Initial version.",
        "",
      ].join("\n"),
    );
    const ranged = await strata("changelog", "--versions", namedExport, "--from", "2024-06-01", "--to", "2025-01-15");
    expect(ranged.stdout).toMatch(/^## 2025-01-15\n/);
    expect(ranged.stdout).not.toContain("2025-09-01");
    const json = await strata("changelog", "--versions", versionsModule, "--from", "2025-01-15", "--json");
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ version: "2025-09-01" })]);
  });

  it("refuses an unknown version and a module without a VersionSet", async () => {
    const unknown = await strata("changelog", "--versions", versionsModule, "--from", "1999-01-01");
    expect(unknown).toMatchObject({ code: 1, stdout: "" });
    expect(unknown.stderr).toBe('error: Unknown --from "1999-01-01". Supported versions: 2025-09-01, 2025-01-15, 2024-06-01.\n');
    const notASet = join(dir, "empty.js");
    writeFileSync(notASet, "module.exports = { hello: 1 };\n");
    const bad = await strata("changelog", "--versions", notASet);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/does not export a VersionSet/);
    const missing = await strata("changelog", "--versions", "./nope.js");
    expect(missing.stderr).toMatch(/^error: Cannot load --versions \.\/nope\.js: no such file/);
    const none = await strata("changelog");
    expect(none).toEqual({ code: 1, stdout: "", stderr: "error: changelog needs the app's versions: pass --versions <module> or set STRATA_VERSIONS.\n" });
    let out = "";
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, cwd: dir, env: { STRATA_VERSIONS: versionsModule } };
    expect(await run(["changelog", "--from", "2025-01-15"], io)).toBe(0);
    expect(out).toMatch(/^## 2025-09-01\n/);
  });
});

describe("the strata executable", () => {
  const bin = join(__dirname, "..", "dist", "cli.js");
  const exec = (args: string[]): Promise<Result> =>
    new Promise((resolve) => {
      execFile(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, STRATA_STORE_URL: "" } }, (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });

  beforeAll(() => {
    if (!existsSync(bin)) throw new Error("packages/cli is not built: run `npx tsc -b packages/cli` (npm test does) before this suite.");
  });

  it("runs from its shebang file, loads an ES module --versions, and exits with the code", async () => {
    const esm = join(dir, "versions.mjs");
    const core = join(__dirname, "..", "..", "core", "dist", "index.js");
    writeFileSync(
      esm,
      `import core from ${JSON.stringify(core)};\nexport const versions = core.defineVersions({ versions: [{ id: "2.0", changes: [core.renameField("key", "a", "b")] }, { id: "1.0" }], scheme: "semver" });\n`,
    );
    const ok = await exec(["changelog", "--versions", esm]);
    expect(ok).toMatchObject({ code: 0, stderr: "" });
    expect(ok.stdout).toMatch(/^## 2\.0\n- /);
    const failed = await exec(["pins", "get", "a", "--store", "nosuch://x"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error: Unknown store scheme "nosuch:"/);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  });
});
