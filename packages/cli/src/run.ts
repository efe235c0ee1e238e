import { Command, CommanderError, InvalidArgumentError } from "commander";
import { StrataError, lifecycleOf, renderChangelog, type PinStore, type Version, type VersionSet } from "@strata/core";
import { CliError, EXIT, messageOf } from "./errors";
import { changeJson, changeText, historyText, pinJson, pinText, usageText, type Output, type UsageRow } from "./format";
import { openStore, parseStoreUrl, type StoreSpec } from "./stores";
import { loadVersions, pinTarget } from "./versions";
import { contractCommands } from "./contracts";
import { usageLines, usageLinesText } from "./usage-report";

/** Where `run` reads and writes: the process by default, buffers in tests. */
export interface CliIO {
  stdout: Output;
  stderr: Output;
  /** Environment for `STRATA_STORE_URL`, `STRATA_VERSIONS` and `DEBUG`. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Base for relative paths. Default `process.cwd()`. */
  cwd?: string;
}

interface CommonOptions {
  store?: string;
  schema?: string;
  prefix?: string;
  versions?: string;
  json?: boolean;
}

const NETWORK = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET|timeout|max retries per request|Connection is closed/i;
const HISTORY_DEFAULT = 50;

/**
 * Run the `strata` command with `argv` (without `node` and the script) and resolve to its exit
 * code: 0 on success, 1 for bad input (unknown command, option or version), 2 when the pin
 * store cannot be opened or reached. Errors are one line on stderr, never a stack trace.
 *
 * @example
 * const code = await run(["pins", "get", "acct_1", "--store", "sqlite:./pins.db", "--json"], { stdout: process.stdout, stderr: process.stderr });
 * process.exitCode = code;
 */
export async function run(argv: readonly string[], io: Partial<CliIO> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const ctx: Context = { stdout, env, cwd };
  try {
    await program(ctx, stdout, stderr).parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message (or the help) through configureOutput.
      return err.code === "commander.helpDisplayed" || err.code === "commander.version" ? EXIT.ok : err.exitCode || EXIT.usage;
    }
    if (err instanceof CliError) {
      stderr.write(`error: ${err.message}\n`);
      return err.exitCode;
    }
    stderr.write(`error: unexpected failure: ${messageOf(err)}\n`);
    if (env.DEBUG) stderr.write(`${(err as Error)?.stack ?? ""}\n`);
    return EXIT.usage;
  }
}

interface Context {
  stdout: Output;
  env: Record<string, string | undefined>;
  cwd: string;
}

