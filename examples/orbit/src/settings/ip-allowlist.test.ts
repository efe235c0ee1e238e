import { isAllowed, parseAllowlist } from "./ip-allowlist";

const allow = (entries: string[]) => parseAllowlist(entries)!;

describe("IP allowlists", () => {
  it("matches IPv4 CIDR blocks, also for IPv6-mapped IPv4 peers", () => {
    const list = allow(["10.0.0.0/8", "192.0.2.7"]);
    expect(isAllowed(list, "10.200.3.4")).toBe(true);
    expect(isAllowed(list, "::ffff:10.200.3.4")).toBe(true);
    expect(isAllowed(list, "192.0.2.7")).toBe(true);
    expect(isAllowed(list, "192.0.2.8")).toBe(false);
    expect(isAllowed(list, "11.0.0.1")).toBe(false);
    expect(isAllowed(list, "::ffff:11.0.0.1")).toBe(false);
  });

  it("matches IPv6 blocks", () => {
    const list = allow(["2001:db8::/32"]);
    expect(isAllowed(list, "2001:db8:ffff::1")).toBe(true);
    expect(isAllowed(list, "2001:db9::1")).toBe(false);
    expect(isAllowed(list, "10.0.0.1")).toBe(false);
  });

  it("never allows an unknown peer address", () => {
    expect(isAllowed(allow(["0.0.0.0/0"]), undefined)).toBe(false);
    expect(isAllowed(allow(["0.0.0.0/0"]), "garbage")).toBe(false);
  });

  it("treats a missing or empty list as no restriction", () => {
    expect(parseAllowlist(undefined)).toBeUndefined();
    expect(parseAllowlist([])).toBeUndefined();
  });
});
