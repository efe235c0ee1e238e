import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

// Consumers import the built packages, not the sources jest maps to: run real Node on them.
const root = join(__dirname, "..", "..");
const packages = ["core", "express", "store-sqlite", "store-postgres", "store-redis"].filter((p) => existsSync(join(root, "packages", p, "src", "index.ts")));

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" });
}

describe("built packages", () => {
  beforeAll(() => {
    for (const p of packages) {
      if (!existsSync(join(root, "packages", p, "dist", "index.js"))) {
        throw new Error(`packages/${p} is not built: run \`npm run build\` (npm test does) before this suite.`);
      }
    }
  });

  it.each(packages)("@strata/%s imports from an ES module", (p) => {
    const out = node(["--input-type=module", "-e", `import * as m from "@strata/${p}"; console.log(Object.keys(m).length > 0 ? "ok" : "empty");`]);
    expect(out.trim()).toBe("ok");
  });

  it.each(packages)("@strata/%s requires from CommonJS", (p) => {
    const out = node(["-e", `const m = require("@strata/${p}"); console.log(Object.keys(m).length > 0 ? "ok" : "empty");`]);
    expect(out.trim()).toBe("ok");
  });

  it("runs the engine from ESM: a request migrated forward and its response back", () => {
    const script = `
      import { defineVersions, renameField } from "@strata/core";
      const versions = defineVersions({ versions: [{ id: "2025-01-01", changes: [renameField("key", "ownerId", "externalId")] }, { id: "2024-01-01" }] });
      const m = versions.migrateRequest({ method: "GET", path: "/k", query: {}, headers: {}, body: undefined }, "2024-01-01");
      const res = m.migrateResponse({ status: 200, headers: {}, body: { object: "key", externalId: "u1" } });
      console.log(JSON.stringify(res.body));`;
    expect(node(["--input-type=module", "-e", script]).trim()).toBe('{"object":"key","ownerId":"u1"}');
  });

  it("ships type declarations next to the code", () => {
    for (const p of packages) expect(existsSync(join(root, "packages", p, "dist", "index.d.ts"))).toBe(true);
  });
});
