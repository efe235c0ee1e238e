import { execFile } from "node:child_process";
import { join } from "node:path";
import { PinStoreTimeoutError, withDeadline } from "@strata/core";
import { sleep } from "./pin-store-conformance";

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
const later = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe("withDeadline", () => {
  it("settles with the work when it finishes in time", async () => {
    await expect(withDeadline(later(5, "pin"), 1000, "op")).resolves.toBe("pin");
    const failure = new Error("ECONNREFUSED");
    await expect(withDeadline(Promise.reject(failure), 1000, "op")).rejects.toBe(failure);
  });

  it("rejects with a PinStoreTimeoutError naming the operation once the deadline passes", async () => {
    const started = Date.now();
    const error = await withDeadline(never(), 50, "postgresPins: get").catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(500);
    expect(error).toBeInstanceOf(PinStoreTimeoutError);
    expect(error).toMatchObject({
      name: "PinStoreTimeoutError",
      code: "ETIMEDOUT",
      operation: "postgresPins: get",
      timeoutMs: 50,
      message: "postgresPins: get did not complete within 50 ms",
    });
  });

  it("hands a value that arrives after the deadline to onLate, so it can be given back", async () => {
    const late: string[] = [];
    await expect(withDeadline(later(60, "connection"), 20, "connect", (value) => late.push(value))).rejects.toBeInstanceOf(PinStoreTimeoutError);
    expect(late).toEqual([]);
    await sleep(80);
    expect(late).toEqual(["connection"]);
  });

  it("does not call onLate for work that finished in time, nor report a failure that came too late", async () => {
    const onLate = jest.fn();
    await withDeadline(later(1, "x"), 1000, "op", onLate);
    const unhandled = jest.fn();
    process.on("unhandledRejection", unhandled);
    try {
      const failsLate = new Promise((_, reject) => setTimeout(() => reject(new Error("too late")), 30));
      await expect(withDeadline(failsLate, 10, "op", onLate)).rejects.toBeInstanceOf(PinStoreTimeoutError);
      await sleep(50);
    } finally {
      process.off("unhandledRejection", unhandled);
    }
    expect(onLate).not.toHaveBeenCalled();
    expect(unhandled).not.toHaveBeenCalled();
  });

  it("applies no deadline when given none (0, negative, Infinity, NaN)", async () => {
    for (const timeoutMs of [0, -1, Infinity, Number.NaN]) {
      const work = later(20, timeoutMs);
      expect(withDeadline(work, timeoutMs, "op")).toBe(work);
    }
  });

  it("does not keep the process alive while a call is pending", async () => {
    // A child process whose only pending thing is a call with a one-minute deadline must exit
    // at once: a store call stuck in a dead network may not hold a finished process open.
    const root = join(__dirname, "..", "..");
    const script = `
      require("ts-node").register({ project: ${JSON.stringify(join(root, "tsconfig.test.json"))}, transpileOnly: true,
        compilerOptions: { module: "commonjs", rootDir: ${JSON.stringify(root)} } });
      const { withDeadline } = require(${JSON.stringify(join(root, "packages/core/src/pins/deadline.ts"))});
      withDeadline(new Promise(() => {}), 60000, "op").catch(() => process.exit(3));
    `;
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const child = execFile(process.execPath, ["-e", script], { timeout: 20_000 }, (error) => {
        resolve(error ? (typeof error.code === "number" ? error.code : null) : 0);
      });
      child.stdin?.end();
    });
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000); // ts-node's start-up, not the minute
  });
});
