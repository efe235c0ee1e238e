import { isJsonObject, type Change, type RequestShape, type ResponseShape, type Version, type VersionSet } from "@strata/core";
import type { OpenApiDocument } from "../document/schemas";
import type { Approximation } from "../derive/decorate";
import { parameterValue, parametersOf, requestExamples, responseExamples, type NamedExample } from "./examples";
import type { IndexedOperation } from "./operation-index";
import { headExtras, type ResolvedExample } from "./registered";
import type { ContractFailure, ContractReport } from "./report";
import type { DocumentValidator, SchemaViolation } from "./validators";

/** What the check reads: the versions, and each version's document and validator. */
export interface CheckSubject {
  readonly versions: VersionSet;
  documentOf(version: Version): OpenApiDocument;
  validatorOf(version: Version): DocumentValidator;
  readonly approximate: readonly Approximation[];
}

type Failure = Omit<ContractFailure, "change">;

/**
 * Migrate every example of the head document to every version and back: each head request
 * example, rendered as that version's client would send it, must reach the same head
 * operation and fit its request schema; each head response example, migrated back, must fit
 * that version's response schema.
 */
export function runContractCheck(subject: CheckSubject, registered: readonly ResolvedExample[] = []): ContractReport {
  const { versions } = subject;
  const head = subject.validatorOf(versions.latest);
  const headDoc = subject.documentOf(versions.latest);
  const failures: ContractFailure[] = [];
  let checked = 0;
  for (const headOp of head.operations.all) {
    const extras = headExtras(registered, headOp, versions.latest);
    const bodies = [...requestExamples(headDoc, headOp), ...extras.bodies];
    const responses = [...responseExamples(headDoc, headOp), ...extras.responses];
    const requestExample: NamedExample = bodies[0] ?? { name: "no body", value: undefined };
    // Per example and direction, the versions that failed so far: blame goes to where it started.
    const failing = new Map<string, Version>();
    for (const version of versions.list) {
      const validator = subject.validatorOf(version);
      const op = validator.operations.ofHead(headOp.head);
      if (!op) continue; // the endpoint is newer than this version
      const doc = subject.documentOf(version);
      // A request the app registered for this version stands in for the one rendered from the
      // head example (it is checked on its own below): responses are migrated from it.
      const given = version === versions.latest ? undefined : registered.find((r) => r.version === version && r.op.head === headOp.head && r.example.request);
      const run = (example: NamedExample, direction: "request" | "response", found: Failure[]): void => {
        checked++;
        const key = `${direction} ${example.name}`;
        if (found.length === 0) return void failing.delete(key);
        const since = failing.get(key) ?? version;
        failing.set(key, since);
        const change = blame(versions, since, found[0]!);
        for (const f of found) failures.push(change ? { ...f, change } : f);
      };
      for (const body of bodies.length > 0 ? bodies : [requestExample]) {
        const found: Failure[] = [];
        const base = { version: version.id, operation: op.label, headOperation: headOp.head, direction: "request" as const, example: body.name };
        const request = given ? givenRequest(versions, doc, given) : requestAt(versions, doc, op, body.value, version);
        const migration = attempt(
          () => versions.migrateRequest(request, version),
          (m) => found.push({ ...base, pointer: "", message: `the request could not be migrated: ${m}` }),
        );
        if (migration) {
          const reached = head.operations.find(request.method, request.path);
          if (reached?.head !== headOp.head)
            found.push({
              ...base,
              pointer: "",
              message: `migrated forward, it reaches ${reached?.label ?? `${request.method} ${request.path}, which the head document does not have`} instead of ${headOp.head}`,
            });
          else if (request.body !== undefined) for (const v of head.requestBody(headOp)?.(request.body) ?? []) found.push({ ...base, ...v });
        }
        if (!given) run(body, "request", found);
        if (!migration) continue;
        for (const { status, examples } of responses) {
          for (const example of examples) {
            const out: Failure[] = [];
            const at = { ...base, direction: "response" as const, example: `${status} ${example.name}` };
            const response: ResponseShape = { status, headers: { "content-type": "application/json" }, body: structuredClone(example.value) };
            const fresh = versions.migrateRequest(given ? givenRequest(versions, doc, given) : requestAt(versions, doc, op, body.value, version), version);
            if (
              attempt(
                () => fresh.migrateResponse(response),
                (m) => out.push({ ...at, pointer: "", message: `the response could not be migrated: ${m}` }),
              )
            ) {
              out.push(...responseViolations(validator, op, response).map((v) => ({ ...at, ...v })));
            }
            run({ name: at.example, value: example.value }, "response", out);
          }
        }
      }
    }
  }
  for (const r of registered) {
    if (r.version === versions.latest) continue;
    checked++;
    failures.push(...checkAtVersion(subject, r));
  }
  return { ok: failures.length === 0, checked, failures, approximate: subject.approximate };
}

