import { createHash, randomBytes } from "node:crypto";

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Base58, as Unkey uses for ids and keys: no look-alike characters to mistype. */
export function base58(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString("hex") || "0"}`);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = ALPHABET[0] + out;
  }
  return out;
}

export function newId(prefix: string): string {
  return `${prefix}_${base58(randomBytes(12))}`;
}

/** Keys are stored only as hashes; the plaintext is shown once, on creation. */
export function hashKey(plaintext: string): string {
  return createHash("sha256").update(plaintext).digest("base64");
}

export function now(): number {
  return Date.now();
}

export function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function fromJson<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

/** SQLite has no booleans: 0/1 in, true/false out. */
export const bit = (value: boolean): number => (value ? 1 : 0);

/** The keyset cursor of a list: the last id of the previous page, opaque to clients. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined): string {
  return cursor ? Buffer.from(cursor, "base64url").toString("utf8") : "";
}
