import { customScheme, dateScheme, defineVersions, InvalidVersionError, semverScheme, UnsupportedVersionError } from "@strata/core";

describe("version schemes", () => {
  describe("date", () => {
    it("accepts ISO calendar dates, with or without a release name", () => {
      expect(dateScheme.normalize("2024-06-20")).toBe("2024-06-20");
      expect(dateScheme.normalize("2024-02-29")).toBe("2024-02-29");
      expect(dateScheme.normalize("2024-09-30.acacia")).toBe("2024-09-30.acacia");
      expect(dateScheme.normalize(" 2024-06-20 ")).toBe("2024-06-20");
    });

    it("rejects dates that do not exist on the calendar", () => {
      expect(dateScheme.normalize("2024-02-30")).toBeUndefined();
      expect(dateScheme.normalize("2023-02-29")).toBeUndefined();
      expect(dateScheme.normalize("2024-13-01")).toBeUndefined();
      expect(dateScheme.normalize("2024-04-31")).toBeUndefined();
      expect(dateScheme.normalize("2024-00-10")).toBeUndefined();
    });

    it("rejects anything that is not YYYY-MM-DD[.name]", () => {
      for (const bad of ["", "2024-6-20", "20240620", "2024/06/20", "2024-06-20.", "2024-06-20.Acacia", "2024-06-20T00:00:00Z", "latest"]) {
        expect(dateScheme.normalize(bad)).toBeUndefined();
      }
    });

    it("orders by date, ignoring the release name", () => {
      expect(dateScheme.compare("2024-06-20", "2024-09-30.acacia")).toBe(-1);
      expect(dateScheme.compare("2024-09-30.acacia", "2024-06-20")).toBe(1);
      expect(dateScheme.compare("2024-09-30.acacia", "2024-09-30")).toBe(0);
    });

    it("implies the release date from the id", () => {
      expect(dateScheme.impliedDate!("2024-09-30.acacia")!.toISOString()).toBe("2024-09-30T00:00:00.000Z");
    });

    it("resolves the bare date to a version whose id carries a release name", () => {
      const versions = defineVersions({ versions: [{ id: "2024-09-30.acacia" }, { id: "2024-06-20" }] });
      expect(versions.resolve("2024-09-30").id).toBe("2024-09-30.acacia");
      expect(versions.resolve("2024-09-30.acacia").id).toBe("2024-09-30.acacia");
      expect(versions.get("2024-09-30")!.id).toBe("2024-09-30.acacia");
      expect(versions.supported).toEqual(["2024-09-30.acacia", "2024-06-20"]);
    });

    it("refuses malformed and unknown client versions with different errors", () => {
      const versions = defineVersions({ versions: [{ id: "2024-09-30.acacia" }, { id: "2024-06-20" }] });
      expect(() => versions.resolve("2024-02-30")).toThrow(InvalidVersionError);
      expect(() => versions.resolve("2025-01-01")).toThrow(UnsupportedVersionError);
      expect(() => versions.resolve("2024-09-30.basil")).toThrow(UnsupportedVersionError);
      expect(versions.get("2024-02-30")).toBeUndefined();
    });
  });

  describe("semver", () => {
    it("accepts major.minor and major.minor.patch", () => {
      expect(semverScheme.normalize("1.0")).toBe("1.0");
      expect(semverScheme.normalize("1.2.3")).toBe("1.2.3");
      for (const bad of ["1", "v1.0", "1.0.0-beta", "1.x", "", "01.0"]) expect(semverScheme.normalize(bad)).toBeUndefined();
    });

    it("orders numerically, so 1.10 is newer than 1.9", () => {
      expect(semverScheme.compare("1.10", "1.9")).toBe(1);
      expect(semverScheme.compare("1.9", "1.10")).toBe(-1);
      expect(semverScheme.compare("1.0", "1.0.0")).toBe(0);
      const versions = defineVersions({ scheme: "semver", versions: [{ id: "1.10" }, { id: "1.9" }, { id: "1.2" }] });
      expect(versions.list.map((v) => [v.id, v.ordinal])).toEqual([
        ["1.10", 2],
        ["1.9", 1],
        ["1.2", 0],
      ]);
    });

    it("treats 1.0 and 1.0.0 as the same version, keeping the configured spelling canonical", () => {
      const short = defineVersions({ scheme: "semver", versions: [{ id: "1.1" }, { id: "1.0" }] });
      expect(short.resolve("1.0.0").id).toBe("1.0");
      expect(short.resolve("1.1.0").id).toBe("1.1");
      const long = defineVersions({ scheme: "semver", versions: [{ id: "1.1.0" }, { id: "1.0.0" }] });
      expect(long.resolve("1.0").id).toBe("1.0.0");
      expect(long.resolve("1.1").id).toBe("1.1.0");
    });

    it("does not alias a non-zero patch to its minor", () => {
      const versions = defineVersions({ scheme: "semver", versions: [{ id: "1.1.2" }, { id: "1.0" }] });
      expect(() => versions.resolve("1.1")).toThrow(UnsupportedVersionError);
      expect(() => versions.resolve("one")).toThrow(InvalidVersionError);
    });
  });

  describe("customScheme", () => {
    const releases = ["alpha", "beta", "gamma"];
    const greek = customScheme({
      name: "greek",
      normalize: (id) => (releases.includes(id.toLowerCase()) ? id.toLowerCase() : undefined),
      compare: (a, b) => releases.indexOf(a) - releases.indexOf(b),
    });

    it("orders and normalises with the given functions", () => {
      const versions = defineVersions({ scheme: greek, versions: [{ id: "gamma" }, { id: "beta" }, { id: "alpha" }] });
      expect(versions.scheme.name).toBe("greek");
      expect(versions.resolve("BETA").id).toBe("beta");
      expect(versions.latest.id).toBe("gamma");
      expect(versions.oldest.id).toBe("alpha");
      expect(() => versions.resolve("delta")).toThrow(InvalidVersionError);
    });

    it("rejects versions listed out of the scheme's order", () => {
      expect(() => defineVersions({ scheme: greek, versions: [{ id: "alpha" }, { id: "beta" }] })).toThrow(/newest first/);
    });

    it("defaults to accepting any non-empty trimmed string", () => {
      const plain = customScheme({ compare: (a, b) => a.localeCompare(b) });
      expect(plain.name).toBe("custom");
      expect(plain.normalize(" b ")).toBe("b");
      expect(plain.normalize("  ")).toBeUndefined();
    });
  });
});
