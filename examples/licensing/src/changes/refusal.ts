import { StrataError } from "@strata/core";

/**
 * An older client sent something its own version cannot mean. A compatibility layer refuses it
 * as a 400 in that version's terms (a 4xx StrataError passes through the chain unchanged),
 * rather than letting the 1.6 handler refuse an attribute the client never sent.
 */
export class LegacyInputError extends StrataError {
  override name = "LegacyInputError";
  constructor(
    readonly pointer: string,
    detail: string,
  ) {
    super("parameter_invalid", detail, 400);
  }

  protected override problemExtensions(): Record<string, unknown> {
    return { pointer: this.pointer };
  }
}
