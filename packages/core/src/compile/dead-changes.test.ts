import { ConfigurationError, assertNoDeadRouteChanges, defineVersions, findDeadRouteChanges, moveEndpoint } from "../index";

const moved = moveEndpoint("GET /v1/keys/:id", "POST /v2/keys/:id");
const versions = defineVersions({ versions: [{ id: "2025-01-15", changes: [moved] }, { id: "2024-06-01" }] });

describe("dead route changes", () => {
  describe("given the app's routes as a list", () => {
    it("counts a change leading to a listed route as alive", () => {
      expect(findDeadRouteChanges(versions, ["POST /v2/keys/:id"])).toEqual([]);
    });

    it("lists a change leading to no listed route, naming it", () => {
      expect(findDeadRouteChanges(versions, ["GET /v2/keys/:id"])).toEqual([
        '"`GET /v1/keys/:id` moved to `POST /v2/keys/:id`." (version 2025-01-15, routes GET /v1/keys/:id)',
      ]);
    });
  });

  describe("given a handler check", () => {
    it("asks it about the migrated sample request, method in upper case", () => {
      const asked: string[] = [];
      const dead = findDeadRouteChanges(versions, (method, path) => {
        asked.push(`${method} ${path}`);
        return true;
      });
      expect(dead).toEqual([]);
      expect(asked).toEqual(["POST /v2/keys/sample"]);
    });

    it("throws a ConfigurationError when it answers no", () => {
      const check = () => assertNoDeadRouteChanges(versions, () => false);
      expect(check).toThrow(ConfigurationError);
      expect(check).toThrow(/1 route change\(s\) lead to no handler: "`GET \/v1\/keys\/:id` moved/);
    });
  });
});
