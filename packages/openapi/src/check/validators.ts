import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { isJsonObject, type JsonObject } from "@strata/core";
import { atPointer, escapeSegment, type OpenApiDocument } from "../document/schemas";
import { jsonContent, OperationIndex, type IndexedOperation } from "./operation-index";

/** One way a payload misses its schema. */
export interface SchemaViolation {
  /** JSON pointer into the payload (`/data/0/ownerId`); `""` is the whole payload. */
  readonly pointer: string;
  readonly message: string;
}

/** A compiled check, or `undefined` when the document describes no JSON body there. */
export type PayloadCheck = ((payload: unknown) => SchemaViolation[]) | undefined;

/**
 * One version's document, compiled for validation: each schema is compiled the first time it
 * is needed and kept, so a runtime check costs one lookup and the validation itself.
 */
export class DocumentValidator {
  readonly operations: OperationIndex;
  private readonly cache = new Map<string, PayloadCheck>();

  constructor(
    private readonly ajv: Ajv2020,
    private readonly id: string,
    private readonly doc: OpenApiDocument,
  ) {
    this.operations = new OperationIndex(doc);
    ajv.addSchema(doc as object, id, undefined, false);
  }

  /** The check for a response of `op` with `status`: its exact code, then `4XX`-style, then `default`. */
  response(op: IndexedOperation, status: number, contentType?: string): PayloadCheck {
    const responses = this.follow(`${pointerOf(op)}/responses`, op.operation.responses);
    if (!responses) return undefined;
    const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => responses[1][k] !== undefined);
    if (key === undefined) return undefined;
    const response = this.follow(`${responses[0]}/${escapeSegment(key)}`, responses[1][key]);
    return response && this.media(response, contentType);
  }

  /** The check for `op`'s JSON request body. */
  requestBody(op: IndexedOperation): PayloadCheck {
    const body = this.follow(`${pointerOf(op)}/requestBody`, op.operation.requestBody);
    return body && this.media(body);
  }

  private media([pointer, holder]: [string, JsonObject], contentType?: string): PayloadCheck {
    const media = jsonContent(holder.content, contentType);
    if (!media || !isJsonObject(media[1].schema)) return undefined;
    return this.compiled(`${pointer}/content/${escapeSegment(media[0])}/schema`);
  }

  /** `node` at `pointer`, with local `$ref`s followed: where it really is, and what it is. */
  private follow(pointer: string, node: unknown): [string, JsonObject] | undefined {
    let at = pointer;
    let value = node;
    for (let hops = 0; isJsonObject(value) && typeof value.$ref === "string" && value.$ref.startsWith("#") && hops < 32; hops++) {
      at = decodeURIComponent(value.$ref);
      value = atPointer(this.doc, value.$ref);
    }
    return isJsonObject(value) ? [at, value] : undefined;
  }

  private compiled(pointer: string): PayloadCheck {
    if (this.cache.has(pointer)) return this.cache.get(pointer);
    // Compiled by reference into the document, so the schema's local $refs resolve.
    const fragment = `#${pointer
      .slice(1)
      .split("/")
      .map((s) => encodeURIComponent(s))
      .join("/")}`;
    const validate: ValidateFunction = this.ajv.compile({ $ref: `${this.id}${fragment}` });
    const check = (payload: unknown): SchemaViolation[] => (validate(payload) ? [] : (validate.errors ?? []).map(violation));
    this.cache.set(pointer, check);
    return check;
  }
}

/** A fresh validator factory: OpenAPI 3.1 schemas are JSON Schema 2020-12 plus a few annotations. */
export function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  return ajv;
}

function pointerOf(op: IndexedOperation): string {
  return `#/paths/${escapeSegment(op.path)}/${op.method.toLowerCase()}`;
}

function violation(e: ErrorObject): SchemaViolation {
  const params = e.params as Record<string, unknown>;
  const at = typeof params.missingProperty === "string" ? `${e.instancePath}/${escapeSegment(params.missingProperty)}` : e.instancePath;
  const extra = typeof params.additionalProperty === "string" ? ` (\`${params.additionalProperty}\`)` : "";
  const allowed = Array.isArray(params.allowedValues) ? `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}` : "";
  return { pointer: at, message: `${e.message ?? "is invalid"}${allowed}${extra}` };
}
