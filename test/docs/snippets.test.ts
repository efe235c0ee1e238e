import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

/**
 * Every ```ts block of the docs type-checks against the packages' sources, as a strict ES
 * module (top-level await allowed). A snippet may use the names a reader is told about
 * elsewhere (`versions`, `pins`, `app`, an `authenticate` middleware...): PRELUDE declares
 * them, and nothing else. What a snippet imports, it must import correctly.
 */
const root = join(__dirname, "..", "..");

const MARKDOWN = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
  ...readdirSync(join(root, "packages")).map((p) => `packages/${p}/README.md`),
  ...readdirSync(join(root, "examples")).map((p) => `examples/${p}/README.md`),
].filter((f) => existsSync(join(root, f)));

/**
 * Snippets not checked, each named by its file and a line of its code (line numbers move),
 * with what it would take to check them. None today: keep it that way.
 */
const EXCLUDED: Array<{ file: string; contains: string; why: string }> = [];
const isExcluded = (s: Snippet) => EXCLUDED.some((e) => e.file === s.file && s.code.includes(e.contains));

/** The free names snippets rely on: what the surrounding prose says the reader already has. */
const PRELUDE = `
import type { Request, RequestHandler, Response, Express } from "express";
import type * as core from "@strata/core";
import type {} from "@strata/express"; // its Request augmentation: req.apiVersion

declare global {
  namespace Express {
    // What an app's own authentication middleware adds (docs say "your auth decides").
    interface Request {
      user?: { id: string; accountId: string; role: "owner" | "member" };
      auth?: { accountId: string; workspaceId: string };
    }
  }

  /** The app's VersionSet, from defineVersions(). */
  const versions: core.VersionSet;
  /** The app's pin store. */
  const pins: core.PinStore;
  /** The Express app. */
  const app: Express;
  /** A request the docs talk about, inside a handler. */
  const req: Request;
  const res: Response;
  /** The app's authentication middleware; sets req.user. */
  const authenticate: RequestHandler;
  /** A handler of the newest version. */
  const getKey: RequestHandler;
  /** An app's logger. */
  const log: { info(...args: unknown[]): void; warn(...args: unknown[]): void; error(...args: unknown[]): void };
  /** Placeholders of docs/concepts.md's "Without HTTP": shapes an adapter builds. */
  const requestShape: core.RequestShape;
  const responseShape: core.ResponseShape;
  const problemShape: core.ResponseShape;
  const event: unknown;
  function handle(request: core.RequestShape): void;
  /** An ioredis client the app already has. */
  const redis: import("ioredis").Redis;
  /** A pg pool the app already has. */
  const pool: import("pg").Pool;
}
export {};
`;

interface Snippet {
  id: string;
  file: string;
  line: number;
  code: string;
}

function snippetsOf(file: string): Snippet[] {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    found.push({ id: `${file}:${start + 1}`, file, line: start + 1, code: body.join("\n") });
  }
  return found;
}

const snippets = MARKDOWN.flatMap(snippetsOf);
const checked = snippets.filter((s) => !isExcluded(s));

/**
 * Where a snippet is compiled: docs and package READMEs beside CONTEXT's modules; an
 * example's README inside that example's src/, so it imports the example's real modules.
 */
const snippetsDir = join(root, "test", "docs", "__snippets__");
function virtualName(s: Snippet): string {
  const example = /^examples\/([^/]+)\//.exec(s.file)?.[1];
  const dir = example ? join(root, "examples", example, "src") : snippetsDir;
  return join(dir, `__snippet__${s.file.replace(/[^a-z0-9]+/gi, "-")}-${s.line}.ts`);
}
const preludeName = join(snippetsDir, "prelude.d.ts");

/** Modules the docs import as "your own" (`import { versions } from "./versions"`). */
const CONTEXT: Record<string, string> = {
  "versions.ts": `import type { VersionSet } from "@strata/core";\nexport declare const versions: VersionSet;\n`,
  "auth.ts": `import type { RequestHandler } from "express";\n/** Sets req.user (typed in the prelude, as an auth library's types would). */\nexport declare const authenticate: RequestHandler;\n`,
};

let diagnosticsByFile: Map<string, string[]>;

beforeAll(() => {
  // Every snippet is a module of its own (`export {}` for those without import/export), so
  // their top-level names never collide and top-level await is allowed.
  const files = new Map<string, string>([[preludeName, PRELUDE]]);
  for (const [name, code] of Object.entries(CONTEXT)) files.set(join(snippetsDir, name), code);
  for (const s of checked) files.set(virtualName(s), `${s.code}\nexport {};\n`);

  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    esModuleInterop: true,
    types: ["node"],
    skipLibCheck: true,
    noEmit: true,
    paths: { "@strata/*": [join(root, "packages", "*", "src", "index.ts")] },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile, directoryExists } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.directoryExists = (d) => [...files.keys()].some((f) => f.startsWith(d + "/")) || (directoryExists?.call(host, d) ?? true);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, version, ...rest) =>
    files.has(f) ? ts.createSourceFile(f, files.get(f)!, version, true) : getSourceFile.call(host, f, version, ...rest);

  const program = ts.createProgram([...files.keys()], options, host);
  diagnosticsByFile = new Map();
  const report = (d: ts.Diagnostic, fallback: string) => {
    const f = d.file?.fileName ?? fallback;
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const text = `${where ? `line ${where.line + 1}: ` : ""}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    diagnosticsByFile.set(f, [...(diagnosticsByFile.get(f) ?? []), text]);
  };
  for (const d of [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]) report(d, "(global)");
  // Only the snippets (and the prelude) are checked here; the packages' own sources are
  // checked by their build.
  for (const f of files.keys()) {
    const sf = program.getSourceFile(f)!;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) report(d, f);
  }
}, 120_000);

describe("docs snippets type-check", () => {
  it("finds the snippets (README, docs/*.md, package and example READMEs)", () => {
    expect(snippets.length).toBeGreaterThan(10);
    // An exclusion that matches no snippet any more is stale: remove it.
    expect(EXCLUDED.filter((e) => !snippets.some((s) => s.file === e.file && s.code.includes(e.contains))).map((e) => e.why)).toEqual([]);
  });

  it("the prelude itself compiles", () => {
    expect(diagnosticsByFile.get(preludeName) ?? []).toEqual([]);
  });

  it.each(checked.map((s) => [s.id, s] as const))("%s", (_id, s) => {
    // Lines are the snippet's own (line 1 = the line after the fence).
    expect(diagnosticsByFile.get(virtualName(s)) ?? []).toEqual([]);
  });

  it("reports no diagnostic outside the snippets that would hide one inside them", () => {
    const global = diagnosticsByFile.get("(global)") ?? [];
    expect(global).toEqual([]);
  });
});
