/// <reference lib="dom" />
/**
 * The account admins' page in a real browser: Debian's Chromium, driven by playwright-core.
 * An admin reads the pin, compares, upgrades (the API serves the new version at once), rolls
 * back while the window is open; a viewer sees no forms; forged posts are refused; axe-core
 * finds no serious accessibility violation; narrow screens do not scroll sideways.
 * Screenshots of each state go to test-results/admin-page/ (not committed).
 */
import { mkdirSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import express from "express";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { memoryPins, type PinStore } from "@strata/core";
import { versioning, versioningAdmin } from "@strata/express";
import { defineContracts } from "@strata/openapi";
import { fixtureVersions, headDocument } from "../../packages/openapi/src/test/fixture";
import { CHROMIUM, whenChromium } from "./chromium";

const SHOTS = join(__dirname, "..", "..", "test-results", "admin-page");
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

interface Site {
  base: string;
  pins: PinStore;
  flushUsage(): Promise<void>;
  clock: { now: Date };
  close(): Promise<void>;
}

async function listen(app: express.Express): Promise<{ base: string; server: Server }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** The API and its settings page; who is signed in comes from test headers. */
async function site(): Promise<Site> {
  const versions = fixtureVersions();
  const contracts = defineContracts({ versions, document: headDocument(), resources: { key: "Key" } });
  const pins = memoryPins();
  // The store stamps history with the real time, so the page's clock starts there too.
  const clock = { now: new Date() };
  const app = express();
  const mw = versioning({ versions, pins, account: (req) => req.get("x-account"), now: () => clock.now, usage: { flushIntervalMs: 60_000 } });
  app.use(
    "/settings/api-version",
    versioningAdmin({
      versions,
      pins,
      middleware: mw,
      account: (req) => req.get("x-account"),
      authorize: (req, action, account) => account === req.get("x-account") && (action === "read" || req.get("x-role") === "owner"),
      actor: (req) => `user:${req.get("x-user") ?? "unknown"}`,
      now: () => clock.now,
      page: { title: "API version", contracts },
    }),
  );
  app.use(mw);
  app.use(express.json());
  app.post("/v2/keys.getKey", (_req, res) => void res.json({ id: "key_1", externalId: "user_1", status: "enabled", lastUsedAt: 1 }));
  const { base, server } = await listen(app);
  return {
    base,
    pins,
    clock,
    flushUsage: () => mw.usage!.flush(),
    close: async () => {
      await mw.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

whenChromium("the account's API-version page in Chromium", () => {
  let browser: Browser;
  let s: Site;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    s = await site();
    await s.pins.set("acct_1", "2024-01-01", { actor: "user:founder", reason: "integration built" });
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
    await s.close();
  });

  const as = async (role: "owner" | "viewer", options: { width?: number; bypassCSP?: boolean } = {}): Promise<Page> => {
    const context = await browser.newContext({
      extraHTTPHeaders: { "x-account": "acct_1", "x-role": role, "x-user": role === "owner" ? "ada" : "vic" },
      viewport: { width: options.width ?? 1100, height: 900 },
      ...(options.bypassCSP ? { bypassCSP: true } : {}),
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${s.base}/settings/api-version/`);
    return page;
  };
  const servedVersion = async () => {
    const res = await fetch(`${s.base}/v2/keys.getKey`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-account": "acct_1" },
      body: '{"keyId":"key_1"}',
    });
    return { version: res.headers.get("api-version"), body: (await res.json()) as Record<string, unknown> };
  };

  it("lets an admin compare, upgrade, and roll back within the window", async () => {
    // Some code of the account's still sends an old version header; most follows the pin.
    for (let i = 0; i < 3; i++) await servedVersion();
    await fetch(`${s.base}/v2/keys.getKey`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-account": "acct_1", "api-version": "2024-06-01" },
      body: "{}",
    });
    await s.flushUsage();
    const page = await as("owner");
    const usage = await page.textContent("#usage-heading + table");
    expect(usage).toMatch(/2024-01-01 \(deprecated\)\s*3\s*your pin: 3/);
    expect(usage).toMatch(/2024-06-01 \(active\)\s*1\s*version header: 1/);
    expect(await page.textContent("#pinned-version")).toBe("2024-01-01");
    expect(await page.textContent("#latest-version")).toBe("2025-01-01");
    await page.screenshot({ path: join(SHOTS, "1-pinned.png"), fullPage: true });

    await page.selectOption("#compare", "2024-06-01");
    await page.click("#compare-form button");
    await page.waitForSelector("#comparison");
    const comparison = await page.textContent("#comparison");
    expect(comparison).toContain("What changes from 2024-01-01 to 2024-06-01");
    expect(comparison).toContain("`ownerId` on key is renamed to `externalId`.");
    expect(comparison).toMatch(/Breaking: .*/); // the documents' differences, from @strata/openapi
    await page.screenshot({ path: join(SHOTS, "2-compare.png"), fullPage: true });

    // The confirmation step: without the box ticked the browser does not submit.
    await page.click("#upgrade-form button");
    expect(await s.pins.get("acct_1")).toMatchObject({ version: "2024-01-01" });
    await page.check("#confirm");
    await page.fill("#reason", "new SDK");
    await Promise.all([page.waitForURL(/done=upgraded/), page.click("#upgrade-form button")]);
    expect(await page.textContent("#pinned-version")).toBe("2024-06-01");
    expect(await page.textContent("[role=status]")).toContain("Upgraded: this account now uses 2024-06-01.");
    expect(await page.textContent("#history")).toContain("new SDK");
    await page.screenshot({ path: join(SHOTS, "3-upgraded.png"), fullPage: true });

    // The API serves the new version on the very next request.
    expect(await servedVersion()).toMatchObject({ version: "2024-06-01", body: { externalId: "user_1" } });

    expect(await page.textContent("#rollback-window")).toMatch(/You can roll back to 2024-01-01 until .* \((71 h 59|72 h 0) min left\)\./);
    await Promise.all([page.waitForURL(/done=rolled-back/), page.click("#rollback-form button")]);
    expect(await page.textContent("#pinned-version")).toBe("2024-01-01");
    expect(await page.locator("#rollback-form").count()).toBe(0);
    expect(await servedVersion()).toMatchObject({ version: "2024-01-01", body: { ownerId: "user_1" } });
    await page.screenshot({ path: join(SHOTS, "4-rolled-back.png"), fullPage: true });
  });

  it("takes the rollback button away when the window closes", async () => {
    const page = await as("owner");
    await page.goto(`${s.base}/settings/api-version/?compare=2025-01-01`);
    await page.check("#confirm");
    await Promise.all([page.waitForURL(/done=upgraded/), page.click("#upgrade-form button")]);
    expect(await page.locator("#rollback-form").count()).toBe(1);
    const upgradedAt = (await s.pins.history("acct_1", { limit: 1 }))[0]!.at.getTime();
    s.clock.now = new Date(upgradedAt + 71 * 3_600_000 + 30 * 60_000);
    await page.reload();
    expect(await page.textContent("#rollback-window")).toContain("(0 h 30 min left)");
    s.clock.now = new Date(s.clock.now.getTime() + 31 * 60_000);
    await page.reload();
    expect(await page.locator("#rollback-form").count()).toBe(0);
    expect(await page.textContent("#pinned-version")).toBe("2025-01-01");
  });

  it("shows a viewer the page without any form, and refuses what a viewer or another site posts", async () => {
    const page = await as("viewer");
    expect(await page.textContent("#pinned-version")).toBe("2024-01-01");
    expect(await page.locator("form").count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, "5-viewer.png"), fullPage: true });
    const viewerPost = await page.request.post(`${s.base}/settings/api-version/upgrade`, { form: { version: "2024-06-01", confirm: "yes" }, maxRedirects: 0 });
    expect({ status: viewerPost.status(), body: (await viewerPost.text()).slice(0, 300) }).toMatchObject({ status: 403 });

    // An admin signed in, and another site that posts the upgrade form at them.
    const admin = await as("owner");
    const evil = express();
    evil.get("/", (_req, res) =>
      res.send(
        `<form id="f" method="post" action="${s.base}/settings/api-version/upgrade"><input name="version" value="2025-01-01"><input name="confirm" value="yes"><input name="token" value="guess"></form><script>document.getElementById("f").submit()</script>`,
      ),
    );
    const other = await listen(evil);
    try {
      const other127 = other.base.replace("127.0.0.1", "localhost"); // a different origin
      const [response] = await Promise.all([admin.waitForResponse((r) => r.url().endsWith("/settings/api-version/upgrade")), admin.goto(other127)]);
      expect(response.status()).toBe(403);
      await admin.waitForURL(/\/settings\/api-version\/upgrade$/);
      expect(await admin.textContent("[role=alert]")).toContain("The form could not be accepted");
    } finally {
      await new Promise<void>((resolve) => other.server.close(() => resolve()));
    }
    expect(await s.pins.get("acct_1")).toMatchObject({ version: "2024-01-01" });
  });

  it("has no serious accessibility violations (axe-core), and fits a narrow screen", async () => {
    for (const width of [1100, 375]) {
      const page = await as("owner", { width, bypassCSP: true });
      await page.goto(`${s.base}/settings/api-version/?compare=2025-01-01`);
      await page.evaluate(AXE);
      const violations = await page.evaluate(async () => {
        const result = await (
          window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }
        ).axe.run();
        return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.nodes.length})`);
      });
      expect({ width, violations }).toEqual({ width, violations: [] });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect({ width, overflow: overflow <= 0 }).toEqual({ width, overflow: true });
      // Keyboard: the version choice, the box and the button are reachable with Tab.
      const focusable = await page.evaluate(() => [...document.querySelectorAll("select, input:not([type=hidden]), button")].length);
      expect(focusable).toBeGreaterThanOrEqual(5);
      if (width === 375) await page.screenshot({ path: join(SHOTS, "6-narrow.png"), fullPage: true });
    }
  });
});
