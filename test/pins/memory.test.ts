import { memoryPins } from "@strata/core";
import { describePinStoreConformance } from "./pin-store-conformance";
import { describeUsageConformance } from "./usage-conformance";

// Nothing outlives a memory store, so there is no second instance and no durability to test.
describePinStoreConformance("memory", async () => ({ store: memoryPins(), cleanup: async () => undefined }), { reopen: false });

describe("every store's options", () => {
  // One checker for every factory: unknown options are refused, naming the option.
  it.each([
    ["sqlitePins", () => require("@strata/store-sqlite").sqlitePins({ filename: ":memory:", tablePrefx: "x_" })],
    ["postgresPins", () => require("@strata/store-postgres").postgresPins({ connectionString: "postgres://localhost/x", schmea: "s" })],
    ["redisPins", () => require("@strata/store-redis").redisPins({ url: "redis://localhost", prefx: "p" })],
  ])("%s refuses an unknown option with a ConfigurationError naming it", (_name, make) => {
    expect(make).toThrow(expect.objectContaining({ name: "ConfigurationError", code: "invalid_configuration" }));
    expect(make).toThrow(/is not an option\. Known options: /);
  });
});

describeUsageConformance("memory", async () => ({ store: memoryPins(), cleanup: async () => undefined }), { reopen: false });
