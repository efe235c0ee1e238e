import { change, renameField } from "@strata/core";
import { LegacyInputError } from "./refusal";
import { addProperty, dropProperty, memberOf, memberSchemas } from "./jsonapi";

/**
 * 1.2: overage strategies. Keygen's policies had a `concurrent` flag (may a license go past
 * `maxMachines`?); 1.2 replaced it with `overageStrategy`, which also says by how much, and
 * with it a tolerated overage became a *valid* license. Keygen's compatibility layer
 * (`add_concurrent_attribute_to_policy`, `adjust_validity_for_validation_codes`,
 * `rename_code_to_constant_for_validation` in keygen-api's app/migrations) keeps 1.0 and 1.1
 * clients on the old contract; these are the same three steps.
 */

/** The resource refactor: a boolean became an enum. The layer maps both ways. */
export const overageReplacesConcurrent = change({
  description:
    "Policies have an `overageStrategy` (`NO_OVERAGE`, `ALWAYS_ALLOW_OVERAGE`, `ALLOW_1_25X_OVERAGE`, `ALLOW_1_5X_OVERAGE`, `ALLOW_2X_OVERAGE`) instead of the `concurrent` flag. Older versions keep `concurrent`: `true` is any strategy but `NO_OVERAGE`, and sending it sets `ALWAYS_ALLOW_OVERAGE`.",
  resource: "policy",
  request: (policy) => {
    const attributes = memberOf(policy, "attributes");
    if (!attributes || !("concurrent" in attributes)) return;
    const { concurrent } = attributes;
    if (typeof concurrent !== "boolean") throw new LegacyInputError("/data/attributes/concurrent", "`concurrent` must be true or false.");
    delete attributes.concurrent;
    attributes.overageStrategy = concurrent ? "ALWAYS_ALLOW_OVERAGE" : "NO_OVERAGE";
  },
  response: (policy) => {
    const attributes = memberOf(policy, "attributes");
    if (!attributes || !("overageStrategy" in attributes)) return;
    attributes.concurrent = attributes.overageStrategy !== "NO_OVERAGE";
    delete attributes.overageStrategy;
  },
  schema: (_doc, tools) => {
    for (const attributes of memberSchemas(tools, "policy", "attributes")) {
      const required = Array.isArray(attributes.required) && attributes.required.includes("overageStrategy");
      dropProperty(attributes, "overageStrategy");
      addProperty(attributes, "concurrent", { type: "boolean", description: "Whether licenses may have more machines than `maxMachines`." }, required);
    }
  },
});

/**
 * The validation answer: since 1.2 a license past its machine limit, but within its policy's
 * overage allowance, validates as `{ valid: true, code: "TOO_MANY_MACHINES" }`. Before 1.2
 * only VALID and EXPIRED could ever be valid: older clients get `valid: false` for the rest.
 */
export const overageValidates = change({
  description:
    "A validation can be `valid: true` with a code other than `VALID` (`TOO_MANY_MACHINES` within the policy's overage allowance). Older versions answer `valid: false` for every code but `VALID` and `EXPIRED`.",
  resource: "validation",
  response: (meta) => {
    // Runs before the rename below on responses (reverse order), but reads either name.
    const code = meta.code ?? meta.constant;
    if (meta.valid === true && code !== "VALID" && code !== "EXPIRED") meta.valid = false;
  },
  schema: [],
});

/** `meta.constant` became `meta.code`. The validation meta is a resource here, so the declarative helper applies. */
export const validationCodeRenamed = renameField("validation", "constant", "code", {
  description: "A validation's machine-readable result is `meta.code`; before 1.2 it was `meta.constant`.",
});
