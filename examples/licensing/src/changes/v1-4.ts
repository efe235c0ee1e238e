import { renameAttribute } from "./jsonapi";

/**
 * 1.4: machine strategies are named after machines, not fingerprints (Keygen's changelog,
 * September 2023; `rename_machine_*_strategy_to_fingerprint_*_strategy_for_policy`).
 */
export const uniquenessStrategyRenamed = renameAttribute(
  "policy",
  "fingerprintUniquenessStrategy",
  "machineUniquenessStrategy",
  "`fingerprintUniquenessStrategy` on policies is renamed to `machineUniquenessStrategy`.",
);

export const matchingStrategyRenamed = renameAttribute(
  "policy",
  "fingerprintMatchingStrategy",
  "machineMatchingStrategy",
  "`fingerprintMatchingStrategy` on policies is renamed to `machineMatchingStrategy`.",
);
