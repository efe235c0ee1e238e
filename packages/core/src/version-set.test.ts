import { change, ConfigurationError, defineVersions, renameField, StrataError, type Change, type DefineVersionsOptions } from "@strata/core";

const rename = (n: number): Change => renameField("key", `a${n}`, `b${n}`);

/** The ConfigurationError `define` throws; fails the test if it throws anything else or nothing. */
function configError(define: () => unknown): ConfigurationError {
  try {
    define();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err).toBeInstanceOf(StrataError);
    expect((err as ConfigurationError).code).toBe("invalid_configuration");
    return err as ConfigurationError;
  }
  throw new Error("expected a ConfigurationError, nothing was thrown");
}

describe("defineVersions", () => {
  it("lists versions newest first with ordinals counting from the oldest", () => {
    const a = rename(1);
    const versions = defineVersions({ versions: [{ id: "2025-01-01", changes: [a] }, { id: "2024-06-01" }] });
    expect(versions.list.map((v) => [v.id, v.ordinal])).toEqual([
      ["2025-01-01", 1],
      ["2024-06-01", 0],
    ]);
    expect(versions.latest.id).toBe("2025-01-01");
    expect(versions.oldest.id).toBe("2024-06-01");
    expect(versions.versionOf(a).id).toBe("2025-01-01");
    expect(versions.list[0]!.releasedAt!.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(Object.isFrozen(versions)).toBe(true);
  });

  it("accepts a single version with no changes", () => {
    expect(defineVersions({ versions: [{ id: "2024-01-01" }] }).supported).toEqual(["2024-01-01"]);
  });

  describe("rejects at startup, naming the offender", () => {
    it("a version listed twice", () => {
      const err = configError(() => defineVersions({ versions: [{ id: "2024-06-01" }, { id: "2024-06-01" }] }));
      expect(err.offender).toBe("2024-06-01");
      expect(err.message).toMatch(/listed twice/);
    });

    it("two ids for the same date", () => {
      const err = configError(() => defineVersions({ versions: [{ id: "2024-09-30.acacia" }, { id: "2024-09-30" }] }));
      expect(err.offender).toBe("2024-09-30");
      expect(err.message).toContain("2024-09-30.acacia");
    });

    it("the same semver twice in two spellings", () => {
      const err = configError(() => defineVersions({ scheme: "semver", versions: [{ id: "1.0.0" }, { id: "1.0" }] }));
      expect(err.offender).toBe("1.0");
    });

    it("an id that does not parse", () => {
      const err = configError(() => defineVersions({ versions: [{ id: "2024-06-01" }, { id: "June 2023" }] }));
      expect(err.offender).toBe("June 2023");
      expect(err.message).toContain("not a valid date version");
    });

    it("an impossible calendar date", () => {
      expect(configError(() => defineVersions({ versions: [{ id: "2024-02-30" }] })).offender).toBe("2024-02-30");
    });

    it("a missing id", () => {
      const err = configError(() => defineVersions({ versions: [{ id: "2024-06-01" }, {} as never] }));
      expect(err.offender).toBe("versions[1]");
    });

    it("versions out of order", () => {
      const err = configError(() => defineVersions({ versions: [{ id: "2024-01-01" }, { id: "2024-06-01" }] }));
      expect(err.offender).toBe("2024-06-01");
      expect(err.message).toBe("Versions must be listed newest first: 2024-06-01 comes after the older 2024-01-01.");
    });

    it("an empty version list", () => {
      expect(configError(() => defineVersions({ versions: [] })).offender).toBe("versions");
    });

    it("changes on the oldest version", () => {
      const err = configError(() => defineVersions({ versions: [{ id: "2025-01-01" }, { id: "2024-06-01", changes: [rename(1)] }] }));
      expect(err.offender).toBe("2024-06-01");
      expect(err.message).toContain("oldest version 2024-06-01");
    });

    it("one change attached to two versions", () => {
      const shared = rename(1);
      const err = configError(() =>
        defineVersions({ versions: [{ id: "2025-01-01", changes: [shared] }, { id: "2024-09-01", changes: [shared] }, { id: "2024-06-01" }] }),
      );
      expect(err.offender).toBe(shared.description);
      expect(err.message).toContain("both 2025-01-01 and 2024-09-01");
    });

    it("the same change twice in one version", () => {
      const twice = rename(1);
      const err = configError(() => defineVersions({ versions: [{ id: "2025-01-01", changes: [twice, twice] }, { id: "2024-06-01" }] }));
      expect(err.offender).toBe(twice.description);
      expect(err.message).toContain("version 2025-01-01 twice");
    });

    it("two changes with the same description in one version", () => {
      const one = change({ description: "Keys changed.", resource: "key", response: () => undefined });
      const two = change({ description: "Keys changed.", resource: "key", request: () => undefined });
      const err = configError(() => defineVersions({ versions: [{ id: "2025-01-01", changes: [one, two] }, { id: "2024-06-01" }] }));
      expect(err.offender).toBe("Keys changed.");
      expect(err.message).toContain("two changes described");
    });

    it("an unknown top-level option", () => {
      const err = configError(() => defineVersions({ versions: [{ id: "2024-06-01" }], header: "Api-Version" } as DefineVersionsOptions));
      expect(err.offender).toBe("header");
    });

    it("an unknown version option", () => {
      const err = configError(() => defineVersions({ versions: [{ id: "2024-06-01", released: "2024-06-01" } as never] }));
      expect(err.offender).toBe("2024-06-01");
      expect(err.message).toContain("`released`");
    });

    it("a change entry that was not made with change()", () => {
      const fake = { kind: "resource", description: "hand-made" } as unknown as Change;
      const err = configError(() => defineVersions({ versions: [{ id: "2025-01-01", changes: [fake] }, { id: "2024-06-01" }] }));
      expect(err.offender).toBe("2025-01-01");
    });

    it("a resource change about a resource `resources` does not declare", () => {
      const typo = renameField("kye", "ownerId", "externalId");
      const err = configError(() =>
        defineVersions({
          resources: { key: (v) => typeof v.keyId === "string" },
          versions: [{ id: "2025-01-01", changes: [typo] }, { id: "2024-06-01" }],
        }),
      );
      expect(err.offender).toBe(typo.description);
      expect(err.message).toContain('resource "kye"');
      expect(err.message).toContain("declared: key");
    });

    it("a resource without a predicate", () => {
      const err = configError(() => defineVersions({ resources: { key: "keyId" as never }, versions: [{ id: "2024-06-01" }] }));
      expect(err.offender).toBe("key");
    });

    it("a date that does not parse", () => {
      const err = configError(() => defineVersions({ versions: [{ id: "2025-01-01", deprecatedAt: "someday" }, { id: "2024-06-01" }] }));
      expect(err.offender).toBe("2025-01-01");
      expect(err.message).toContain("`deprecatedAt` is not a valid date: someday");
    });

    it("a sunset before the deprecation", () => {
      const err = configError(() =>
        defineVersions({ versions: [{ id: "2025-01-01" }, { id: "2024-06-01", deprecatedAt: "2025-06-01", sunsetAt: "2025-01-01" }] }),
      );
      expect(err.offender).toBe("2024-06-01");
      expect(err.message).toContain("`sunsetAt` is before `deprecatedAt`");
    });

    it("a deprecated latest version", () => {
      const err = configError(() => defineVersions({ versions: [{ id: "2025-01-01", deprecatedAt: "2025-06-01" }, { id: "2024-06-01" }] }));
      expect(err.offender).toBe("2025-01-01");
      expect(err.message).toContain("latest version 2025-01-01 cannot be deprecated");
    });

    it("a sunset latest version", () => {
      expect(configError(() => defineVersions({ versions: [{ id: "2025-01-01", sunsetAt: "2026-01-01" }] })).offender).toBe("2025-01-01");
    });
  });

  describe("lookups", () => {
    const a = rename(1);
    const versions = defineVersions({ versions: [{ id: "2025-01-01", changes: [a] }, { id: "2024-06-01" }] });

    it("versionOf() throws for a change that belongs to no version of the set", () => {
      const stray = rename(2);
      const err = configError(() => versions.versionOf(stray));
      expect(err.offender).toBe(stray.description);
    });

    it("refuses a Version object from another set", () => {
      const other = defineVersions({ versions: [{ id: "2025-01-01" }] });
      const err = configError(() => versions.migrateRequest({ method: "GET", path: "/", query: {}, headers: {}, body: undefined }, other.latest));
      expect(err.offender).toBe("2025-01-01");
    });

    it("keeps explicit release dates and lifecycle dates", () => {
      const dated = defineVersions({
        versions: [
          { id: "2025-01-01", releasedAt: "2025-01-03" },
          { id: "2024-06-01", deprecatedAt: new Date("2025-01-03T00:00:00Z"), sunsetAt: "2026-01-01" },
        ],
      });
      expect(dated.latest.releasedAt!.toISOString()).toBe("2025-01-03T00:00:00.000Z");
      expect(dated.oldest.deprecatedAt!.toISOString()).toBe("2025-01-03T00:00:00.000Z");
      expect(dated.oldest.sunsetAt!.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    });
  });
});
