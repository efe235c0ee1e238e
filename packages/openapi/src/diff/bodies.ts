import { isObject, type JsonObject } from "./json";
import { child, childLoc, deref, type Loc } from "./pointer";
import { record, type Documents } from "./difference";
import { compareContent } from "./content";

// `site` is where the operation lists it (reported when it comes or goes), `loc` what it resolves to.
interface Listed {
  readonly site: string;
  readonly loc: Loc;
}

function bodyOf(doc: JsonObject, op: Loc): Listed | undefined {
  const body = op.node.requestBody;
  const site = child(op.pointer, "requestBody");
  return isObject(body) ? { site, loc: deref(doc, { node: body, pointer: site }) } : undefined;
}

/** Compare the request bodies of one operation in both documents. */
export function compareRequestBody(docs: Documents, operation: string, before: Loc, after: Loc): void {
  const [b, a] = [bodyOf(docs.before, before), bodyOf(docs.after, after)];
  if (a === undefined) {
    // Breaking, as oasdiff has it: what the client sends is then ignored or refused, not acted on.
    if (b !== undefined) record(docs, operation, "request-body-removed", true, b.site, `${operation} no longer takes a request body.`);
    return;
  }
  const [wasRequired, isRequired] = [b?.loc.node.required === true, a.loc.node.required === true];
  if (b === undefined) {
    if (isRequired) record(docs, operation, "request-body-required-added", true, a.site, `${operation} now requires a request body.`);
    else record(docs, operation, "request-body-added", false, a.site, `${operation} now takes an optional request body.`);
    return;
  }
  if (!wasRequired && isRequired) {
    record(docs, operation, "request-body-became-required", true, a.loc.pointer, `The request body of ${operation} became required.`);
  }
  if (wasRequired && !isRequired) {
    record(docs, operation, "request-body-became-optional", false, a.loc.pointer, `The request body of ${operation} became optional.`);
  }
  compareContent(docs, operation, "request", childLoc(b.loc, "content"), childLoc(a.loc, "content"), `the request body of ${operation}`);
}

interface Response extends Listed {
  readonly status: string;
}

function responsesOf(doc: JsonObject, op: Loc): Map<string, Response> {
  const found = new Map<string, Response>();
  const responses = childLoc(op, "responses");
  for (const [status, node] of Object.entries(responses?.node ?? {})) {
    if (responses === undefined || !isObject(node)) continue;
    const site = child(responses.pointer, status);
    found.set(status.toUpperCase(), { status, site, loc: deref(doc, { node, pointer: site }) });
  }
  return found;
}

// A client handles the success responses it was written for; error responses come and go
// (clients must expect any error), so only a removed 2xx breaks.
const isSuccess = (status: string) => status.startsWith("2");

/** Compare the responses of one operation in both documents, status by status. */
export function compareResponses(docs: Documents, operation: string, before: Loc, after: Loc): void {
  const [olds, news] = [responsesOf(docs.before, before), responsesOf(docs.after, after)];
  for (const [key, old] of olds) {
    const now = news.get(key);
    if (now === undefined) {
      const success = isSuccess(key);
      record(
        docs,
        operation,
        success ? "response-success-status-removed" : "response-status-removed",
        success,
        old.site,
        `${operation} no longer responds with ${old.status}.`,
      );
    } else {
      compareContent(docs, operation, "response", childLoc(old.loc, "content"), childLoc(now.loc, "content"), `response ${now.status} of ${operation}`);
    }
  }
  for (const [key, now] of news) {
    if (!olds.has(key)) record(docs, operation, "response-status-added", false, now.site, `${operation} may now respond with ${now.status}.`);
  }
}
