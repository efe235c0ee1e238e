import { change, type JsonObject } from "@strata/core";
import { dropUnusedSchemas, eachOperation, ref, reword } from "./schema-edit";
import { isObject } from "./util";

export const responsesGetEnvelope = change({
  description: "Responses are wrapped as `{meta: {requestId}, data}`; lists add `pagination` (was the bare result).",
  response: (res) => {
    // `{meta}` alone (identities.deleteIdentity) was `{}` in v1.
    if (isObject(res.body) && isObject(res.body.meta)) res.body = res.body.data ?? {};
  },
  // Every success answer was its `data` alone. (Lists restored their v1 page inside `data` first.)
  schema: (document, tools) => {
    for (const { operation } of tools.operations("* /*operation")) {
      for (const [status, response] of Object.entries(tools.resolve(operation.responses) ?? {})) {
        const content = status.startsWith("2") ? tools.resolve(response)?.content : undefined;
        const media = isObject(content) ? tools.resolve(content["application/json"]) : undefined;
        const envelope = media && tools.resolve(media.schema);
        if (!media || !envelope || !isObject(envelope.properties) || !isObject(envelope.properties.meta)) continue;
        media.schema = structuredClone((envelope.properties.data as JsonObject | undefined) ?? ref("EmptyResponse"));
        // The examples show the envelope.
        delete media.example;
        delete media.examples;
      }
    }
    eachOperation(tools, "POST /v2/identities.deleteIdentity", ({ operation }) => reword(operation, "Answers `{meta}` alone", "Answers `{}`"));
    dropUnusedSchemas(document);
  },
});
