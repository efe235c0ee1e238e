import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";

// The official OpenAPI 3.1 JSON Schema, as @seriousme/openapi-schema-validator ships and uses
// it; that package is ESM-only, which jest's CommonJS run cannot load, so it is applied here
// the same way (Ajv 2020, formats, `media-range` accepted as the package does).
const schema = JSON.parse(readFileSync(require.resolve("@seriousme/openapi-schema-validator/schemas/v3.1/schema.json"), "utf8")) as object;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat("media-range", true);
const validate = ajv.compile(schema);

/** The document's violations of the OpenAPI 3.1 schema (`[]` when it is valid), as `pointer: message` lines. */
export function openApiErrors(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? "invalid"} ${JSON.stringify(e.params)}`);
}
