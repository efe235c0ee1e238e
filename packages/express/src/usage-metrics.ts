import type { ResolvedEvent } from "./usage";

/**
 * The part of an OpenTelemetry `Meter` (`@opentelemetry/api`) this uses. OpenTelemetry, not
 * prom-client: it is the vendor-neutral standard, its API package is small and stable, and
 * its exporters include Prometheus, so one hook serves every backend.
 */
export interface MeterLike {
  createCounter(name: string, options?: { description?: string; unit?: string }): { add(value: number, attributes?: Record<string, string | boolean>): void };
}

/**
 * An `onResolved` hook counting requests per version, source and deprecation in an
 * OpenTelemetry counter (`strata.requests`). Accounts are not an attribute: metrics need few
 * distinct attribute sets; per-account usage is what `usage` records.
 *
 * @example
 * import { metrics } from "@opentelemetry/api";
 * app.use(versioning({ versions, onResolved: usageMetrics(metrics.getMeter("api")) }));
 */
export function usageMetrics(meter: MeterLike, options: { name?: string } = {}): (event: ResolvedEvent) => void {
  const counter = meter.createCounter(options.name ?? "strata.requests", {
    description: "Requests served, by API version and where the version came from",
    unit: "{request}",
  });
  // One attribute object per (version, source, deprecated): nothing allocated per request.
  const attributes = new Map<string, Record<string, string | boolean>>();
  return function countRequest(event) {
    const key = `${event.version.id}\u0000${event.source}\u0000${event.deprecated}`;
    let attrs = attributes.get(key);
    if (!attrs)
      attributes.set(
        key,
        (attrs = { "strata.version": event.version.id, "strata.version.source": event.source, "strata.version.deprecated": event.deprecated }),
      );
    counter.add(1, attrs);
  };
}
