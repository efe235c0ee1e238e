import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Command } from "commander";
import { CliError, EXIT, messageOf } from "./errors";
import type { Output } from "./format";

/** What the commands use of `defineContracts()` from `@strata/openapi`: the CLI needs no copy of its own. */
interface ContractsLike {
  versions: { supported: readonly string[]; latest: { id: string }; get(id: string): { id: string } | undefined };
  document(version: string): object;
  diff(from: string, to: string): { rule: string; breaking: boolean; operation?: string; pointer: string; message: string }[];
  check(): {
    ok: boolean;
    checked: number;
    failures: readonly { [k: string]: unknown }[];
    approximate: readonly { version: string; change: string; reason: string }[];
  };
  compareReleased(released: string): {
    version: string;
    breaking: readonly { rule: string; operation?: string; pointer: string; message: string }[];
    differences: readonly unknown[];
  };
}

interface Context {
  stdout: Output;
  env: Record<string, string | undefined>;
  cwd: string;
}

const MODULE_HELP = "JS module exporting your defineContracts() result (default export or `contracts`; default: $STRATA_CONTRACTS)";

/** `strata openapi`, `strata diff` and `strata check`: each version's contract, from the app's own module. */
export function contractCommands(root: Command, ctx: Context): void {
  root
    .command("openapi")
    .description("print (or write) the OpenAPI document of one version (needs --contracts or $STRATA_CONTRACTS)")
    .option("--contracts <module>", MODULE_HELP)
    .option("--version <id>", "the version (default: the latest)")
    .option("--out <file>", "write the document to this file instead of stdout")
    .action(async (o: { contracts?: string; version?: string; out?: string }) => {
      const contracts = await contractsFor(ctx, o);
      const id = known(contracts, o.version ?? contracts.versions.latest.id, "--version");
      const text = `${JSON.stringify(contracts.document(id), null, 2)}\n`;
      if (o.out === undefined) return void ctx.stdout.write(text);
      try {
        writeFileSync(resolve(ctx.cwd, o.out), text);
      } catch (err) {
        throw new CliError(`Cannot write ${o.out}: ${messageOf(err)}`);
      }
      ctx.stdout.write(`Wrote the ${id} document to ${o.out}.\n`);
    });

  root
    .command("diff")
    .description("what changed between two versions' documents: endpoints, fields, enum values")
    .argument("<from>", "the older version")
    .argument("<to>", "the newer version")
    .option("--contracts <module>", MODULE_HELP)
    .option("--json", "machine-readable output")
    .action(async (from: string, to: string, o: { contracts?: string; json?: boolean }) => {
      const contracts = await contractsFor(ctx, o);
      const differences = contracts.diff(known(contracts, from, "<from>"), known(contracts, to, "<to>"));
      if (o.json) return void ctx.stdout.write(`${JSON.stringify(differences, null, 2)}\n`);
      if (differences.length === 0) return void ctx.stdout.write(`No differences between ${from} and ${to}.\n`);
      for (const d of differences) ctx.stdout.write(`${d.breaking ? "BREAKING" : "        "} ${d.rule.padEnd(34)} ${d.message}\n`);
    });

  root
    .command("check")
    .description("migrate every example to every version and back against the documents; with --against, the breaking-change gate")
    .option("--contracts <module>", MODULE_HELP)
    .option("--against <file>", "the head document of the last release: fail on a breaking change no change of the chain accounts for")
    .option("--json", "machine-readable output")
    .action(async (o: { contracts?: string; against?: string; json?: boolean }) => {
      const contracts = await contractsFor(ctx, o);
      const report = contracts.check();
      let gate: ReturnType<ContractsLike["compareReleased"]> | undefined;
      if (o.against !== undefined) {
        const file = resolve(ctx.cwd, o.against);
        if (!existsSync(file)) throw new CliError(`Cannot read --against ${o.against}: no such file.`);
        try {
          gate = contracts.compareReleased(file);
        } catch (err) {
          throw new CliError(`--against ${o.against}: ${messageOf(err)}`);
        }
      }
      const failed = !report.ok || (gate !== undefined && gate.breaking.length > 0);
      if (o.json) ctx.stdout.write(`${JSON.stringify({ ...report, ok: !failed, ...(gate ? { gate } : {}) }, null, 2)}\n`);
      else ctx.stdout.write(checkText(report, gate));
      if (failed)
        throw new CliError(
          `check failed${report.ok ? "" : `: ${report.failures.length} contract failure(s)`}${gate?.breaking.length ? `; ${gate.breaking.length} unaccounted breaking change(s)` : ""}.`,
        );
    });
}

