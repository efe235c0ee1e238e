import { defineVersions, memoryPins, payloadForAccount, renameField, change } from "@strata/core";

const versions = defineVersions({
  versions: [
    { id: "2025-09-01", changes: [renameField("key", "ownerId", "externalId")] },
    {
      id: "2025-01-15",
      changes: [
        change({
          description: "Events carry `data.object` instead of `data`.",
          event: (event) => ({ ...event, data: (event.data as { object: unknown }).object }),
        }),
      ],
    },
    { id: "2024-06-01" },
  ],
});

const event = () => ({ type: "key.created", data: { object: { object: "key", id: "key_1", externalId: "user_1" } } });

describe("payloadForAccount", () => {
  it("renders an event at the account's pin, through resource and event changes", async () => {
    const pins = memoryPins();
    await pins.pinIfAbsent("acct_old", "2024-06-01");
    await expect(payloadForAccount(versions, pins, "acct_old", event())).resolves.toEqual({
      version: "2024-06-01",
      payload: { type: "key.created", data: { object: "key", id: "key_1", ownerId: "user_1" } },
    });
  });

  it("renders at the pinned middle version only the changes after it", async () => {
    const pins = memoryPins();
    await pins.pinIfAbsent("acct_mid", "2025-01-15");
    const { payload } = await payloadForAccount(versions, pins, "acct_mid", event());
    expect(payload).toEqual({ type: "key.created", data: { object: { object: "key", id: "key_1", ownerId: "user_1" } } });
  });

  it("leaves the payload alone for an unpinned account", async () => {
    await expect(payloadForAccount(versions, memoryPins(), "nobody", event())).resolves.toEqual({ version: "2025-09-01", payload: event() });
  });
});

describe("payloadForAccount, one event for many accounts", () => {
  it("renders the same event object for each account without changing it", async () => {
    const pins = memoryPins();
    await pins.pinIfAbsent("acct_old", "2024-06-01");
    await pins.pinIfAbsent("acct_mid", "2025-01-15");
    const shared = event();
    const old = await payloadForAccount(versions, pins, "acct_old", shared);
    const mid = await payloadForAccount(versions, pins, "acct_mid", shared);
    const latest = await payloadForAccount(versions, pins, "nobody", shared);
    expect(old.payload).toEqual({ type: "key.created", data: { object: "key", id: "key_1", ownerId: "user_1" } });
    expect(mid.payload).toEqual({ type: "key.created", data: { object: { object: "key", id: "key_1", ownerId: "user_1" } } });
    expect(latest.payload).toEqual(event());
    expect(shared).toEqual(event());
  });

  it("renders a pin this instance does not configure at the nearest older version", async () => {
    const pins = memoryPins();
    await pins.set("acct_between", "2025-05-01", { actor: "test" });
    await expect(payloadForAccount(versions, pins, "acct_between", event())).resolves.toMatchObject({ version: "2025-01-15" });
  });
});
