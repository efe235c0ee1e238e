import { BlockList, isIP } from "node:net";
import { invalidField } from "../problems";

/** A key's `allowed_ips`, validated once at mint time and compiled for the auth check. */
export interface Allowlist {
  /** The entries as the client sent them (trimmed), for display. */
  readonly entries: readonly string[];
  /** node:net's matcher: CIDR math and IPv6-mapped IPv4 handled by the runtime, not by us. */
  readonly list: BlockList;
}

const PREFIX = /^(0|[1-9]\d{0,2})$/;
const MAX_ENTRIES = 100;

/**
 * Parse `allowed_ips`: IPv4 or IPv6 addresses and CIDR blocks. Any invalid entry is a 400
 * naming the field and the entry; an allowlist is a security control, so nothing is dropped
 * or guessed at.
 */
export function parseAllowlist(value: unknown, field = "allowed_ips"): Allowlist | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidField(field, `\`${field}\` must be an array of IP addresses or CIDR blocks.`);
  if (value.length === 0) return undefined;
  if (value.length > MAX_ENTRIES) throw invalidField(field, `\`${field}\` accepts at most ${MAX_ENTRIES} entries.`);
  const list = new BlockList();
  const entries: string[] = [];
  value.forEach((raw, i) => {
    const bad = (why: string) => invalidField(field, `\`${field}[${i}]\` ${JSON.stringify(raw)} ${why}`);
    if (typeof raw !== "string") throw bad("must be a string.");
    const entry = raw.trim();
    const slash = entry.indexOf("/");
    const address = slash === -1 ? entry : entry.slice(0, slash);
    const family = isIP(address);
    // Zone ids (fe80::1%eth0) name a local interface; they mean nothing to a remote server.
    if (family === 0 || address.includes("%")) throw bad("is not an IPv4 or IPv6 address or CIDR block.");
    const type = family === 4 ? "ipv4" : "ipv6";
    if (slash === -1) {
      list.addAddress(address, type);
    } else {
      const prefix = entry.slice(slash + 1);
      const max = family === 4 ? 32 : 128;
      if (!PREFIX.test(prefix) || Number(prefix) > max) throw bad(`has an invalid prefix length: expected /0 to /${max}.`);
      list.addSubnet(address, Number(prefix), type);
    }
    entries.push(entry);
  });
  return { entries, list };
}

/** Whether a socket's remote address is on the list. An unknown address is never allowed. */
export function isAllowed(allowlist: Allowlist, remoteAddress: string | undefined): boolean {
  if (!remoteAddress) return false;
  const family = isIP(remoteAddress);
  if (family === 0) return false;
  // BlockList matches `::ffff:10.1.2.3` against IPv4 rules itself, so dual-stack sockets work.
  return allowlist.list.check(remoteAddress, family === 4 ? "ipv4" : "ipv6");
}
