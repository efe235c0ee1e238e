import { change } from "@strata/core";
import { isObject } from "./util";

export const responsesGetEnvelope = change({
  description: "Responses are wrapped as `{meta: {requestId}, data}`; lists add `pagination` (was the bare result).",
  response: (res) => {
    // `{meta}` alone (identities.deleteIdentity) was `{}` in v1.
    if (isObject(res.body) && isObject(res.body.meta)) res.body = res.body.data ?? {};
  },
});
