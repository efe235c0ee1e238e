import type { Express } from "express";
import type { AddressInfo } from "node:net";
import { generateKeyPairSync, sign } from "node:crypto";
import { DEMO_ORBIT_KEY } from "./customer/store";

/**
 * A realistic session against the Customer API, recorded call by call: sign-in flows, licenses
 * and their IP allowlists, API keys, profile, invoices, and the common errors of each. Written
 * against the v2 paths; a contract test for another version passes `path` to say where each
 * operation lives there (or that it does not exist, which skips it and the calls needing its
 * result). Runs on the seed data every `createApp()` starts from.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface RecordedCall {
  /** The `operationId` of the v2 document (`openapi/head.json`). */
  operation: string;
  request: RecordedRequest;
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** Parsed JSON, the text of any other body, or `undefined` when there is none. */
  body: unknown;
}

export interface RecordOptions {
  /** Where `operation` lives, given its v2 path; `undefined` skips the call. Default: the v2 path. */
  path?: (v2Path: string, operation: string) => string | undefined;
}

type Auth = "key" | "none" | { key: string } | { bearer: string };
interface Call {
  auth?: Auth;
  body?: unknown;
}

/** The authenticated operations, each once without credentials (and with one sample path). */
const AUTHENTICATED: readonly [operation: string, method: string, v2Path: string][] = [
  ["listLicenses", "GET", "/licenses"],
  ["listLocations", "GET", "/licenses/locations"],
  ["getLicense", "GET", "/licenses/lic_pro"],
  ["resetLicenseKey", "POST", "/licenses/lic_pro/reset-key"],
  ["regenerateLicenseKey", "POST", "/licenses/lic_pro/regenerate-key"],
  ["listLicenseIps", "GET", "/licenses/lic_pro/ips"],
  ["addLicenseIp", "POST", "/licenses/lic_pro/ips"],
  ["removeLicenseIp", "DELETE", "/licenses/lic_pro/ips/203.0.113.10"],
  ["listApiKeys", "GET", "/api-keys"],
  ["createApiKey", "POST", "/api-keys"],
  ["updateApiKey", "PATCH", "/api-keys/ck_000000000000"],
  ["deleteApiKey", "DELETE", "/api-keys/ck_000000000000"],
  ["getProfile", "GET", "/profile"],
  ["updateProfile", "PATCH", "/profile"],
  ["getBalance", "GET", "/profile/balance"],
  ["listInvoices", "GET", "/invoices"],
  ["getInvoice", "GET", "/invoices/inv_open"],
  ["payInvoice", "POST", "/invoices/inv_open/pay"],
];

/**
 * Run the session against an app (listened on an ephemeral port for the duration) or a base
 * URL such as `http://localhost:3001`, and return every call in order.
 *
 * @example
 * const calls = await recordCustomerCalls(createApp());
 * const v1 = await recordCustomerCalls(createApp(), { path: (p) => (isV1(p) ? toV1(p) : undefined) });
 */
