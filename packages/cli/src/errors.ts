/**
 * Exit codes of the `strata` command.
 *
 * @example
 * if ((await run(argv)) === EXIT.store) alertOnCall("pin store down");
 */
export const EXIT = {
  ok: 0,
  /** Bad input: unknown command, option or version, missing file. */
  usage: 1,
  /** The pin store could not be opened or reached, or failed. */
  store: 2,
} as const;

/**
 * An expected failure: printed as one clear line on stderr, never with a stack trace.
 *
 * @example
 * throw new CliError("Unknown version \"2030-01-01\".");
 */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

/** The most useful message of an error, including Node's network errors whose message is empty. */
export function messageOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return err.message || [...new Set(err.errors.map(messageOf))].join("; ");
  }
  if (err instanceof Error) return err.message || String((err as NodeJS.ErrnoException).code ?? err.name);
  return String(err);
}
