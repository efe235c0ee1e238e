/** The outcome of one ratelimit for one request. */
export interface RatelimitCheck {
  passed: boolean;
  /** What is left in the current window after this request (if it passes). */
  remaining: number;
  /** When the current window ends, unix ms. */
  reset: number;
}

export interface RatelimitRule {
  /** Counters are per id: a key's ratelimit, or an identity's shared by its keys. */
  id: string;
  limit: number;
  duration: number;
  cost: number;
}

/**
 * Fixed-window counters in memory. Verification checks all of a key's limits first and
 * commits only if every one passes, so a rejected request does not use up another limit.
 */
export class Ratelimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  check(rules: readonly RatelimitRule[], now = Date.now()): { results: RatelimitCheck[]; commit(): void } {
    const results = rules.map((r) => {
      const start = Math.floor(now / r.duration) * r.duration;
      const w = this.windows.get(r.id);
      const used = w && w.start === start ? w.used : 0;
      const passed = used + r.cost <= r.limit;
      return { passed, remaining: Math.max(0, r.limit - used - (passed ? r.cost : 0)), reset: start + r.duration };
    });
    const commit = () => {
      rules.forEach((r, i) => {
        const start = results[i]!.reset - r.duration;
        const w = this.windows.get(r.id);
        if (w && w.start === start) w.used += r.cost;
        else this.windows.set(r.id, { start, used: r.cost });
      });
    };
    return { results, commit };
  }
}