export async function recordCustomerCalls(target: Express | string, options: RecordOptions = {}): Promise<RecordedCall[]> {
  if (typeof target === "string") return new Session(target.replace(/\/$/, ""), options).run();
  const server = target.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  try {
    return await new Session(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, options).run();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

class Session {
  readonly calls: RecordedCall[] = [];
  constructor(
    private readonly base: string,
    private readonly options: RecordOptions,
  ) {}

  async run(): Promise<RecordedCall[]> {
    await this.deviceSignIn();
    await this.licenses();
    await this.licenseIps();
    await this.apiKeys();
    await this.profileAndInvoices();
    await this.walletSignIn();
    for (const [operation, method, path] of AUTHENTICATED) await this.call(operation, method, path, { auth: "none" });
    return this.calls;
  }

  private async deviceSignIn(): Promise<void> {
    const code = await this.call("startDeviceAuthorization", "POST", "/auth/device/code", { auth: "none", body: { client_id: "orbit-cli" } });
    await this.call("startDeviceAuthorization", "POST", "/auth/device/code", { auth: "none", body: { scope: "licenses" } });
    await this.call("exchangeDeviceCode", "POST", "/auth/device/token", { auth: "none", body: {} });
    await this.call("exchangeDeviceCode", "POST", "/auth/device/token", { auth: "none", body: { device_code: "x", scope: "all" } });
    const deviceCode = code?.status === 200 ? (code.body as { device_code: string }).device_code : undefined;
    if (deviceCode === undefined) return;
    const body = { device_code: deviceCode, grant_type: "urn:ietf:params:oauth:grant-type:device_code", client_id: "orbit-cli" };
    const token = await this.call("exchangeDeviceCode", "POST", "/auth/device/token", { auth: "none", body });
    await this.call("exchangeDeviceCode", "POST", "/auth/device/token", { auth: "none", body }); // single use
    const accessToken = token?.status === 200 ? (token.body as { access_token: string }).access_token : undefined;
    if (accessToken !== undefined) await this.call("getProfile", "GET", "/profile", { auth: { bearer: accessToken } });
  }

  private async licenses(): Promise<void> {
    await this.call("listLicenses", "GET", "/licenses");
    await this.call("listLicenses", "GET", "/licenses", { auth: { key: "orbit_wrong_key" } });
    await this.call("listLicenses", "GET", "/licenses", { auth: { bearer: "orbit_at_expired" } });
    await this.call("listLocations", "GET", "/licenses/locations");
    await this.call("getLicense", "GET", "/licenses/lic_pro");
    await this.call("getLicense", "GET", "/licenses/lic_other"); // another customer's: 404
    await this.call("resetLicenseKey", "POST", "/licenses/lic_pro/reset-key");
    await this.call("resetLicenseKey", "POST", "/licenses/lic_nope/reset-key");
    await this.call("regenerateLicenseKey", "POST", "/licenses/lic_team/regenerate-key");
    await this.call("regenerateLicenseKey", "POST", "/licenses/lic_nope/regenerate-key");
  }

  private async licenseIps(): Promise<void> {
    await this.call("listLicenseIps", "GET", "/licenses/lic_pro/ips");
    await this.call("listLicenseIps", "GET", "/licenses/lic_nope/ips");
    await this.call("addLicenseIp", "POST", "/licenses/lic_pro/ips", { body: { ip: "198.51.100.7" } });
    await this.call("addLicenseIp", "POST", "/licenses/lic_pro/ips", { body: { ip: "2001:db8::1" } });
    await this.call("addLicenseIp", "POST", "/licenses/lic_pro/ips", { body: { ip: "198.51.100.7" } }); // 409
    await this.call("addLicenseIp", "POST", "/licenses/lic_pro/ips", { body: { ip: "999.1.1.1" } });
    await this.call("addLicenseIp", "POST", "/licenses/lic_pro/ips", { body: ["198.51.100.8"] });
    await this.call("addLicenseIp", "POST", "/licenses/lic_pro/ips", { body: { ip: "198.51.100.8", note: "office" } });
    await this.call("addLicenseIp", "POST", "/licenses/lic_nope/ips", { body: { ip: "198.51.100.8" } });
    await this.call("addLicenseIp", "POST", "/licenses/lic_team/ips", { body: { ip: "192.0.2.1" } });
    await this.call("addLicenseIp", "POST", "/licenses/lic_team/ips", { body: { ip: "192.0.2.2" } }); // 409: one allowed
    await this.call("listLicenseIps", "GET", "/licenses/lic_pro/ips");
    await this.call("removeLicenseIp", "DELETE", "/licenses/lic_pro/ips/198.51.100.7");
    await this.call("removeLicenseIp", "DELETE", `/licenses/lic_pro/ips/${encodeURIComponent("2001:db8::1")}`);
    await this.call("removeLicenseIp", "DELETE", "/licenses/lic_pro/ips/198.51.100.7");
    await this.call("removeLicenseIp", "DELETE", "/licenses/lic_nope/ips/192.0.2.1");
  }

  private async apiKeys(): Promise<void> {
    await this.call("listApiKeys", "GET", "/api-keys");
    const created = await this.call("createApiKey", "POST", "/api-keys", { body: { name: "ci" } });
    await this.call("createApiKey", "POST", "/api-keys", { body: { name: "  " } });
    await this.call("createApiKey", "POST", "/api-keys", { body: {} });
    await this.call("createApiKey", "POST", "/api-keys", { body: { name: "ci", expires_in: 3600 } });
    await this.call("updateApiKey", "PATCH", "/api-keys/ck_000000000000", { body: { name: "renamed" } });
    await this.call("deleteApiKey", "DELETE", "/api-keys/ck_000000000000");
    const id = created?.status === 201 ? (created.body as { id: string; key: string }) : undefined;
    if (id === undefined) return;
    await this.call("listLicenses", "GET", "/licenses", { auth: { key: id.key } });
    await this.call("listApiKeys", "GET", "/api-keys");
    await this.call("updateApiKey", "PATCH", `/api-keys/${id.id}`, { body: { name: "ci-runner" } });
    await this.call("updateApiKey", "PATCH", `/api-keys/${id.id}`, { body: { name: 42 } });
    await this.call("updateApiKey", "PATCH", `/api-keys/${id.id}`, { body: { name: "ci", scopes: ["licenses:read"] } });
    await this.call("deleteApiKey", "DELETE", `/api-keys/${id.id}`);
    await this.call("deleteApiKey", "DELETE", `/api-keys/${id.id}`);
    await this.call("listLicenses", "GET", "/licenses", { auth: { key: id.key } }); // the deleted key: 401
  }

  private async profileAndInvoices(): Promise<void> {
    await this.call("getProfile", "GET", "/profile");
    await this.call("updateProfile", "PATCH", "/profile", { body: { company: "Analytical Engines Ltd" } });
    await this.call("updateProfile", "PATCH", "/profile", { body: { email: "ada@example.org" } });
    await this.call("updateProfile", "PATCH", "/profile", { body: { wallet_address: "not-a-key" } });
    await this.call("getBalance", "GET", "/profile/balance");
    await this.call("listInvoices", "GET", "/invoices");
    await this.call("getInvoice", "GET", "/invoices/inv_open");
    await this.call("getInvoice", "GET", "/invoices/inv_nope");
    await this.call("payInvoice", "POST", "/invoices/inv_large/pay"); // 402: 9900 > 5000
    await this.call("payInvoice", "POST", "/invoices/inv_paid/pay"); // 409
    await this.call("payInvoice", "POST", "/invoices/inv_nope/pay");
    await this.call("payInvoice", "POST", "/invoices/inv_open/pay");
    await this.call("getBalance", "GET", "/profile/balance");
  }

  private async walletSignIn(): Promise<void> {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    // The wallet address is the raw 32-byte public key: the DER SubjectPublicKeyInfo after its 12-byte header.
    const address = publicKey.export({ format: "der", type: "spki" }).subarray(12).toString("hex");
    const signed = (message: string) => sign(null, Buffer.from(message), privateKey).toString("hex");
    const challenge = async () => {
      const res = await this.call("createWalletChallenge", "POST", "/auth/wallet/challenge", { auth: "none", body: { address } });
      return res?.status === 200 ? (res.body as { message: string }).message : undefined;
    };
    const verify = (signature: string) => this.call("verifyWalletSignature", "POST", "/auth/wallet/verify", { auth: "none", body: { address, signature } });

    await this.call("createWalletChallenge", "POST", "/auth/wallet/challenge", { auth: "none", body: { address: "0x1234" } });
    await this.call("createWalletChallenge", "POST", "/auth/wallet/challenge", { auth: "none", body: { address, chain: "solana" } });
    await this.call("verifyWalletSignature", "POST", "/auth/wallet/verify", { auth: "none", body: { address } });
    let message = await challenge();
    if (message === undefined) return;
    await verify(signed(message)); // 401: no account has this wallet yet
    await verify(signed(message)); // 400: the challenge was used
    const linked = await this.call("updateProfile", "PATCH", "/profile", { body: { wallet_address: address.toUpperCase() } });
    if (linked?.status !== 200) return;
    message = await challenge();
    if (message === undefined) return;
    await verify(signed("Sign in to somewhere else")); // 401
    message = await challenge();
    if (message === undefined) return;
    await verify("abcd"); // 400: not a signature
    await verify(signed(message)); // the challenge survives a malformed signature
  }

  /** One call, recorded; `undefined` when `options.path` says the operation does not exist. */
  private async call(operation: string, method: string, v2Path: string, { auth = "key", body }: Call = {}): Promise<RecordedCall | undefined> {
    const full = `/customer/v2${v2Path}`;
    const path = this.options.path ? this.options.path(full, operation) : full;
    if (path === undefined) return undefined;
    const headers: Record<string, string> = {};
    if (auth === "key") headers["x-orbit-key"] = DEMO_ORBIT_KEY;
    else if (auth !== "none" && "key" in auth) headers["x-orbit-key"] = auth.key;
    else if (auth !== "none") headers["authorization"] = `Bearer ${auth.bearer}`;
    if (body !== undefined) headers["content-type"] = "application/json";

    const res = await fetch(this.base + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    const type = res.headers.get("content-type") ?? "";
    const call: RecordedCall = {
      operation,
      request: { method, path, headers, ...(body === undefined ? {} : { body }) },
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: text === "" ? undefined : /[/+]json\b/.test(type) ? JSON.parse(text) : text,
    };
    this.calls.push(call);
    return call;
  }
}
