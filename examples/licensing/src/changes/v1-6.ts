import { change, moveEndpoints, type Change, type JsonObject } from "@strata/core";
import { addProperty, dropProperty, memberOf, memberSchemas, renameKey, renameProperty } from "./jsonapi";

/**
 * 1.6: multi-user licenses (Keygen's changelog, April 2024). A license had one `user`; now it
 * has an `owner` and any number of attached `users` (an addition, so every version has it),
 * and machines have an `owner` of their own instead of reporting their license's user.
 * Keygen's layer: `rename_owner_relationship_to_user_for_license`,
 * `add_user_relationship_to_machine`, `rename_owner_not_found_error_code_for_license`, and
 * the `/licenses/:id/user` routes kept for 1.5.
 */

const A = "/v1/accounts/:account";

/** What the machine layer must look up: 1.6's machine no longer carries its license's owner. */
export interface Lookups {
  licenseOwner(licenseId: string): string | null;
}

/** The relationship moved: `user` is now `owner`, and its endpoint moved with it. */
export const licenseUserIsOwner = change({
  description: "A license's `user` relationship is renamed to `owner` (`relationships.owner`); requests that set `user` set the owner.",
  resource: "license",
  request: (license) => renameKey(memberOf(license, "relationships"), "user", "owner"),
  response: (license) => {
    const relationships = memberOf(license, "relationships");
    renameKey(relationships, "owner", "user");
    const user = relationships?.user as JsonObject | undefined;
    // The related link names the endpoint as the older version has it.
    const links = user?.links as { related?: string } | undefined;
    if (links?.related) user!.links = { related: links.related.replace(/\/owner$/, "/user") };
  },
  schema: (_doc, tools) => {
    for (const relationships of memberSchemas(tools, "license", "relationships")) renameProperty(relationships, "owner", "user");
  },
});

/** The endpoints that read and change it. Params (`:account`, `:id`) carry over by name. */
export const ownerEndpointsMoved = moveEndpoints(
  [
    [`GET ${A}/licenses/:id/user`, `GET ${A}/licenses/:id/owner`],
    [`PUT ${A}/licenses/:id/user`, `PUT ${A}/licenses/:id/owner`],
  ],
  { description: "`GET` and `PUT /licenses/:id/user` moved to `/licenses/:id/owner`." },
);

/** Errors about the owner name it as older clients wrote it. Route patterns are 1.6's (moves run first). */
export const ownerNotFoundCode = change({
  description:
    "An unknown owner is refused with code `OWNER_NOT_FOUND` at `/data/relationships/owner`; before 1.6, `USER_NOT_FOUND` at `/data/relationships/user`.",
  routes: [`POST ${A}/licenses`, `PATCH ${A}/licenses/:id`, `PUT ${A}/licenses/:id/owner`],
  error: (res) => {
    const errors = (res.body as { errors?: unknown } | undefined)?.errors;
    if (!Array.isArray(errors)) return;
    for (const error of errors as { code?: string; source?: { pointer?: string } }[]) {
      if (error.code !== "OWNER_NOT_FOUND") continue;
      error.code = "USER_NOT_FOUND";
      if (error.source?.pointer === "/data/relationships/owner") error.source = { pointer: "/data/relationships/user" };
    }
  },
  // Error codes are strings in every version's document.
  schema: [],
});

/**
 * The compatibility layer that needs data: a 1.5 machine's `user` was its license's owner,
 * which a 1.6 machine does not carry. better-sqlite3 is synchronous, so the transform can
 * look it up, for responses and webhook events alike. 1.5 could not set it: it is dropped
 * from requests (clients echo what they read).
 */
export function machineOwner(lookups: Lookups): Change {
  return change({
    description: "Machines have their own `owner` relationship. Before 1.6 they had a read-only `user` relationship instead: the owner of their license.",
    resource: "machine",
    request: (machine) => {
      delete memberOf(machine, "relationships")?.user;
    },
    response: (machine) => {
      const relationships = memberOf(machine, "relationships");
      if (!relationships) return;
      delete relationships.owner;
      const license = (relationships.license as { data?: { id?: string } | null } | undefined)?.data?.id;
      const owner = license ? lookups.licenseOwner(license) : null;
      relationships.user = { data: owner ? { type: "users", id: owner } : null };
    },
    schema: (_doc, tools) => {
      for (const relationships of memberSchemas(tools, "machine", "relationships")) dropProperty(relationships, "owner");
      // Only the machine as answered gains `user`: requests (MachineInput) never could set it.
      const answered = memberSchemas(tools, "machine", "relationships", "Machine");
      for (const relationships of answered) addProperty(relationships, "user", { $ref: "#/components/schemas/ToOneUser" }, true);
    },
  });
}
