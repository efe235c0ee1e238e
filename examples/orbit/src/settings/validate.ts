import { invalidField, objectBody } from "../problems";
import { parseAllowlist } from "./ip-allowlist";
import type { ExpiresIn, KeyMode, KeyType, MintInput } from "./keys";

const FIELDS = ["name", "type", "scopes", "mode", "expiresIn", "allowed_ips"] as const;
const SCOPE = /^(?:\*|[a-z][a-z0-9_-]*:(?:\*|[a-z][a-z0-9_-]*))$/;
const MAX_SCOPES = 50;

/**
 * The create-key body, validated. `scopesRequired` comes from the request's API version; the
 * version id is passed only to name it in the error.
 */
export function parseCreateKey(body: unknown, rules: { scopesRequired: boolean; requiredSince: string }): MintInput {
  const b = objectBody(body, FIELDS);
  if (typeof b.name !== "string" || b.name.trim() === "" || b.name.length > 100) {
    throw invalidField("name", "`name` is required: a label of 1 to 100 characters.");
  }
  return {
    name: b.name.trim(),
    type: oneOf<KeyType>(b.type, "type", ["secret", "public"], "secret"),
    mode: oneOf<KeyMode>(b.mode, "mode", ["live", "test"], "live"),
    expiresIn: oneOf<ExpiresIn>(b.expiresIn, "expiresIn", ["never", "30d", "90d", "1y"], "never"),
    scopes: parseScopes(b.scopes, rules),
    allowlist: parseAllowlist(b.allowed_ips),
  };
}

function parseScopes(value: unknown, rules: { scopesRequired: boolean; requiredSince: string }): string[] {
  if (value !== undefined && (!Array.isArray(value) || value.some((s) => typeof s !== "string" || !SCOPE.test(s)))) {
    throw invalidField("scopes", "`scopes` must be an array of scope names such as `messages:write`.");
  }
  const scopes = [...new Set((value ?? []) as string[])];
  if (scopes.length > MAX_SCOPES) throw invalidField("scopes", `\`scopes\` accepts at most ${MAX_SCOPES} scopes.`);
  if (scopes.length === 0 && rules.scopesRequired) {
    throw invalidField(
      "scopes",
      `\`scopes\` is required and must list at least one scope from API version ${rules.requiredSince}. Older versions mint empty-scope keys as least-privilege viewers.`,
    );
  }
  return scopes;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !allowed.includes(value as T)) throw invalidField(field, `\`${field}\` must be one of ${allowed.join(", ")}.`);
  return value as T;
}
