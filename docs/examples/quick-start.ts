// The README's quick start, runnable: a v1 client and a v2 client served by one handler.
import express from "express";
import { change, defineVersions, memoryPins, moveQueryToBody, renameField } from "@strata/core";
import { strataErrorHandler, versioning } from "@strata/express";

// A change is a changelog line with its translation beside it.
const ownerIdRenamed = renameField("key", "ownerId", "externalId");
const getKeyIsPost = moveQueryToBody("GET /v1/keys.getKey", "POST /v2/keys.getKey", { types: { decrypt: "boolean" } });
const v2Envelope = change({
  description: "Responses are wrapped in `{ meta, data }`.",
  routes: "POST /v2/keys.getKey",
  response: (res) => {
    res.body = (res.body as { data: unknown }).data;
  },
});

// The version list reads like the changelog, newest first.
export const versions = defineVersions({
  versions: [{ id: "2025-09-01", changes: [ownerIdRenamed] }, { id: "2025-01-15", changes: [getKeyIsPost, v2Envelope] }, { id: "2024-06-01" }],
});

export function createApp() {
  const app = express();
  app.use(versioning({ versions, header: "Api-Version", account: (req) => req.get("x-account"), pins: memoryPins() }));
  app.use(express.json());
  // Only the newest handler exists.
  app.post("/v2/keys.getKey", (req, res) => {
    res.json({ meta: { requestId: "req_1" }, data: { object: "key", keyId: req.body.keyId, externalId: "user_42" } });
  });
  app.use(strataErrorHandler());
  return app;
}