function program(ctx: Context, stdout: Output, stderr: Output): Command {
  const root = new Command("strata")
    .description("Strata API versions: read and move account pins, print the changelog, derive and check each version's OpenAPI contract.")
    .version(packageVersion(), "-V, --version")
    // `strata --version` is the CLI's; `strata openapi --version X` names an API version.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (s) => void stdout.write(s), writeErr: (s) => void stderr.write(s) })
    .showHelpAfterError("(run `strata --help` for usage)");

  const pins = root.command("pins").description("read and move account pins");

  withStore(pins.command("get <account>").description("show the version an account is pinned to")).action(async (account: string, o: CommonOptions) => {
    const versions = await versionsFor(ctx, o);
    await session(ctx, o, false, async (store) => {
      const pin = await call(store, () => store.pins.get(account));
      const current = pin && versions?.get(pin.version);
      const latest = versions ? { id: versions.current.id, behind: current ? Math.max(0, versions.current.ordinal - current.ordinal) : 0 } : undefined;
      if (o.json) return json(ctx, { account, pinned: pinJson(pin), ...(latest ? { latest: latest.id } : {}) });
      stdout.write(pinText(account, pin, pin && current ? latest : undefined));
    });
  });

  withStore(pins.command("set <account> <version>").description("move (or create) an account's pin; recorded in its history"))
    .requiredOption("--actor <who>", "who makes the change, recorded in the history")
    .option("--reason <text>", "why, recorded in the history")
    .option("--force", "store a version the CLI cannot check: any, without --versions; a well-formed one missing from it, with it")
    .action(async (account: string, version: string, o: CommonOptions & { actor: string; reason?: string; force?: boolean }) => {
      // Everything is checked before the store is opened (and a new SQLite file created).
      const versions = await versionsFor(ctx, o);
      const { id, warning } = pinTarget(version, versions, { account, force: o.force === true });
      const input = { actor: nonEmpty(o.actor, "--actor"), ...(o.reason ? { reason: o.reason } : {}) };
      nonEmpty(account, "account");
      await session(ctx, o, true, async (store) => {
        const entry = await call(store, () => store.pins.set(account, id, input));
        if (o.json) json(ctx, changeJson(entry));
        else stdout.write(changeText(entry));
        // After the write, so a failed write still prints one line: its error.
        if (warning) stderr.write(`warning: ${warning}\n`);
      });
    });

  withStore(pins.command("history <account>").description("list an account's pin changes, newest first"))
    .option("--limit <n>", `how many entries (default ${HISTORY_DEFAULT})`, positiveInteger)
    .action(async (account: string, o: CommonOptions & { limit?: number }) => {
      await versionsFor(ctx, o); // not needed, but a wrong --versions should not pass silently
      await session(ctx, o, false, async (store) => {
        const entries = await call(store, () => store.pins.history(account, { limit: o.limit ?? HISTORY_DEFAULT }));
        if (o.json) return json(ctx, entries.map(changeJson));
        stdout.write(historyText(account, entries));
      });
    });

  withStore(pins.command("usage").description("count accounts per pinned version")).action(async (o: CommonOptions) => {
    const versions = await versionsFor(ctx, o);
    await session(ctx, o, false, async (store) => {
      const usage = await call(store, () => store.pins.usage());
      const rows = versions ? withStatus(usage, versions) : usage;
      if (o.json) return json(ctx, rows);
      stdout.write(usageText(rows));
    });
  });

  withStore(root.command("usage").description("requests per version over the last days (who still calls a version?), from versioning({ usage })"))
    .option("--version <id>", "one version: list the accounts calling it")
    .option("--account <account>", "one account only")
    .option("--days <n>", "how many days back, today included (default 30)", positiveInteger)
    .action(async (o: CommonOptions & { version?: string; account?: string; days?: number }) => {
      const versions = await versionsFor(ctx, o);
      const version = o.version === undefined ? undefined : versions ? resolveVersion(versions, o.version, "--version").id : nonEmpty(o.version, "--version");
      const days = o.days ?? 30;
      const since = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      await session(ctx, o, false, async (store) => {
        const read = store.pins.readUsage?.bind(store.pins);
        if (!read) throw new CliError(`The pin store ${store.spec.display} does not record usage.`);
        const rows = await call(store, () => read({ since, ...(version ? { version } : {}), ...(o.account ? { account: o.account } : {}) }));
        const lines = usageLines(rows, version !== undefined);
        if (o.json) return json(ctx, lines);
        stdout.write(usageLinesText(lines, version !== undefined, days));
      });
    });

  root
    .command("changelog")
    .description("print the changelog as Markdown (needs --versions or $STRATA_VERSIONS)")
    .option("--versions <module>", "JS module exporting your VersionSet (default export or `versions`; default: $STRATA_VERSIONS)")
    .option("--from <version>", "start after this version (default: the oldest)")
    .option("--to <version>", "end at this version (default: the latest)")
    .option("--json", "machine-readable output")
    .action(async (o: { versions?: string; from?: string; to?: string; json?: boolean }) => {
      const versions = await versionsFor(ctx, o);
      if (!versions) throw new CliError("changelog needs the app's versions: pass --versions <module> or set STRATA_VERSIONS.");
      const from = o.from === undefined ? undefined : resolveVersion(versions, o.from, "--from").id;
      const to = o.to === undefined ? undefined : resolveVersion(versions, o.to, "--to").id;
      const entries = versions.changelog({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
      if (o.json) return json(ctx, entries);
      stdout.write(entries.length ? `${renderChangelog(entries)}\n` : "No changes in this range.\n");
    });
  contractCommands(root, ctx);
  return root;
}

function withStore(cmd: Command): Command {
  return cmd
    .option("--store <url>", "pin store: sqlite:<file> (or a path), postgres://..., redis://... (default: $STRATA_STORE_URL)")
    .option("--schema <name>", "PostgreSQL schema of the pin tables (default: strata)")
    .option("--prefix <prefix>", "Redis key prefix (default: strata:)")
    .option("--versions <module>", "JS module exporting your VersionSet, to check versions (default: $STRATA_VERSIONS)")
    .option("--json", "machine-readable output");
}

interface OpenStore {
  spec: StoreSpec;
  pins: PinStore;
  /** The last connection error the store reported in the background (Redis retries). */
  background?: unknown;
}

/** The VersionSet of the `--versions` module, or of `$STRATA_VERSIONS`, if either names one. */
async function versionsFor(ctx: Context, o: { versions?: string }): Promise<VersionSet | undefined> {
  if (o.versions !== undefined) return loadVersions(o.versions, ctx.cwd);
  const fromEnv = ctx.env.STRATA_VERSIONS;
  return fromEnv ? loadVersions(fromEnv, ctx.cwd, "STRATA_VERSIONS") : undefined;
}

/** Open the store, run, and always close the store. */
async function session(ctx: Context, o: CommonOptions, create: boolean, fn: (store: OpenStore) => Promise<void>): Promise<void> {
  const spec = parseStoreUrl(o.store ?? ctx.env.STRATA_STORE_URL ?? "", ctx.cwd);
  const store: Partial<OpenStore> = { spec };
  const onError = (error: unknown): void => void (store.background = error);
  store.pins = await openStore(spec, { schema: o.schema, prefix: o.prefix, create, onError });
  const pins = store.pins;
  try {
    await fn(store as OpenStore);
  } finally {
    await pins.close?.().catch(() => undefined);
  }
}

/** A store operation; its failure becomes a one-line CliError with exit code 2. */
async function call<T>(store: OpenStore, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    // ioredis rejects with "max retries per request"; the connection error it retried says why.
    const message = /max retries per request/i.test(messageOf(err)) && store.background ? messageOf(store.background) : messageOf(err);
    const code = String((err as NodeJS.ErrnoException)?.code ?? "");
    const unreachable = NETWORK.test(`${code} ${message}`);
    throw new CliError(
      `${unreachable ? "Cannot reach the pin store" : "The pin store failed:"} ${store.spec.display}${unreachable ? ":" : " -"} ${message}`,
      EXIT.store,
    );
  }
}

function resolveVersion(versions: VersionSet, id: string, what: string): Version {
  try {
    return versions.resolve(id);
  } catch (err) {
    if (err instanceof StrataError) throw new CliError(`Unknown ${what} "${id}". Supported versions: ${versions.supported.join(", ")}.`);
    throw err;
  }
}

function withStatus(usage: { version: string; accounts: number }[], versions: VersionSet): UsageRow[] {
  const counts = new Map(usage.map((u) => [u.version, u.accounts]));
  const now = new Date();
  const rows: UsageRow[] = versions.list.map((v) => ({ version: v.id, accounts: counts.get(v.id) ?? 0, status: lifecycleOf(v, now) }));
  for (const u of usage) if (!versions.list.some((v) => v.id === u.version)) rows.push({ ...u, status: "not configured" });
  return rows;
}

function nonEmpty(value: string, what: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new CliError(`${what} must not be empty.`);
  return value;
}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError("expected a whole number of at least 1.");
  return Number(value);
}

function json(ctx: Context, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function packageVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- read at run time, from the installed package
    return (require("../package.json") as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}