/** An example registered at an older version: its request migrated forward, its response as it is. */
function checkAtVersion(subject: CheckSubject, r: ResolvedExample): Failure[] {
  const { versions } = subject;
  const head = subject.validatorOf(versions.latest);
  const headOp = head.operations.ofHead(r.op.head);
  const found: Failure[] = [];
  const base = { version: r.version.id, operation: r.op.label, headOperation: r.op.head, example: r.name };
  const given = r.example.request;
  if (given) {
    const at = { ...base, direction: "request" as const };
    const request = givenRequest(versions, subject.documentOf(r.version), r);
    if (
      attempt(
        () => versions.migrateRequest(request, r.version),
        (m) => found.push({ ...at, pointer: "", message: `the request could not be migrated: ${m}` }),
      )
    ) {
      const reached = head.operations.find(request.method, request.path);
      if (!headOp || reached?.head !== headOp.head)
        found.push({
          ...at,
          pointer: "",
          message: `migrated forward, it reaches ${reached?.label ?? `${request.method} ${request.path}`} instead of ${r.op.head}`,
        });
      else if (request.body !== undefined) for (const v of head.requestBody(headOp)?.(request.body) ?? []) found.push({ ...at, ...v });
    }
  }
  const response = r.example.response;
  if (response) {
    const shape: ResponseShape = { status: response.status, headers: {}, body: response.body };
    for (const v of responseViolations(subject.validatorOf(r.version), r.op, shape)) found.push({ ...base, direction: "response", ...v });
  }
  return found;
}

function responseViolations(validator: DocumentValidator, op: IndexedOperation, response: ResponseShape): SchemaViolation[] {
  const check = validator.response(op, response.status, String(response.headers["content-type"] ?? ""));
  if (check) return check(response.body);
  return [{ pointer: "", message: `the response has status ${response.status}, which this version's document does not describe for ${op.label}` }];
}

/** A registered example's request, its path and query filled from the document where it gives none. */
function givenRequest(versions: VersionSet, doc: OpenApiDocument, r: ResolvedExample): RequestShape {
  const given = r.example.request!;
  const sample = requestAt(versions, doc, r.op, given.body, r.version);
  return {
    method: r.op.method,
    path: given.path ?? sample.path,
    query: given.query ?? sample.query,
    headers: { ...(given.body !== undefined ? { "content-type": "application/json" } : {}), ...(given.headers ?? {}) },
    body: structuredClone(given.body),
  };
}

/** The request a client of `version` sends for `op`: params from the head example's body when it has them. */
function requestAt(versions: VersionSet, doc: OpenApiDocument, op: IndexedOperation, headBody: unknown, version: Version): RequestShape {
  const params: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const p of parametersOf(doc, op)) {
    if (p.in === "path") params[String(p.name)] = parameterValue(doc, p, headBody);
    else if (p.in === "query" && (p.required === true || (isJsonObject(headBody) && headBody[String(p.name)] !== undefined)))
      query[String(p.name)] = parameterValue(doc, p, headBody);
  }
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? "sample"));
  const hasBody = op.operation.requestBody !== undefined && headBody !== undefined;
  // A head example shown to an older client: resource fields migrated back, as a response would be.
  const body = hasBody ? versions.migratePayload(structuredClone(headBody), { to: version }) : undefined;
  return { method: op.method, path, query, headers: hasBody ? { "content-type": "application/json" } : {}, body };
}

function attempt<T>(fn: () => T, onError: (message: string) => void): T | undefined {
  try {
    return fn();
  } catch (err) {
    onError(err instanceof Error ? err.message : String(err));
    return undefined;
  }
}

/**
 * The change at fault when an example starts failing at `since`: among the changes of the
 * version just newer (the ones undone to reach `since`), the one that names the failing field,
 * else one without a schema delta, else the first that can touch the payload.
 */
function blame(versions: VersionSet, since: Version, failure: Failure): { version: string; description: string } | undefined {
  const newer = versions.list.find((v) => v.ordinal === since.ordinal + 1);
  if (!newer) return undefined;
  const field = failure.pointer.split("/").pop() ?? "";
  const touchesOperation = (c: Change): boolean =>
    c.kind === "route" &&
    [failure.operation, failure.headOperation].some((label) => {
      const [method = "", path = ""] = label.split(" ");
      return c.routes.some((r) => r.match(method, path) !== undefined) || (c.moves ?? []).some((m) => m.to.match(method, path) !== undefined);
    });
  const score = (c: Change): number => {
    if (c.kind === "side-effect") return 0;
    if (field && (c.description.includes(`\`${field}\``) || JSON.stringify(Array.isArray(c.schema) ? c.schema : []).includes(`"${field}"`))) return 4;
    if (touchesOperation(c)) return field ? 2 : 4;
    return c.schema === undefined ? 3 : 1;
  };
  let best: Change | undefined;
  for (const c of newer.changes) if (score(c) > 0 && (!best || score(c) > score(best))) best = c;
  return best && { version: newer.id, description: best.description };
}
