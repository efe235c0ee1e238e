import type { Machine, Policy } from "../db";

export type HeartbeatStatus = "NOT_STARTED" | "ALIVE" | "DEAD";

/** Without a duration on the policy, a heartbeat is good for ten minutes (Keygen's default). */
export const DEFAULT_HEARTBEAT_SECONDS = 600;

/**
 * A machine's heartbeat, derived from its last ping and its policy: NOT_STARTED until the
 * first ping, ALIVE while the last ping is within the policy's duration, DEAD after it.
 */
export function heartbeatOf(machine: Machine, policy: Policy, now: Date): { status: HeartbeatStatus; next: Date | null } {
  if (!machine.lastHeartbeatAt) return { status: "NOT_STARTED", next: null };
  const next = new Date(machine.lastHeartbeatAt.getTime() + (policy.heartbeatDuration ?? DEFAULT_HEARTBEAT_SECONDS) * 1000);
  return { status: next.getTime() < now.getTime() ? "DEAD" : "ALIVE", next };
}
