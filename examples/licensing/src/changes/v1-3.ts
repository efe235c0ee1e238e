import { change } from "@strata/core";

/**
 * 1.3: activating a machine starts its heartbeat. Keygen's layer for it
 * (`change_alive_status_to_not_started_for_machine`) rewrites the create response for older
 * clients. Here the difference is kept where it is made: the machine handler asks
 * `req.apiVersion.has(heartbeatStartsOnActivation)`, so a machine a 1.2 client activates is
 * NOT_STARTED in the database too, and every later read, validation and event agrees with
 * what that client was told. No payload transform could decide that.
 */
export const heartbeatStartsOnActivation = change({
  description:
    "Activating a machine on a policy that requires heartbeats counts as its first heartbeat: the new machine is `ALIVE`, with `lastHeartbeat` set. Before 1.3 it stayed `NOT_STARTED` until its first ping.",
  sideEffect: true,
  schema: [],
});
