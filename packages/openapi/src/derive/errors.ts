import { StrataError } from "@strata/core";

/** A change's schema delta does not fit the document it is applied to. */
export class SchemaDeltaError extends StrataError {
  override name = "SchemaDeltaError";
  constructor(
    /** The change's description. */
    readonly change: string,
    detail: string,
  ) {
    super("schema_delta_failed", `Change "${change}": its schema delta failed on the document: ${detail}.`, 500);
  }
}
