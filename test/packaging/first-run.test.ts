import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * `npm start` (after its build): the keys-api demo prints the demo key at v1 and at the
 * current version side by side, with no TTY, then the curl lines, and keeps serving.
 */
const root = join(__dirname, "..", "..");
const main = join(root, "examples", "keys-api", "dist", "main.js");

describe("npm start (examples/keys-api/dist/main.js)", () => {
  let child: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), "strata-start-"));
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints both answers side by side, the versions they were served at, and the curl lines", async () => {
    if (!existsSync(main)) throw new Error("examples/keys-api is not built: run `npm run build` (npm test does) before this suite.");
    child = spawn(process.execPath, [main], {
      cwd: dir,
      env: { ...process.env, PORT: "0", KEYS_API_DB: join(dir, "keys-api.db"), NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const started = Date.now();
    while (!out.includes("Errors come back in each version's format")) {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}:\n${out}`);
      if (Date.now() - started > 20_000) throw new Error(`no curl lines within 20 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(out).toContain("Only the v2 handlers exist");
    expect(out).toMatch(/v1: +GET \/v1\/keys\.getKey\?keyId=key_demo +-> 200, Unkey-Version: 2024-01-01/);
    expect(out).toMatch(/current: +POST \/v2\/keys\.getKey .* -> 200, Unkey-Version: 2025-10-01/);
    // Differing fields are marked, with each side's value (or "-" where the field is absent).
    expect(out).toMatch(/^ {2}\* ownerId +"user_123" +-$/m);
    expect(out).toMatch(/^ {2}\* credits\.remaining +- +1000$/m);
    expect(out).toMatch(/^ {4}name +"Customer X" +"Customer X"$/m);
    expect(out).toMatch(/\* \d+ of \d+ fields differ/);
    expect(out).toMatch(/curl -s 'http:\/\/localhost:\d+\/v1\/keys\.getKey\?keyId=key_demo'/);
    // No ANSI colours without a TTY.
    expect(out).not.toContain("\x1b[");
  }, 30_000);
});
