import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { Contracts } from "@strata/openapi";
import { CliError, messageOf } from "./errors";
import { loadPeer } from "./stores";
import { loadExport } from "./versions";
import type { Output } from "./format";

/** What the commands use of `defineContracts()`'s result. */
type ContractsLike = Pick<Contracts, "versions" | "document" | "diff" | "check" | "compareReleased">;

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
      else ctx.stdout.write(await checkText(report, gate));
      if (failed)
        throw new CliError(
          `check failed${report.ok ? "" : `: ${report.failures.length} contract failure(s)`}${gate?.breaking.length ? `; ${gate.breaking.length} unaccounted breaking change(s)` : ""}.`,
        );
    });
}

async function checkText(report: ReturnType<ContractsLike["check"]>, gate?: ReturnType<ContractsLike["compareReleased"]>): Promise<string> {
  const { formatReport } = await loadPeer(() => import("@strata/openapi"), "@strata/openapi", "strata check needs");
  const lines = [formatReport(report)];
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
  if (!path) throw new CliError("This command needs the app's contracts: pass --contracts <module> or set STRATA_CONTRACTS.");
  return loadExport(
    path,
    ctx.cwd,
    o.contracts !== undefined ? "--contracts" : "STRATA_CONTRACTS",
    (m) => {
      const inner = m?.default as Record<string, unknown> | undefined;
      return [m?.default, m?.contracts, m, inner?.contracts].find(isContracts);
    },
    "does not export contracts: export the result of defineContracts() (@strata/openapi) as default or as `contracts`.",
  );
}

function isContracts(value: unknown): value is ContractsLike {
  const v = value as Partial<ContractsLike> | undefined;
  return typeof v === "object" && v !== null && typeof v.document === "function" && typeof v.check === "function" && typeof v.diff === "function";
}
