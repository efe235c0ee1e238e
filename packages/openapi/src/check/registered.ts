import { ConfigurationError, type Version, type VersionSet } from "@strata/core";
import type { NamedExample } from "./examples";
import type { IndexedOperation } from "./operation-index";
import type { DocumentValidator } from "./validators";

/**
 * An example the app registers beside the document's own: a request an old client really
 * sends, a response recorded from the server. At the latest version it joins the head
 * document's examples (and is migrated to every version); at an older one it is checked there:
 * a request migrated forward must reach its head operation and fit its schema, a response
 * must fit that version's document as it is.
 */
export interface ContractExample {
  /** The version the example is written in. Default: the latest. */
  version?: string;
  /** The operation as that version has it: method and OpenAPI path template (`GET /v1/keys.getKey`). */
  operation: string;
  /** Named in failures. Default: `registered <n>`. */
  name?: string;
  /** What a client of that version sends. `path` defaults to the template with sample params. */
  request?: { path?: string; query?: Record<string, string>; headers?: Record<string, string>; body?: unknown };
  /** What the server answers (in the head shape when `version` is the latest). */
  response?: { status: number; body: unknown };
}

/** A registered example, checked at startup: its version and operation exist. */
export interface ResolvedExample {
  readonly version: Version;
  readonly op: IndexedOperation;
  readonly name: string;
  readonly example: ContractExample;
}

/** Resolve each example's version and operation once, naming the one that does not fit. */
export function resolveExamples(versions: VersionSet, examples: readonly ContractExample[], validatorOf: (v: Version) => DocumentValidator): ResolvedExample[] {
  return examples.map((example, i) => {
    const where = `defineContracts(): examples[${i}]`;
    const version = example.version === undefined ? versions.latest : versions.get(example.version);
    if (!version) throw new ConfigurationError(`${where}: unknown version "${example.version}". Versions: ${versions.supported.join(", ")}.`, "examples");
    const op = validatorOf(version).operations.all.find((o) => o.label === example.operation);
    if (!op)
      throw new ConfigurationError(
        `${where}: the ${version.id} document has no operation "${example.operation}" (write it as METHOD /path/{param}).`,
        "examples",
      );
    if (example.request === undefined && example.response === undefined)
      throw new ConfigurationError(`${where}: give a request, a response, or both.`, "examples");
    return { version, op, name: example.name ?? `registered ${i + 1}`, example };
  });
}

/** The latest-version examples of one head operation, as extra head examples. */
export function headExtras(
  resolved: readonly ResolvedExample[],
  head: IndexedOperation,
  latest: Version,
): { bodies: NamedExample[]; responses: { status: number; examples: NamedExample[] }[] } {
  const mine = resolved.filter((r) => r.version === latest && r.op.head === head.head);
  return {
    bodies: mine.filter((r) => r.example.request?.body !== undefined).map((r) => ({ name: r.name, value: r.example.request!.body })),
    responses: mine
      .filter((r) => r.example.response)
      .map((r) => ({ status: r.example.response!.status, examples: [{ name: r.name, value: r.example.response!.body }] })),
  };
}
