import type { AddressInfo } from "node:net";
import { createApp } from "./app";
import { openDb } from "./db";
import { curlLines, DEMO, seedDemo } from "./demo";
import { demoReceiver } from "./demo-receiver";

const file = process.env.LICENSING_DB ?? "./licensing.db";
const port = Number(process.env.PORT ?? 3002);
const receiverPort = Number(process.env.WEBHOOK_PORT ?? port + 1);

const db = openDb(file);
// Pins live in the same file as the data, in Strata's own `strata_` tables.
const api = createApp({ db });

function failed(err: NodeJS.ErrnoException, what: string, envVar: string): never {
  if (err.code === "EADDRINUSE")
    console.error(`The port for ${what} is in use. Stop the other server or pick another: ${envVar}=<port> npm run start:licensing`);
  else console.error(`The licensing example could not start ${what}: ${err.message}`);
  void api.close().finally(() => db.close());
  process.exit(1);
}

async function main(): Promise<void> {
  const ids = await seedDemo(db, api.pins);
  const receiver = demoReceiver(db);
  receiver.on("error", (err) => failed(err, "the demo webhook receiver", "WEBHOOK_PORT"));
  await new Promise<void>((resolve) => receiver.listen(receiverPort, "127.0.0.1", resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;

  // Express 5 calls the listen callback with the error when the server cannot bind.
  const server = api.app.listen(port, "127.0.0.1", (err?: NodeJS.ErrnoException) => {
    if (err) failed(err, "the API", "PORT");
    const base = `http://localhost:${(server.address() as AddressInfo).port}`;
    console.log(`Licensing API (Keygen-style, versions ${api.versions.oldest.id} to ${api.versions.latest.id}) on ${base}; data in ${file}`);
    console.log(`Account "${DEMO.account}" (admin token ${DEMO.adminToken}), pinned at ${DEMO.pinnedAt}; webhook receiver on ${receiverUrl}\n`);
    console.log(curlLines(base, ids, receiverUrl));
    console.log(`\nAccount admins' page (open it in a browser): ${base}/v1/accounts/${DEMO.account}/settings/api-version/`);
    console.log(`  sign in with any user name and the admin token ${DEMO.adminToken} as the password\n`);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      receiver.close();
      server.close(() => void api.close().finally(() => (db.close(), process.exit(0))));
      server.closeAllConnections();
    });
  }
}

main().catch((err: unknown) => failed(err as NodeJS.ErrnoException, "its demo data", "LICENSING_DB"));
