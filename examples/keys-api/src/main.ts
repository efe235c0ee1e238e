import { sqlitePins } from "@strata/store-sqlite";
import { createApp } from "./app";
import { openDb } from "./db";
import { DEMO, seedDemo } from "./seed";
import { V1_VERSION_LABEL, curlExamples } from "./curl";

const file = process.env.KEYS_API_DB ?? "./keys-api.db";
const port = Number(process.env.PORT ?? 3000);

const db = openDb(file);
seedDemo(db);
// Pins live in the same file as the data, in their own `strata_` tables.
const { app, versions } = createApp({ db, pins: sqlitePins({ database: db.sql }) });

function failed(err: NodeJS.ErrnoException): never {
  if (err.code === "EADDRINUSE") console.error(`Port ${port} is already in use. Stop the other server or pick another port: PORT=${port + 1} npm start`);
  else console.error(`keys-api could not start: ${err.message}`);
  db.close();
  process.exit(1);
}

// Express 5 calls the listen callback with the error when the server cannot bind.
const server = app.listen(port, "127.0.0.1", (err?: Error) => {
  if (err) failed(err);
  const base = `http://localhost:${port}`;
  console.log(`keys-api listening on ${base} (data: ${file})`);
  console.log(`versions: ${versions.supported.join(", ")} (${V1_VERSION_LABEL})\n`);
  console.log(curlExamples(base, DEMO));
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(() => {
    db.close();
    process.exit(0);
  }));
}