function checkText(report: ReturnType<ContractsLike["check"]>, gate?: ReturnType<ContractsLike["compareReleased"]>): string {
  const lines = [`${report.checked} example migrations checked, ${report.failures.length} failed.`];
  for (const f of report.failures) {
    const change = f.change as { version: string; description: string } | undefined;
    lines.push(
      `FAIL ${String(f.version)} ${String(f.operation)} ${String(f.direction)} [${String(f.example)}] at ${String(f.pointer) || "/"}: ${String(f.message)}${change ? ` (change "${change.description}", ${change.version})` : ""}`,
    );
  }
  if (report.approximate.length > 0)
    lines.push(`${report.approximate.length} change(s) without an exact schema delta (their versions' documents are approximate):`);
  for (const a of report.approximate) lines.push(`  APPROXIMATE ${a.version} "${a.change}": ${a.reason}`);
  if (gate) {
    lines.push(
      `Against the released ${gate.version} document: ${gate.differences.length} difference(s), ${gate.breaking.length} breaking and unaccounted for.`,
    );
    for (const d of gate.breaking) lines.push(`  BREAKING ${d.rule} at ${d.pointer}: ${d.message}`);
  }
  return `${lines.join("\n")}\n`;
}

function known(contracts: ContractsLike, id: string, what: string): string {
  const v = contracts.versions.get(id);
  if (!v) throw new CliError(`Unknown ${what} "${id}". Supported versions: ${contracts.versions.supported.join(", ")}.`);
  return v.id;
}

async function contractsFor(ctx: Context, o: { contracts?: string }): Promise<ContractsLike> {
  const path = o.contracts ?? ctx.env.STRATA_CONTRACTS;
  const source = o.contracts !== undefined ? "--contracts" : "STRATA_CONTRACTS";
  if (!path) throw new CliError("This command needs the app's contracts: pass --contracts <module> or set STRATA_CONTRACTS.");
  const file = resolve(ctx.cwd, path);
  if (!existsSync(file)) throw new CliError(`Cannot load ${source} ${path}: no such file (${file}).`);
  let mod: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the user's module, CommonJS first (ESM below)
    mod = require(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ERR_REQUIRE_ESM" && code !== "ERR_REQUIRE_ASYNC_MODULE") throw new CliError(`Cannot load ${source} ${path}: ${messageOf(err)}`, EXIT.usage);
    mod = await import(pathToFileURL(file).href).catch((esmErr: unknown) => {
      throw new CliError(`Cannot load ${source} ${path}: ${messageOf(esmErr)}`);
    });
  }
  const m = mod as Record<string, unknown> | undefined;
  const inner = m?.default as Record<string, unknown> | undefined;
  const found = [m?.default, m?.contracts, m, inner?.contracts].find(isContracts);
  if (!found)
    throw new CliError(`${source} ${path} does not export contracts: export the result of defineContracts() (@strata/openapi) as default or as \`contracts\`.`);
  return found;
}

function isContracts(value: unknown): value is ContractsLike {
  const v = value as Partial<ContractsLike> | undefined;
  return typeof v === "object" && v !== null && typeof v.document === "function" && typeof v.check === "function" && typeof v.diff === "function";
}
