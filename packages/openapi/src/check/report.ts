import type { Approximation } from "../derive/decorate";

/** One place where the chain does not deliver what a version's document promises. */
export interface ContractFailure {
  /** The version whose contract is broken. */
  readonly version: string;
  /** The operation as that version has it: `GET /v1/keys.getKey`. */
  readonly operation: string;
  /** The same operation in the head document. */
  readonly headOperation: string;
  /** `request`: an old request migrated forward misses the head schema; `response`: a head response migrated back misses the old one. */
  readonly direction: "request" | "response";
  /** The example that was migrated. */
  readonly example: string;
  /** The change most likely at fault, with its version: the first one the example crosses where it starts to fail. */
  readonly change?: { readonly version: string; readonly description: string };
  /** JSON pointer into the migrated payload. */
  readonly pointer: string;
  readonly message: string;
}

/** What a contract check found. */
export interface ContractReport {
  readonly ok: boolean;
  /** Example migrations checked (one per example, version and direction). */
  readonly checked: number;
  readonly failures: readonly ContractFailure[];
  /** Changes whose effect on the documents is approximate (no schema delta): named, not failures. */
  readonly approximate: readonly Approximation[];
}

/** The report as text, one line per failure and per approximate change. */
export function formatReport(report: ContractReport): string {
  const lines = [`${report.checked} example migrations checked, ${report.failures.length} failed.`];
  for (const f of report.failures) {
    const blame = f.change ? ` (change "${f.change.description}", ${f.change.version})` : "";
    lines.push(`FAIL ${f.version} ${f.operation} ${f.direction} [${f.example}] at ${f.pointer || "/"}: ${f.message}${blame}`);
  }
  for (const a of report.approximate) lines.push(`APPROXIMATE ${a.version} "${a.change}": ${a.reason}`);
  return lines.join("\n");
}
