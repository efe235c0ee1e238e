import { createServer, type Server } from "node:http";
import type { Db } from "./db";
import { SIGNATURE_HEADER, verifyDelivery } from "./webhooks";

/**
 * What a customer's webhook handler does, for the demo: read the raw body, verify
 * `Keygen-Signature` with the account's public key (before parsing anything), then use the
 * event, whose payload is at the endpoint's version.
 */
export function demoReceiver(db: Db, log: (line: string) => void = console.log): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const header = req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined;
      const keyId = /keyid="([^"]+)"/.exec(header ?? "")?.[1];
      const account = keyId ? db.accounts.find(keyId) : undefined;
      const problem = account ? verifyDelivery({ body, header, key: account.publicKey }) : "unknown keyid";
      if (problem) {
        log(`webhook refused: ${problem}`);
        return void res.writeHead(400).end(problem);
      }
      const { data } = JSON.parse(body) as { data: { attributes: { event: string; apiVersion: string; payload: string } } };
      log(`webhook ${data.attributes.event} at ${data.attributes.apiVersion} (signature ok): ${data.attributes.payload.slice(0, 160)}...`);
      res.writeHead(204).end();
    });
  });
}
