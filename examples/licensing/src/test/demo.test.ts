/** What `npm run start:licensing` sets up and prints: the seeded demo and curl lines that work. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { createApp } from "../app";
import { openDb } from "../db";
import { curlLines, DEMO, seedDemo } from "../demo";
import { changelogMarkdown } from "../changelog";

describe("demo", () => {
  const db = openDb(":memory:");
  const api = createApp({ db, webhooks: { maxAttempts: 1 }, onError: (err) => failures.push(err) });
  const failures: unknown[] = [];
  afterAll(async () => {
    await api.close();
    db.close();
  });

  test("seeds once, pinned at 1.3, and a restart finds it", async () => {
    const first = await seedDemo(db, api.pins);
    const again = await seedDemo(db, api.pins);
    expect(again).toEqual(first);
    expect((await api.pins.get(first.accountId))?.version).toBe(DEMO.pinnedAt);
  });

  test("every printed curl line works against the app", async () => {
    const ids = await seedDemo(db, api.pins);
    const lines = curlLines("http://localhost:3002", ids, "http://127.0.0.1:9/webhooks")
      .split("\n")
      .filter((l) => l.startsWith("curl"));
    expect(lines.length).toBeGreaterThanOrEqual(12);
    for (const line of lines) {
      const url = /(http:\/\/localhost:3002\S+)/.exec(line)![1]!.replace("http://localhost:3002", "");
      const method = /-X (\w+)/.exec(line)?.[1] ?? "GET";
      let r = request(api.app)[method.toLowerCase() as "get" | "post"](url);
      for (const [, name, value] of line.matchAll(/-H '([^:]+): ([^']+)'/g)) r = r.set(name!, value!);
      const body = /-d '([^']+)'/.exec(line)?.[1];
      const res = await (body ? r.send(body) : r);
      const expected = line.includes("v1.6")
        ? 400
        : method === "POST" && url.endsWith("/licenses")
          ? 201
          : method === "POST" && url.endsWith("webhook-endpoints")
            ? 201
            : 200;
      expect({ line, status: res.status }).toEqual({ line, status: expected });
    }
    await api.webhooks.settled();
    expect(failures).toEqual([]);
  });
});

test("the README's changelog is the one the version list renders", () => {
  const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
  expect(readme).toContain(changelogMarkdown());
});
