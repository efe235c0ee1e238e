import type { Change, Version, VersionDefinition } from "./change";
import { ConfigurationError } from "../errors";
import type { VersionScheme } from "./schemes";
import type { JsonObject } from "../shapes";
import { byObjectField, type ResourceIdentifier } from "../run/walk";

const VERSION_KEYS = new Set(["id", "changes", "description", "releasedAt", "deprecatedAt", "sunsetAt", "preview", "upgradeGuide"]);

/**
 * Validate the version list (newest first) once, at startup: ids, order, changes attached once,
 * described once, the oldest version without changes, dates. Errors name the offender.
 */
export function validateVersions(defs: readonly VersionDefinition[], scheme: VersionScheme): Version[] {
  const seenChanges = new Map<Change, string>();
  const out: Version[] = [];
  defs.forEach((def, i) => {
    const where = `versions[${i}]`;
    if (typeof def !== "object" || def === null || typeof def.id !== "string") {
      throw new ConfigurationError(`defineVersions(): ${where} needs a string \`id\`.`, where);
    }
    for (const key of Object.keys(def)) {
      if (!VERSION_KEYS.has(key)) throw new ConfigurationError(`Version ${def.id}: unknown option \`${key}\`.`, def.id);
    }
    const id = scheme.normalize(def.id);
    if (id === undefined) throw new ConfigurationError(`Version "${def.id}" is not a valid ${scheme.name} version.`, def.id);
    const previous = out[out.length - 1];
    if (previous) {
      const order = scheme.compare(id, previous.id);
      if (order === 0) throw new ConfigurationError(`Version ${id} is listed twice (as ${previous.id} and ${id}).`, id);
      if (order > 0) throw new ConfigurationError(`Versions must be listed newest first: ${id} comes after the older ${previous.id}.`, id);
    }
    const changes = def.changes ?? [];
    if (!Array.isArray(changes)) throw new ConfigurationError(`Version ${id}: \`changes\` must be an array.`, id);
    const descriptions = new Set<string>();
    for (const c of changes) {
      if (typeof c !== "object" || c === null || typeof c.kind !== "string" || !Object.isFrozen(c)) {
        throw new ConfigurationError(`Version ${id}: every entry of \`changes\` must be made with change() or a declarative helper.`, id);
      }
      const other = seenChanges.get(c);
      if (other !== undefined) {
        throw new ConfigurationError(
          `Change "${c.description}" is attached to ${other === id ? `version ${id} twice` : `both ${other} and ${id}`}; a change belongs to exactly one version.`,
          c.description,
        );
      }
      if (descriptions.has(c.description))
        throw new ConfigurationError(`Version ${id} has two changes described "${c.description}"; describe each change once.`, c.description);
      seenChanges.set(c, id);
      descriptions.add(c.description);
    }
    if (def.preview !== undefined && typeof def.preview !== "boolean") throw new ConfigurationError(`Version ${id}: \`preview\` must be true or false.`, id);
    if (def.preview && previous && !previous.preview) {
      throw new ConfigurationError(
        `Version ${id} is a preview but the newer ${previous.id} is not: preview versions are the newest, ahead of every stable one.`,
        id,
      );
    }
    if (def.upgradeGuide !== undefined && !isLink(def.upgradeGuide)) {
      throw new ConfigurationError(`Version ${id}: \`upgradeGuide\` must be an absolute http(s) URL or a path starting with "/".`, id);
    }
    const version: Version = {
      id,
      ordinal: defs.length - 1 - i,
      changes: Object.freeze([...changes]),
      ...(def.description !== undefined ? { description: def.description } : {}),
      ...dates(def, scheme, id),
      ...(def.preview ? { preview: true as const } : {}),
      ...(def.upgradeGuide !== undefined ? { upgradeGuide: def.upgradeGuide } : {}),
    };
    out.push(Object.freeze(version));
  });
  const oldest = out[out.length - 1]!;
  if (oldest.changes.length > 0) {
    throw new ConfigurationError(
      `The oldest version ${oldest.id} lists changes, but nothing is older for them to translate to. Add the version before it, or move the changes to the version that introduced them.`,
      oldest.id,
    );
  }
  const current = out.find((v) => !v.preview);
  if (!current)
    throw new ConfigurationError("defineVersions(): every version is a preview; at least one stable version must be served by pins and defaults.", "versions");
  for (const v of out) {
    if (v.ordinal >= current.ordinal && (v.deprecatedAt || v.sunsetAt)) {
      const which = v.preview ? "preview" : v === out[0] ? "latest" : "current (latest stable)";
      throw new ConfigurationError(`The ${which} version ${v.id} cannot be deprecated or sunset.`, v.id);
    }
  }
  return out;
}

/** A link target for `Link` headers: absolute http(s), or a path on the API's own origin. */
function isLink(value: unknown): boolean {
  if (typeof value !== "string" || value === "" || /[\s<>"]/.test(value)) return false;
  if (value.startsWith("/")) return true;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function dates(def: VersionDefinition, scheme: VersionScheme, id: string): Partial<Version> {
  const parse = (value: string | Date | undefined, field: string): Date | undefined => {
    if (value === undefined) return undefined;
    const d = value instanceof Date ? new Date(value.getTime()) : new Date(value);
    if (Number.isNaN(d.getTime())) throw new ConfigurationError(`Version ${id}: \`${field}\` is not a valid date: ${String(value)}.`, id);
    return d;
  };
  const releasedAt = parse(def.releasedAt, "releasedAt") ?? scheme.impliedDate?.(id);
  const deprecatedAt = parse(def.deprecatedAt, "deprecatedAt");
  const sunsetAt = parse(def.sunsetAt, "sunsetAt");
  if (deprecatedAt && sunsetAt && sunsetAt < deprecatedAt) throw new ConfigurationError(`Version ${id}: \`sunsetAt\` is before \`deprecatedAt\`.`, id);
  return {
    ...(releasedAt ? { releasedAt } : {}),
    ...(deprecatedAt ? { deprecatedAt } : {}),
    ...(sunsetAt ? { sunsetAt } : {}),
  };
}

/** How resources are recognised: `defineVersions`' `resources` predicates, else the `object` field. */
export function identifierFor(resources: Record<string, (value: JsonObject) => boolean> | undefined, list: readonly Version[]): ResourceIdentifier {
  if (resources === undefined) return byObjectField;
  if (typeof resources !== "object" || resources === null)
    throw new ConfigurationError("defineVersions(): `resources` must map names to predicates.", "resources");
  const entries = Object.entries(resources);
  for (const [name, predicate] of entries) {
    if (typeof predicate !== "function") throw new ConfigurationError(`defineVersions(): resource "${name}" needs a predicate function.`, name);
  }
  for (const v of list) {
    for (const c of v.changes) {
      if (c.kind === "resource" && !Object.prototype.hasOwnProperty.call(resources, c.resource!)) {
        throw new ConfigurationError(
          `Change "${c.description}" (version ${v.id}) is about resource "${c.resource}", which \`resources\` does not declare (declared: ${entries.map(([n]) => n).join(", ") || "none"}).`,
          c.description,
        );
      }
    }
  }
  return (value) => {
    for (let i = 0; i < entries.length; i++) if (entries[i]![1](value)) return entries[i]![0];
    return undefined;
  };
}
