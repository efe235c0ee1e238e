import { Router } from "express";
import type { License } from "../db";
import { validateLicense, type Validation, type ValidationScope } from "../licensing/validate";
import { accountOf, requireAdmin, send } from "./auth";
import type { ApiContext } from "./context";
import { badParameter, notFound } from "./errors";
import { metaInput } from "./input";

/** `meta.scope`: what the client asks the validation to check besides the license. */
function scopeOf(meta: Record<string, unknown>): ValidationScope | undefined {
  const scope = meta.scope;
  if (scope === undefined) return undefined;
  if (typeof scope !== "object" || scope === null || Array.isArray(scope)) throw badParameter("/meta/scope", "`scope` must be an object.");
  const out: ValidationScope = {};
  for (const [key, value] of Object.entries(scope)) {
    const pointer = `/meta/scope/${key}`;
    if (key === "fingerprints") {
      if (!Array.isArray(value) || value.length === 0 || value.length > 100 || value.some((v) => typeof v !== "string" || v === ""))
        throw badParameter(pointer, "`fingerprints` must be a list of 1 to 100 fingerprints.");
      out.fingerprints = value as string[];
    } else if (key === "fingerprint" || key === "product" || key === "policy") {
      if (typeof value !== "string" || value === "" || value.length > 255) throw badParameter(pointer, `\`${key}\` must be a non-empty string.`);
      out[key] = value;
    } else {
      throw badParameter(pointer, `Unknown scope \`${key.slice(0, 40)}\`: use fingerprint, fingerprints, product or policy.`, "PARAMETER_UNPERMITTED");
    }
  }
  return out;
}

/**
 * `POST /licenses/:id/actions/validate` (admin) and `POST /licenses/actions/validate-key`
 * (no token: the key is the credential). Both answer `{ meta: { ts, valid, detail, code },
 * data: license }`, and send `license.validated` with the same document.
 */
export function validationRoutes({ db, present, webhooks, now }: ApiContext): Router {
  const router = Router({ mergeParams: true });

  const answer = (license: License, scope: ValidationScope | undefined) => {
    const at = now();
    const policy = present.policyOf(license);
    const machines = db.machines.list(license.accountId, { license_id: license.id }, 1000);
    const result: Validation = validateLicense(license, policy, machines, scope ?? {}, at);
    const validated = db.licenses.update(license, { lastValidatedAt: at }, at);
    const document = { meta: { ts: at.toISOString(), ...result, ...(scope ? { scope } : {}) }, data: present.license(validated) };
    webhooks.publish(license.accountId, "license.validated", document);
    return document;
  };

  router.post("/licenses/actions/validate-key", (req, res) => {
    const meta = metaInput(req.body);
    if (typeof meta.key !== "string" || meta.key === "" || meta.key.length > 255)
      throw badParameter("/meta/key", "`key` is required: the license key to validate.", "PARAMETER_MISSING");
    const scope = scopeOf(meta);
    const license = db.licenses.byKey(accountOf(req).id, meta.key);
    // An unknown key is an answer, not an error: the client asked whether it is valid.
    if (!license) return send(res, 200, { meta: { ts: now().toISOString(), valid: false, detail: "does not exist", code: "NOT_FOUND" }, data: null });
    send(res, 200, answer(license, scope));
  });

  router.post("/licenses/:id/actions/validate", requireAdmin, (req, res) => {
    const license = db.licenses.get(accountOf(req).id, String(req.params.id));
    if (!license) throw notFound("license", String(req.params.id));
    send(res, 200, answer(license, scopeOf(metaInput(req.body))));
  });

  return router;
}
