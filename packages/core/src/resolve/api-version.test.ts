import { change, ConfigurationError, defineVersions, renameField, UnsupportedVersionError } from "@strata/core";

const scopesRequired = change({ description: "`scopes` is required when creating an API key.", sideEffect: true });
const ipsValidated = change({ description: "IP allowlists are validated.", sideEffect: true });
const versions = defineVersions({
  versions: [
    { id: "2026-08-01", changes: [scopesRequired] },
    { id: "2025-09-30.acacia", changes: [ipsValidated, renameField("key", "a", "b")] },
    { id: "2025-01-01" },
  ],
});

describe("ApiVersion", () => {
  it("has() a side-effect change from the version that introduced it on", () => {
    const at = (id: string) => versions.apiVersion(id);
    expect([at("2025-01-01").has(scopesRequired), at("2025-09-30.acacia").has(scopesRequired), at("2026-08-01").has(scopesRequired)]).toEqual([
      false,
      false,
      true,
    ]);
    expect([at("2025-01-01").has(ipsValidated), at("2025-09-30").has(ipsValidated), at("2026-08-01").has(ipsValidated)]).toEqual([false, true, true]);
  });

  it("has() throws for a change that is not part of the version set", () => {
    const stray = change({ description: "Stray.", sideEffect: true });
    expect(() => versions.apiVersion("2026-08-01").has(stray)).toThrow(ConfigurationError);
  });

  it("compares with isBefore and isAtLeast by id, alias or Version", () => {
    const v = versions.apiVersion("2025-09-30");
    expect(v.id).toBe("2025-09-30.acacia");
    expect(v.isBefore("2026-08-01")).toBe(true);
    expect(v.isBefore("2025-09-30.acacia")).toBe(false);
    expect(v.isBefore("2025-01-01")).toBe(false);
    expect(v.isAtLeast("2025-09-30")).toBe(true);
    expect(v.isAtLeast("2025-01-01")).toBe(true);
    expect(v.isAtLeast(versions.latest)).toBe(false);
    expect(v.isBefore(versions.latest)).toBe(true);
  });

  it("throws for an id the API does not have, listing the ones it has", () => {
    const v = versions.apiVersion("2025-01-01");
    expect(() => v.isBefore("2025-02-01")).toThrow(new RangeError('Unknown version "2025-02-01"; this API has 2026-08-01, 2025-09-30.acacia, 2025-01-01.'));
    expect(() => v.isAtLeast("soon")).toThrow(RangeError);
    expect(() => versions.apiVersion("2024-01-01")).toThrow(UnsupportedVersionError);
  });

  it("knows whether it is the latest, where it came from, and prints as its id", () => {
    expect(versions.apiVersion("2026-08-01", "header")).toMatchObject({ isLatest: true, source: "header" });
    expect(versions.apiVersion("2025-01-01")).toMatchObject({ isLatest: false, source: "default" });
    expect(String(versions.apiVersion("2025-09-30"))).toBe("2025-09-30.acacia");
    expect(JSON.stringify({ version: versions.apiVersion(versions.oldest) })).toBe('{"version":"2025-01-01"}');
  });
});
