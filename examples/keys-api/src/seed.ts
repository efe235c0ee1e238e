import type { Db } from "./db";
import { hashKey } from "./db/util";

/** The demo workspace `npm start` creates; fixed ids so the printed curl lines always work. */
export const DEMO = {
  workspaceId: "ws_demo",
  rootKey: "unkey_demo_root_key_do_not_use_in_production",
  apiId: "api_demo",
  keyId: "key_demo",
  key: "sk_demo_3ZTr1GxqHsB8yLdUeVm2K",
  externalId: "user_123",
} as const;

/** Create the demo workspace, root key, API and key unless they exist. Safe to run on every start. */
export function seedDemo(db: Db): void {
  db.transaction(() => {
    if (db.workspaces.get(DEMO.workspaceId)) return;
    db.workspaces.create("Demo workspace", DEMO.workspaceId);
    db.workspaces.addRootKey(DEMO.workspaceId, DEMO.rootKey, "demo");
    db.workspaces.createApi(DEMO.workspaceId, "demo-api", { id: DEMO.apiId });
    const identity = db.identities.create(DEMO.workspaceId, DEMO.externalId, { plan: "pro" });
    db.keys.insert({
      id: DEMO.keyId,
      workspaceId: DEMO.workspaceId,
      apiId: DEMO.apiId,
      hash: hashKey(DEMO.key),
      start: DEMO.key.slice(0, 11),
      name: "Customer X",
      identityId: identity.id,
      meta: { tier: "gold" },
      credits: { remaining: 1000, refill: { interval: "monthly", amount: 1000, refillDay: 1 } },
      enabled: true,
    });
    db.ratelimits.replace({ keyId: DEMO.keyId }, [{ name: "default", limit: 10, duration: 60_000, autoApply: true }]);
  });
}
