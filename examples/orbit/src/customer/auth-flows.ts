import { Router } from "express";
import { createPublicKey, randomBytes, verify } from "node:crypto";
import { OrbitError, invalidField, objectBody } from "../problems";
import { newId, type CustomerStore } from "./store";

const TOKEN_TTL_SECONDS = 3600;
const CODE_TTL_SECONDS = 600;
/** DER header of an ed25519 SubjectPublicKeyInfo; the 32 key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
/** The demo has no browser step to approve a device, so its codes belong to this customer. */
const DEVICE_DEMO_CUSTOMER = "cus_demo";

/**
 * v2's sign-in flows, which issue Bearer tokens. They are public (they are how a client gets
 * credentials), so they are mounted before the auth middleware.
 */
export function authFlowRoutes(store: CustomerStore): Router {
  const router = Router();
  const deviceCodes = new Map<string, { customer: string; expiresAt: number }>();
  const challenges = new Map<string, { message: string; expiresAt: number }>();

  router.post("/device/code", (req, res) => {
    objectBody(req.body, ["client_id"]);
    const deviceCode = randomBytes(20).toString("base64url");
    const userCode = randomBytes(4)
      .toString("hex")
      .toUpperCase()
      .replace(/^(.{4})/, "$1-");
    deviceCodes.set(deviceCode, { customer: DEVICE_DEMO_CUSTOMER, expiresAt: Date.now() + CODE_TTL_SECONDS * 1000 });
    res.json({
      device_code: deviceCode,
      user_code: userCode,
      verification_uri: "https://orbit.devotel.io/activate",
      verification_uri_complete: `https://orbit.devotel.io/activate?user_code=${userCode}`,
      expires_in: CODE_TTL_SECONDS,
      interval: 5,
    });
  });

  router.post("/device/token", (req, res) => {
    const { device_code } = objectBody(req.body, ["device_code", "grant_type", "client_id"]);
    if (typeof device_code !== "string") throw invalidField("device_code", "`device_code` is required.");
    const entry = deviceCodes.get(device_code);
    // Single use: a replayed code must not mint a second token.
    deviceCodes.delete(device_code);
    if (!entry || entry.expiresAt <= Date.now()) throw new OrbitError(400, "invalid_grant", "The device code is unknown, used or expired.");
    res.set("Cache-Control", "no-store").json(tokenResponse(store.issueToken(entry.customer, TOKEN_TTL_SECONDS)));
  });

  router.post("/wallet/challenge", (req, res) => {
    const address = walletAddress(objectBody(req.body, ["address"]).address);
    const message = `Sign in to Orbit\nWallet: ${address}\nNonce: ${randomBytes(16).toString("hex")}`;
    challenges.set(address, { message, expiresAt: Date.now() + CODE_TTL_SECONDS * 1000 });
    res.json({ id: newId("chl"), object: "wallet_challenge", address, message, expires_in: CODE_TTL_SECONDS });
  });

  router.post("/wallet/verify", (req, res) => {
    const body = objectBody(req.body, ["address", "signature"]);
    const address = walletAddress(body.address);
    if (typeof body.signature !== "string" || !/^[0-9a-f]{128}$/i.test(body.signature)) {
      throw invalidField("signature", "`signature` must be a 64-byte ed25519 signature in hex.");
    }
    const challenge = challenges.get(address);
    challenges.delete(address);
    if (!challenge || challenge.expiresAt <= Date.now()) throw new OrbitError(400, "challenge_expired", "Request a new challenge for this wallet.");
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(address, "hex")]), format: "der", type: "spki" });
    if (!verify(null, Buffer.from(challenge.message), key, Buffer.from(body.signature, "hex"))) {
      throw new OrbitError(401, "invalid_signature", "The signature does not match the challenge for this wallet.");
    }
    const customer = [...store.customers.values()].find((c) => c.wallet_address === address);
    if (!customer) throw new OrbitError(401, "wallet_not_linked", "This wallet is not linked to an Orbit account; link it in your profile first.");
    res.set("Cache-Control", "no-store").json(tokenResponse(store.issueToken(customer.id, TOKEN_TTL_SECONDS)));
  });

  return router;
}

function walletAddress(value: unknown): string {
  if (typeof value !== "string" || !/^[0-9a-f]{64}$/i.test(value)) {
    throw invalidField("address", "`address` must be a 32-byte ed25519 public key in hex.");
  }
  return value.toLowerCase();
}

const tokenResponse = (token: string) => ({ access_token: token, token_type: "Bearer", expires_in: TOKEN_TTL_SECONDS });
