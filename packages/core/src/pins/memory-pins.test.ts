import { memoryPins } from "@strata/core";

describe("memoryPins", () => {
  it("pins once and keeps the first version", async () => {
    const pins = memoryPins();
    const first = await pins.pinIfAbsent("a", "2024-01-01");
    const second = await pins.pinIfAbsent("a", "2025-01-01");
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, pin: { version: "2024-01-01" } });
  });
});
