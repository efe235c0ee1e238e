import type { PinStore } from "@strata/core";
import type { Db } from "./db";
import { seedAccount } from "./seed";

/** The demo's fixed credentials: printed by `npm run start:licensing`, for local use only. */
export const DEMO = {
  account: "demo",
  adminToken: "admin-demo-4c1f0e9b2a7d6e5f8a3b",
  licenseKey: "DEMO-1A2B3C-4D5E6F-V3",
  /** The demo account signed up when 1.3 was current: requests without a header are served at 1.3. */
  pinnedAt: "1.3",
} as const;

export interface DemoIds {
  accountId: string;
  licenseId: string;
  policyId: string;
  productId: string;
}

/** Seed the demo account once (a restart finds it) and pin it at 1.3 unless it is pinned already. */
export async function seedDemo(db: Db, pins: PinStore): Promise<DemoIds> {
  const existing = db.accounts.find(DEMO.account);
  const accountId = existing?.id ?? seedAccount(db, { slug: DEMO.account, name: "Demo", adminToken: DEMO.adminToken, licenseKey: DEMO.licenseKey }).account.id;
  await pins.pinIfAbsent(accountId, DEMO.pinnedAt);
  const license = db.licenses.byKey(accountId, DEMO.licenseKey)!;
  const policy = db.policies.get(accountId, license.policyId)!;
  return { accountId, licenseId: license.id, policyId: policy.id, productId: policy.productId };
}

/** Copy-paste ready curl lines: the header, the pin move, a webhook endpoint. */
export function curlLines(base: string, ids: DemoIds, receiverUrl: string): string {
  const api = `${base}/v1/accounts/${DEMO.account}`;
  const auth = `-H 'Authorization: Bearer ${DEMO.adminToken}'`;
  const json = "-H 'Content-Type: application/vnd.api+json'";
  const license = `${api}/licenses/${ids.licenseId}`;
  return [
    `# 1. The demo account is pinned at ${DEMO.pinnedAt}: no header, and the answer is 1.3's (Keygen-Version: 1.3)`,
    `curl -si ${license} ${auth}`,
    "",
    "# 2. Per request, Keygen-Version picks another version (no 'v' prefix): a 1.0 client, then 1.6",
    `curl -s ${license} ${auth} -H 'Keygen-Version: 1.0'`,
    `curl -s ${license} ${auth} -H 'Keygen-Version: 1.6'`,
    `curl -s ${license} ${auth} -H 'Keygen-Version: v1.6'   # 400: drop the "v"`,
    "",
    "# 3. Validate the key (no token: the key is the credential); 1.1 says meta.constant, 1.6 meta.code",
    `curl -s -X POST ${api}/licenses/actions/validate-key ${json} -H 'Keygen-Version: 1.1' -d '{"meta":{"key":"${DEMO.licenseKey}"}}'`,
    `curl -s -X POST ${api}/licenses/actions/validate-key ${json} -d '{"meta":{"key":"${DEMO.licenseKey}"}}'`,
    "",
    "# 4. A webhook endpoint at 1.0 (without apiVersion it takes the account's pin); events go to the demo receiver",
    `curl -s -X POST ${api}/webhook-endpoints ${auth} ${json} -d '{"data":{"type":"webhook-endpoints","attributes":{"url":"${receiverUrl}","apiVersion":"1.0"}}}'`,
    `curl -s -X POST ${api}/licenses ${auth} ${json} -d '{"data":{"type":"licenses","relationships":{"policy":{"data":{"type":"policies","id":"${ids.policyId}"}}}}}'`,
    `curl -s ${api}/webhook-events ${auth}   # the delivery log: status, attempts, last error`,
    "",
    "# 5. Move the pin: what changed since 1.3, upgrade to 1.6, roll back (within 72 hours)",
    `curl -s ${api}/settings/api-version ${auth}`,
    `curl -s -X POST ${api}/settings/api-version/upgrade ${auth} -H 'Content-Type: application/json' -d '{"version":"1.6","reason":"SDK upgrade"}'`,
    `curl -s -X POST ${api}/settings/api-version/rollback ${auth}`,
    "",
    "# Every version's contract",
    `curl -s ${base}/v1/openapi/1.0.json`,
    "",
  ].join("\n");
}
