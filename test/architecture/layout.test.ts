import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

// The layout rules of docs/architecture.md, checked on the source itself.
const ROOT = join(__dirname, "..", "..");
const PACKAGES = join(ROOT, "packages");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

const packages = readdirSync(PACKAGES).filter((p) => statSync(join(PACKAGES, p, "src")).isDirectory());
const files = packages.flatMap((p) => sources(join(PACKAGES, p, "src")));

/** Runtime imports only: `import type` and `export type` vanish from the compiled code. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs: string[] = [];
  const re = /^\s*(import|export)\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm;
  for (const m of text.matchAll(re)) {
    const clause = m[0];
    // `import { type A, type B } from` is erased too when every name is a type.
    const names = /\{([^}]*)\}/.exec(clause)?.[1];
    if (names !== undefined && names.split(",").every((n) => n.trim() === "" || n.trim().startsWith("type "))) continue;
    specs.push(m[2]!);
  }
  return specs;
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) if (files.includes(candidate)) return candidate;
  return undefined;
}

describe("the source layout", () => {
  it("keeps every module under about 300 lines", () => {
    const long = files.map((f) => [relative(ROOT, f), readFileSync(f, "utf8").split("\n").length] as const).filter(([, n]) => n > 300);
    expect(long).toEqual([]);
  });

  it("has no cycle of runtime imports in any package", () => {
    const graph = new Map(
      files.map((f) => [
        f,
        runtimeImports(f)
          .map((s) => resolveLocal(f, s))
          .filter((x): x is string => x !== undefined),
      ]),
    );
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, "open");
      stack.push(f);
      for (const next of graph.get(f) ?? []) {
        if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next].map((x) => relative(PACKAGES, x)).join(" -> "));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(f, "done");
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it("keeps the core free of any HTTP framework", () => {
    const offenders = sources(join(PACKAGES, "core", "src")).filter(
      (f) => runtimeImports(f).some((s) => /^(express|@strata\/express)/.test(s)) || /from ["']express["']/.test(readFileSync(f, "utf8")),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("shows the engine's stages as folders of the core", () => {
    const folders = readdirSync(join(PACKAGES, "core", "src")).filter((n) => statSync(join(PACKAGES, "core", "src", n)).isDirectory());
    expect(folders.sort()).toEqual(["compile", "define", "pins", "resolve", "run", "webhooks"]);
  });
});
