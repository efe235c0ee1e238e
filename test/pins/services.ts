/**
 * PostgreSQL and Redis for the suites that need them: a missing service skips those suites
 * with one loud line naming it, so a first `npm test` without them stays readable; in CI
 * (`CI=true`) or with `STRATA_REQUIRE_SERVICES=1` a missing service fails the suite instead,
 * so CI can never go green by skipping.
 *
 * @example
 * whenService("postgres", () => describePinStoreConformance("postgres", make));
 * describeEachWithServices(backends, (b) => b.kind)("two processes sharing $kind", (b) => { ... });
 */
import { spawnSync } from "node:child_process";
import { relative } from "node:path";
import { PG_URL, REDIS_URL } from "./helpers";

export type ServiceName = "postgres" | "redis";

const SERVICES: Record<ServiceName, { label: string; url: string; env: string; defaultPort: number }> = {
  postgres: { label: "PostgreSQL", url: PG_URL, env: "STRATA_TEST_PG_URL", defaultPort: 5432 },
  redis: { label: "Redis", url: REDIS_URL, env: "STRATA_TEST_REDIS_URL", defaultPort: 6379 },
};

const isService = (name: string): name is ServiceName => Object.prototype.hasOwnProperty.call(SERVICES, name);

/** Missing services fail instead of skipping: in CI, or when asked to. */
export const servicesRequired = (): boolean => process.env.CI === "true" || process.env.STRATA_REQUIRE_SERVICES === "1";

/**
 * Whether a TCP connection to the service opens within 2 s: `undefined` if it does,
 * otherwise why not. Synchronous (a short child process) because jest registers tests
 * synchronously, before any async code could have run.
 */
function probe(url: string, defaultPort: number): string | undefined {
  let host: string;
  let port: number;
  try {
    const u = new URL(url);
    host = u.hostname.replace(/^\[|\]$/g, "");
    port = Number(u.port || defaultPort);
  } catch {
    return `cannot parse the URL`;
  }
  const script = `
    const s = require("node:net").connect({ host: ${JSON.stringify(host)}, port: ${port} });
    s.setTimeout(2000, () => { console.error("no answer within 2 s"); process.exit(1); });
    s.on("connect", () => { s.destroy(); process.exit(0); });
    s.on("error", (e) => { console.error(e.code || e.message); process.exit(1); });`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 5000 });
  return r.status === 0 ? undefined : r.stderr.trim() || "no answer";
}

const known = new Map<ServiceName, boolean>();

const redact = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
};

function testFile(): string {
  const path = (expect.getState() as { testPath?: string }).testPath;
  return path ? relative(process.cwd(), path) : "this suite";
}

/**
 * True if the service answers. If it does not: throws when services are required (the
 * suite fails, naming the service), otherwise prints one loud line and returns false.
 */
export function serviceAvailable(service: ServiceName): boolean {
  const cached = known.get(service);
  if (cached !== undefined) return cached;
  const { label, url, env } = SERVICES[service];
  const why = probe(url, SERVICES[service].defaultPort);
  if (why === undefined) {
    known.set(service, true);
    return true;
  }
  const where = `${label} is not reachable at ${redact(url)} (${why})`;
  if (servicesRequired()) {
    throw new Error(
      `${where}. These tests need it: start ${label} or point ${env} at one. (CI=true or STRATA_REQUIRE_SERVICES=1 make a missing service a failure, not a skip.)`,
    );
  }
  process.stderr.write(
    `\n>>> SKIPPED ${testFile()}: ${where}. Start ${label} or set ${env} to run these tests; CI=true or STRATA_REQUIRE_SERVICES=1 make this a failure.\n\n`,
  );
  known.set(service, false);
  return false;
}

/** Registers `register()` when every named service answers; otherwise the same tests, skipped. */
export function whenService(services: ServiceName | ServiceName[], register: () => void): void {
  const names = Array.isArray(services) ? services : [services];
  const missing = names.filter((s) => !serviceAvailable(s));
  if (missing.length === 0) register();
  else describe.skip(`needs ${missing.map((s) => SERVICES[s].label).join(" and ")}`, register);
}

/**
 * `describe.each(rows)` that skips the rows whose service (`postgres`, `redis`; any other
 * value, such as `sqlite`, needs none) does not answer.
 */
export function describeEachWithServices<T>(rows: readonly T[], serviceOf: (row: T) => string) {
  return (title: string, fn: (row: T) => void): void => {
    const live = rows.filter((row) => {
      const s = serviceOf(row);
      return !isService(s) || serviceAvailable(s);
    });
    const skipped = rows.filter((row) => !live.includes(row));
    // The casts: jest's `each` overloads do not infer a generic row type.
    const each = (d: jest.Describe, table: readonly T[]) => (d.each as unknown as (t: readonly T[]) => (name: string, f: (row: T) => void) => void)(table);
    if (live.length > 0) each(describe, live)(title, fn);
    if (skipped.length > 0) each(describe.skip, skipped)(title, fn);
  };
}

/** `describe` if the service answers, otherwise `describe.skip`. */
export const describeWith = (service: ServiceName): jest.Describe => (serviceAvailable(service) ? describe : describe.skip);
