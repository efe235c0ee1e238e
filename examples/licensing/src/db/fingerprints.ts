import type Database from "better-sqlite3";
import type { License, Policy } from "./types";

/**
 * Whether a fingerprint is already activated within the scope the policy's
 * `machineUniquenessStrategy` names: the license, every license of the policy, of the
 * product, or of the whole account.
 */
export function fingerprintInUse(sql: Database.Database, fingerprint: string, license: License, policy: Policy): boolean {
  const base =
    "SELECT 1 FROM machines m JOIN licenses l ON l.id = m.license_id JOIN policies p ON p.id = l.policy_id WHERE m.account_id = ? AND m.fingerprint = ?";
  const [clause, value] = (
    {
      UNIQUE_PER_LICENSE: [" AND m.license_id = ?", license.id],
      UNIQUE_PER_POLICY: [" AND l.policy_id = ?", policy.id],
      UNIQUE_PER_PRODUCT: [" AND p.product_id = ?", policy.productId],
      UNIQUE_PER_ACCOUNT: ["", undefined],
    } as const
  )[policy.machineUniquenessStrategy];
  const args = value === undefined ? [license.accountId, fingerprint] : [license.accountId, fingerprint, value];
  return sql.prepare(`${base}${clause} LIMIT 1`).get(...args) !== undefined;
}
