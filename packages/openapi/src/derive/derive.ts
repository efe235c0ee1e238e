import type { Change, Version, VersionSet } from "@strata/core";
import { cloneDocument, type OpenApiDocument } from "../document/schemas";
import { HEAD_OPERATION, operationsOf } from "../document/operations";
import { undoChange, type FindResource } from "./apply";
import { decorate, type Approximation, type DecorateOptions } from "./decorate";

/** One version's document and what in it is approximate. */
export interface DerivedDocument {
  readonly version: Version;
  readonly document: OpenApiDocument;
  /** Changes between this version and the head whose effect the document only approximates. */
  readonly approximate: readonly Approximation[];
}

/**
 * Derive every version's document from the head one: each older document is the newer one
 * with the newer version's changes undone, last change first (endpoint moves last, as
 * responses go back through them).
 */
export function deriveDocuments(
  versions: VersionSet,
  head: OpenApiDocument,
  findResource: FindResource,
  options: DecorateOptions,
): Map<Version, DerivedDocument> {
  const out = new Map<Version, DerivedDocument>();
  const current = cloneDocument(head);
  // Each operation keeps its head route, so a version's copy of it is found however it moved.
  for (const { method, path, operation } of operationsOf(current)) operation[HEAD_OPERATION] ??= `${method} ${path}`;
  let carried: Approximation[] = [];
  for (const version of versions.list) {
    const document = cloneDocument(current);
    decorate(document, versions, version, carried, options);
    out.set(version, { version, document: deepFreeze(document), approximate: Object.freeze([...carried]) });
    const older = versions.list[versions.list.indexOf(version) + 1];
    if (!older) break;
    for (const change of undoOrder(version.changes)) {
      const reason = undoChange(current, change, older, findResource);
      if (reason) carried = [...carried, { version: version.id, change: change.description, reason }];
    }
  }
  return out;
}

/** Requests run a version's endpoint moves first; documents, going back, undo them last. */
function undoOrder(changes: readonly Change[]): Change[] {
  const moves = changes.filter((c) => c.kind === "route" && c.moves !== undefined);
  const others = changes.filter((c) => !(c.kind === "route" && c.moves !== undefined));
  return [...moves, ...others].reverse();
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
