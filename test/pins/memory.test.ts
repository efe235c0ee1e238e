import { memoryPins } from "@strata/core";
import { describePinStoreConformance } from "./pin-store-conformance";

// Nothing outlives a memory store, so there is no second instance and no durability to test.
describePinStoreConformance("memory", async () => ({ store: memoryPins(), cleanup: async () => undefined }), { reopen: false });
