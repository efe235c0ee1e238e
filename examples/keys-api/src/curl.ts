import { V1, V2_LAUNCH } from "./versions";

export const V1_VERSION_LABEL = `/v1 is served at ${V1}`;

/** Copy-paste ready curl lines showing one key at v1 and at two v2 dates. */
export function curlExamples(base: string, demo: { rootKey: string; keyId: string; key: string }): string {
  const auth = `-H 'Authorization: Bearer ${demo.rootKey}'`;
  const json = "-H 'Content-Type: application/json'";
  return [
    "# The same key at v1 (GET with a query, bare response, ownerId/remaining/refill/ratelimit):",
    `curl -s '${base}/v1/keys.getKey?keyId=${demo.keyId}' ${auth}`,
    "",
    `# ...at v2 as launched (${V2_LAUNCH}: POST, {meta, data}, externalId/credits/ratelimits):`,
    `curl -s -X POST ${base}/v2/keys.getKey ${auth} ${json} -H 'Unkey-Version: ${V2_LAUNCH}' -d '{"keyId":"${demo.keyId}"}'`,
    "",
    "# ...and at the latest version (adds lastUsedAt once the key was verified):",
    `curl -s -X POST ${base}/v2/keys.verifyKey ${auth} ${json} -d '{"key":"${demo.key}"}'`,
    `curl -s -X POST ${base}/v2/keys.getKey ${auth} ${json} -H 'Unkey-Version: 2025-10-01' -d '{"keyId":"${demo.keyId}"}'`,
    "",
    "# Verify at v1 (apiId is still checked for v1 clients):",
    `curl -s -X POST ${base}/v1/keys.verifyKey ${auth} ${json} -d '{"apiId":"api_demo","key":"${demo.key}"}'`,
    "",
    "# Errors come back in each version's format:",
    `curl -s '${base}/v1/keys.getKey?keyId=key_nope' ${auth}`,
    `curl -s -X POST ${base}/v2/keys.getKey ${auth} ${json} -d '{"keyId":"key_nope"}'`,
    "",
  ].join("\n");
}
