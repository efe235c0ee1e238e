import createDebug from "debug";

/** `strata:compile` — what the chain compiler decided at startup. */
export const compileLog = createDebug("strata:compile");
/** `strata:migrate` — which chain ran for a request or payload, and which changes applied. */
export const migrateLog = createDebug("strata:migrate");
/** `strata:resolve` — how a request's version was found: pins, cache, store failures. */
export const resolveLog = createDebug("strata:resolve");
