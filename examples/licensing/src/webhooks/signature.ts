import { createHmac, createPrivateKey, createPublicKey, sign, timingSafeEqual, verify } from "node:crypto";
import type { SignatureAlgorithm } from "../db";

/** The header every delivery carries: who signed, how, when, and the signature. */
export const SIGNATURE_HEADER = "Keygen-Signature";

/**
 * What is signed: `<timestamp>.<raw body>`. The timestamp inside the signed bytes is what lets
 * a receiver refuse a replayed delivery: an old signature cannot be moved to a new time.
 */
const signedBytes = (timestamp: number, body: string): Buffer => Buffer.from(`${timestamp}.${body}`, "utf8");

export interface SigningKey {
  /** The account id, sent as `keyid` so a receiver serving several accounts picks the key. */
  keyId: string;
  algorithm: SignatureAlgorithm;
  /** Ed25519: the account's private key (PEM). HMAC-SHA256: the endpoint's signing secret. */
  secret: string;
}

/**
 * `Keygen-Signature: keyid="<account>", algorithm="ed25519", timestamp="<unix s>", signature="<base64>"`.
 * (Keygen's own header signs an HTTP-signature string of the request target, host, date and
 * digest; this example signs the timestamp and the raw body, which is what a receiver has.)
 */
export function signatureHeader(key: SigningKey, body: string, timestamp: number): string {
  const bytes = signedBytes(timestamp, body);
  const signature =
    key.algorithm === "ed25519"
      ? sign(null, bytes, createPrivateKey(key.secret)).toString("base64")
      : createHmac("sha256", key.secret).update(bytes).digest("base64");
  return `keyid="${key.keyId}", algorithm="${key.algorithm}", timestamp="${timestamp}", signature="${signature}"`;
}

/** The parts of a `Keygen-Signature` header. */
export function parseSignatureHeader(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of header.matchAll(/(\w+)="([^"]*)"/g)) out[match[1]!] = match[2]!;
  return out;
}

export interface VerifyOptions {
  /** The raw request body, exactly as received (parse it only after verifying). */
  body: string;
  header: string | undefined;
  /** The account's public key (PEM) for Ed25519, or the endpoint's secret for HMAC-SHA256. */
  key: string;
  /** Deliveries older (or newer) than this are refused. Default 300 seconds. */
  toleranceSeconds?: number;
  now?: Date;
}

/**
 * What a receiver does: check the timestamp is recent, then the signature over
 * `<timestamp>.<body>`. Answers why it failed, or `undefined` when the delivery is genuine.
 */
export function verifyDelivery(o: VerifyOptions): string | undefined {
  if (!o.header) return `missing ${SIGNATURE_HEADER}`;
  const { algorithm, timestamp, signature } = parseSignatureHeader(o.header);
  const ts = Number(timestamp);
  if (!signature || !Number.isInteger(ts)) return "malformed signature header";
  const skew = Math.abs((o.now ?? new Date()).getTime() / 1000 - ts);
  if (skew > (o.toleranceSeconds ?? 300)) return `timestamp is ${Math.round(skew)} s away from now`;
  const bytes = signedBytes(ts, o.body);
  const given = Buffer.from(signature, "base64");
  if (algorithm === "ed25519") return verify(null, bytes, createPublicKey(o.key), given) ? undefined : "signature does not verify";
  if (algorithm === "hmac-sha256") {
    const expected = createHmac("sha256", o.key).update(bytes).digest();
    return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : "signature does not verify";
  }
  return `unknown algorithm ${JSON.stringify(algorithm)}`;
}
