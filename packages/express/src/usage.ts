import type { Request } from "express";
import { lifecycleOf, usageRecorder, type UsageRecorder, type UsageRecorderOptions, type UsageStore, type Version, type VersionSource } from "@strata/core";
import { ConfigurationError } from "@strata/core";

/** What `onResolved` hears for every request the middleware resolves. */
export interface ResolvedEvent {
  req: Request;
  version: Version;
  source: VersionSource;
  /** The account, when the request has one (`account` answered). */
  account?: string;
  /** The version was deprecated when the request was served. */
  deprecated: boolean;
}

/** `versioning({ usage })`: `true` to record into the pin store, or where and how often. */
export type UsageOption = true | (UsageRecorderOptions & { store?: UsageStore });

/** The recorder `usage` asks for, or `undefined` when usage is not recorded. */
export function recorderFor(option: UsageOption | undefined, pins: Partial<UsageStore> | undefined): UsageRecorder | undefined {
  if (option === undefined) return undefined;
  const { store, ...recorderOptions } = option === true ? ({} as UsageOption & object) : option;
  const target = store ?? (typeof pins?.recordUsage === "function" ? (pins as UsageStore) : undefined);
  if (!target)
    throw new ConfigurationError(
      "versioning(): `usage` needs a store with recordUsage(): pass `usage: { store }`, or a pin store that records usage.",
      "usage",
    );
  return usageRecorder(target, recorderOptions);
}

/**
 * Report one resolved request to the recorder and the hook. The account comes from the
 * resolution when the pin was read; otherwise (header, URL, default) from `account`, only
 * because usage is asked for.
 */
export function reporter(
  recorder: UsageRecorder | undefined,
  onResolved: ((event: ResolvedEvent) => void) | undefined,
  accountOf: ((req: Request) => string | undefined | Promise<string | undefined>) | undefined,
  now: () => Date,
): ((req: Request, version: Version, source: VersionSource, account: string | undefined) => void) | undefined {
  if (!recorder && !onResolved) return undefined;
  return (req, version, source, known) => {
    const deprecated = version.deprecatedAt !== undefined && lifecycleOf(version, now()) !== "active";
    const emit = (account: string | undefined): void => {
      recorder?.record(account, version.id, source, deprecated);
      if (onResolved) {
        try {
          onResolved({ req, version, source, deprecated, ...(account !== undefined ? { account } : {}) });
        } catch {
          // A metrics hook must never fail the request it observes.
        }
      }
    };
    if (known !== undefined || !accountOf) return emit(known);
    let account: string | undefined | Promise<string | undefined>;
    try {
      account = accountOf(req);
    } catch {
      return emit(undefined);
    }
    if (account instanceof Promise) account.then(emit, () => emit(undefined));
    else emit(account);
  };
}
