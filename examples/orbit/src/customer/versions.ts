import { addEndpoint, change, defineVersions, moveEndpoint } from "@strata/core";

/**
 * The Customer API keeps its major version in the URL, so its versions are semver majors and
 * every change below is written against full paths, exactly as Orbit's migration guide lists
 * them. Only `/customer/v2` handlers exist; `/customer/v1` is these changes.
 */

const v1 = (route: string): string => route.replace(" /", " /customer/v1/");
const v2 = (route: string): string => route.replace(" /", " /customer/v2/");

/** The one path that moved (with no params to carry). */
const locationsMoved = moveEndpoint("GET /customer/v1/locations", "GET /customer/v2/licenses/locations", {
  description: "`GET /customer/v1/locations` moved into the licenses group: `GET /customer/v2/licenses/locations`.",
});

/**
 * The rest of the v1 surface changed only its base path; params (`:id`, `:ip`) carry over by
 * name. Listing each endpoint, rather than rewriting the whole `/customer/v1` prefix, keeps
 * the v1 surface exactly what v1 documented: a v2-only path never leaks into v1.
 */
const SAME_SHAPE = [
  "GET /licenses",
  "GET /licenses/:id",
  "POST /licenses/:id/reset-key",
  "POST /licenses/:id/regenerate-key",
  "GET /licenses/:id/ips",
  "POST /licenses/:id/ips",
  "DELETE /licenses/:id/ips/:ip",
] as const;
const basePathMoved = SAME_SHAPE.map((route) =>
  // `GET /licenses/:id` would also take v1's `GET /licenses/locations` (no such license) to
  // v2's locations list: it stays where it is, for the v2-only guard below to answer.
  moveEndpoint(v1(route), v2(route), route === "GET /licenses/:id" ? { except: [v1("GET /licenses/locations")] } : {}),
);

/** v2's new endpoint groups, as a v1 client would spell them: 404 problems that say "from 2.0". */
export const V2_ONLY = [
  "POST /auth/device/code",
  "POST /auth/device/token",
  "POST /auth/wallet/challenge",
  "POST /auth/wallet/verify",
  "GET /api-keys",
  "POST /api-keys",
  "PATCH /api-keys/:id",
  "DELETE /api-keys/:id",
  "GET /profile",
  "PATCH /profile",
  "GET /profile/balance",
  "GET /invoices",
  "GET /invoices/:id",
  "POST /invoices/:id/pay",
  // The new home of locations did not exist in v1 either (see the `except` above).
  "GET /licenses/locations",
] as const;
const v2OnlyAdded = addEndpoint(V2_ONLY.map(v1), {
  description: "New in v2 only: device and wallet sign-in, API keys, profile, balance and invoices.",
});

/** A behaviour no payload transform expresses, so the auth middleware asks `has(bearerTokens)`. */
export const bearerTokens = change({
  description: "`Authorization: Bearer <token>` (from the device or wallet flow) is accepted alongside `X-ORBIT-KEY`.",
  sideEffect: true,
});

export const customerVersions = defineVersions({
  scheme: "semver",
  versions: [
    { id: "2.0", description: "Customer API v2", changes: [v2OnlyAdded, locationsMoved, ...basePathMoved, bearerTokens] },
    { id: "1.0", description: "Customer API v1" },
  ],
});

/**
 * The URL fixes the major version, so a version header can never put a v2 path on v1 (or
 * back). Orbit's clients never send one (the header only echoes the major), so one naming the
 * other major is ignored rather than refused; a malformed one is still a 400.
 */
export const CUSTOMER_MAJORS = [
  { prefix: "/customer/v1", from: "1.0", to: "1.0", outside: "ignore" },
  { prefix: "/customer/v2", from: "2.0", to: "2.0", outside: "ignore" },
] as const;

/** The major a Customer API path belongs to. */
export const customerVersionOf = (path: string): string | undefined => CUSTOMER_MAJORS.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`))?.from;
