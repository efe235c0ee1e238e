import type { AddressInfo } from "node:net";
import { createApp } from "./app";
import { DEMO_ORBIT_KEY } from "./customer/store";
import { ACME_ADMIN_KEY, LEGACY_ADMIN_KEY } from "./settings/keys";

const port = Number(process.env.PORT ?? 3001);

// Express 5 calls the listen callback with the error when the server cannot bind.
const server = createApp().listen(port, "127.0.0.1", (err?: NodeJS.ErrnoException) => {
  if (err) {
    if (err.code === "EADDRINUSE")
      console.error(`Port ${port} is already in use. Stop the other server or pick another port: PORT=${port + 1} npm run start:orbit`);
    else console.error(`orbit could not start: ${err.message}`);
    process.exit(1);
  }
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  const lines = [
    `Orbit example listening on ${base}`,
    "",
    "# Customer API: v2 handlers; v1 served by changes (same key, same shapes)",
    `curl -s ${base}/customer/v2/licenses -H "X-ORBIT-KEY: ${DEMO_ORBIT_KEY}"`,
    `curl -s ${base}/customer/v1/licenses -H "X-ORBIT-KEY: ${DEMO_ORBIT_KEY}"`,
    `curl -s ${base}/customer/v1/locations -H "X-ORBIT-KEY: ${DEMO_ORBIT_KEY}"   # moved to /customer/v2/licenses/locations`,
    `curl -s ${base}/customer/v1/profile -H "X-ORBIT-KEY: ${DEMO_ORBIT_KEY}"     # v2 only: 404 problem`,
    "",
    "# Settings API: dated versions (Orbit-Version header or the tenant's pin)",
    `curl -si -X POST ${base}/api/v1/settings/api-keys -H "X-API-Key: ${ACME_ADMIN_KEY}" -H "Content-Type: application/json" -d '{"name":"ci"}'   # 400: scopes required`,
    `curl -si -X POST ${base}/api/v1/settings/api-keys -H "X-API-Key: ${LEGACY_ADMIN_KEY}" -H "Content-Type: application/json" -d '{"name":"ci"}'   # pinned 2026-01-01: viewer key`,
    `curl -si -X POST ${base}/api/v1/settings/api-keys -H "X-API-Key: ${ACME_ADMIN_KEY}" -H "Content-Type: application/json" -d '{"name":"ci","scopes":["messages:write"],"allowed_ips":["127.0.0.1/32","::1/128"]}'`,
    `curl -s ${base}/api/v1/settings/whoami -H "X-API-Key: <key from the response above>"`,
  ];
  console.log(lines.join("\n"));
});

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
