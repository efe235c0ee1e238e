import type { AddressInfo } from "node:net";
import { sqlitePins } from "@strata/store-sqlite";
import { createApp } from "./app";
import { openDb } from "./db";
import { DEMO, seedDemo } from "./seed";
import { V1_VERSION_LABEL, curlExamples } from "./curl";
import { SETTINGS_PATH } from "./settings";

const file = process.env.KEYS_API_DB ?? "./keys-api.db";
const port = Number(process.env.PORT ?? 3000);

const db = openDb(file);
seedDemo(db);
// Pins live in the same file as the data, in their own `strata_` tables.
const { app, versions, close } = createApp({ db, pins: sqlitePins({ database: db.sql }) });

function failed(err: NodeJS.ErrnoException): never {
  if (err.code === "EADDRINUSE") console.error(`Port ${port} is already in use. Stop the other server or pick another port: PORT=${port + 1} npm start`);
  else console.error(`keys-api could not start: ${err.message}`);
  db.close();
  process.exit(1);
}

// ---- The point, in one screen: the same key asked for by a v1 client and a current one ----

const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string, text: string): string => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

interface Answer {
  call: string;
  status: number;
  servedAt: string;
  body: unknown;
}

async function ask(base: string, call: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(base + path, { ...init, headers: { authorization: `Bearer ${DEMO.rootKey}`, "content-type": "application/json", ...init.headers } });
  return { call, status: res.status, servedAt: res.headers.get("unkey-version") ?? "(no version header)", body: await res.json() };
}

/** `{a: {b: 1}, c: [{d: 2}]}` -> [["a.b", 1], ["c[0].d", 2]]; empty objects and lists stay whole. */
function flatten(value: unknown, prefix = ""): Array<[string, unknown]> {
  if (value !== null && typeof value === "object" && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, Array.isArray(value) ? `${prefix}[${k}]` : prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, value]];
}

const cell = (present: boolean, v: unknown, width: number): string => {
  const text = present ? JSON.stringify(v) : "-";
  return (text.length > width ? text.slice(0, width - 1) + "…" : text).padEnd(width);
};

/** Both answers field by field, fields that differ first and marked. */
function sideBySide(v1: Answer, current: Answer): string {
  // v2 wraps every answer in {meta, data}: compare the key itself, and say so.
  const inner = (current.body as { data?: unknown }).data ?? current.body;
  const left = new Map(flatten(v1.body));
  const right = new Map(flatten(inner));
  const fields = [...new Set([...left.keys(), ...right.keys()])];
  const same = (f: string) => left.has(f) && right.has(f) && JSON.stringify(left.get(f)) === JSON.stringify(right.get(f));
  const rows = [...fields.filter((f) => !same(f)), ...fields.filter(same)];
  const w = { field: Math.min(28, Math.max(...fields.map((f) => f.length))) + 2, value: 34 };
  const header = `    ${"field".padEnd(w.field)}${`v1, served at ${v1.servedAt}`.padEnd(w.value + 2)}current, served at ${current.servedAt}`;
  const lines = rows.map((f) => {
    const text = `${f.padEnd(w.field)}${cell(left.has(f), left.get(f), w.value)}  ${cell(right.has(f), right.get(f), w.value)}`.trimEnd();
    return same(f) ? paint("2", `    ${text}`) : paint("1;33", `  * ${text}`);
  });
  const differ = rows.filter((f) => !same(f)).length;
  return [
    "Only the v2 handlers exist (src/v2/). The v1 answer below was made by the v2 handler and",
    "translated back by the changes in src/versions.ts. The demo key, asked for twice:",
    "",
    `  v1:      ${v1.call}  -> ${v1.status}, Unkey-Version: ${v1.servedAt}`,
    `  current: ${current.call}  -> ${current.status}, Unkey-Version: ${current.servedAt}`,
    `           (current answers are wrapped in {"meta": {"requestId": ...}, "data": <key>}; the table compares the key)`,
    "",
    paint("1", header),
    ...lines,
    "",
    `  * ${differ} of ${rows.length} fields differ between the two versions.`,
    "",
  ].join("\n");
}

async function showTheDifference(base: string): Promise<void> {
  try {
    const v1 = await ask(base, `GET /v1/keys.getKey?keyId=${DEMO.keyId}`, `/v1/keys.getKey?keyId=${DEMO.keyId}`);
    // An explicit version header: asking does not pin the demo workspace.
    const current = await ask(base, `POST /v2/keys.getKey {"keyId":"${DEMO.keyId}"}`, "/v2/keys.getKey", {
      method: "POST",
      headers: { "unkey-version": versions.latest.id },
      body: JSON.stringify({ keyId: DEMO.keyId }),
    });
    console.log(sideBySide(v1, current));
  } catch (err) {
    console.error(`(could not ask the server for the demo key: ${(err as Error).message})\n`);
  }
}

// Express 5 calls the listen callback with the error when the server cannot bind.
const server = app.listen(port, "127.0.0.1", async (err?: Error) => {
  if (err) failed(err);
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  console.log(`keys-api listening on ${base} (data: ${file})\n`);
  await showTheDifference(base);
  console.log(`versions: ${versions.supported.join(", ")} (${V1_VERSION_LABEL})\n`);
  console.log(curlExamples(base, DEMO));
  console.log(`\nAccount admins' page (open it in a browser): ${base}${SETTINGS_PATH}/`);
  console.log(`  sign in as ${DEMO.workspaceId}, password ${DEMO.rootKey} (the demo workspace's root key)\n`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () =>
    server.close(() => {
      // The last usage batch first: it goes to the same database.
      void close().finally(() => {
        db.close();
        process.exit(0);
      });
    }),
  );
}
