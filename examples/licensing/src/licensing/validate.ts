import type { License, Machine, OverageStrategy, Policy } from "../db";
import { heartbeatOf } from "./heartbeat";

/** What a validation answers in `meta` (1.6: `code`; 1.0 and 1.1 named it `constant`). */
export interface Validation {
  valid: boolean;
  detail: string;
  code: string;
}

/** What a client asks a validation to check besides the license itself. */
export interface ValidationScope {
  fingerprint?: string;
  fingerprints?: string[];
  product?: string;
  policy?: string;
}

export function licenseStatus(license: License, now: Date): "ACTIVE" | "EXPIRED" | "SUSPENDED" {
  if (license.suspended) return "SUSPENDED";
  if (license.expiry && license.expiry.getTime() < now.getTime()) return "EXPIRED";
  return "ACTIVE";
}

/** How many machines the overage strategy tolerates, for a policy limit of `max`. */
export function machineAllowance(max: number, strategy: OverageStrategy): number {
  switch (strategy) {
    case "ALWAYS_ALLOW_OVERAGE":
      return Number.POSITIVE_INFINITY;
    case "ALLOW_1_25X_OVERAGE":
      return Math.floor(max * 1.25);
    case "ALLOW_1_5X_OVERAGE":
      return Math.floor(max * 1.5);
    case "ALLOW_2X_OVERAGE":
      return max * 2;
    default:
      return max;
  }
}

const result = (valid: boolean, code: string, detail: string): Validation => ({ valid, code, detail });

/**
 * Validate a license, in Keygen's order: the license's own state, then the scope the client
 * asked about, then its machines. Since 1.2 an overage the policy tolerates is reported as
 * TOO_MANY_MACHINES with `valid: true`; the 1.2 change answers older clients `valid: false`.
 */
export function validateLicense(license: License, policy: Policy, machines: Machine[], scope: ValidationScope, now: Date): Validation {
  const status = licenseStatus(license, now);
  if (status === "SUSPENDED") return result(false, "SUSPENDED", "is suspended");
  if (status === "EXPIRED") return result(false, "EXPIRED", "is expired");
  if (scope.product !== undefined && scope.product !== policy.productId) return result(false, "PRODUCT_SCOPE_MISMATCH", "product scope does not match");
  if (scope.policy !== undefined && scope.policy !== policy.id) return result(false, "POLICY_SCOPE_MISMATCH", "policy scope does not match");

  const fingerprints = scope.fingerprints ?? (scope.fingerprint !== undefined ? [scope.fingerprint] : undefined);
  const noMachines = () =>
    policy.floating
      ? result(false, "NO_MACHINES", "must have at least 1 associated machine")
      : result(false, "NO_MACHINE", "must have exactly 1 associated machine");
  if (fingerprints !== undefined) {
    if (machines.length === 0) return noMachines();
    const matching = machines.filter((m) => fingerprints.includes(m.fingerprint));
    if (matching.length < matchesNeeded(policy, fingerprints.length)) {
      return result(false, "FINGERPRINT_SCOPE_MISMATCH", "fingerprint is not activated (does not match enough associated machines)");
    }
    if (policy.requireHeartbeat) {
      const beats = matching.map((m) => heartbeatOf(m, policy, now).status);
      if (beats.includes("DEAD")) return result(false, "HEARTBEAT_DEAD", "machine heartbeat is dead");
      if (beats.includes("NOT_STARTED")) return result(false, "HEARTBEAT_NOT_STARTED", "machine is not activated (heartbeat not started)");
    }
  } else if (policy.strict && machines.length === 0) {
    return noMachines();
  }
  if (policy.maxMachines !== null && machines.length > policy.maxMachines) {
    const tolerated = machines.length <= machineAllowance(policy.maxMachines, policy.overageStrategy);
    return result(tolerated, "TOO_MANY_MACHINES", "has too many associated machines");
  }
  return result(true, "VALID", "is valid");
}

function matchesNeeded(policy: Policy, asked: number): number {
  switch (policy.machineMatchingStrategy) {
    case "MATCH_TWO":
      return Math.min(2, asked);
    case "MATCH_MOST":
      return Math.floor(asked / 2) + 1;
    case "MATCH_ALL":
      return asked;
    default:
      return 1;
  }
}
