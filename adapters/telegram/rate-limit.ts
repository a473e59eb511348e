// Per-user sliding-window rate limit: protects the bot and the store from a runaway client or a
// pasted flood, and tells the person once per window instead of answering every message.
import { BoundedMap } from "./bounded-map.js";

export interface RateLimitOptions {
  /** Messages a user may send in one window; Infinity disables the limit. */
  limit: number;
  windowMs: number;
}

export const defaultRateLimit: RateLimitOptions = { limit: 20, windowMs: 60_000 };

export type RateDecision =
  | { allowed: true }
  | { allowed: false; retryAfterSeconds: number; notify: boolean };

interface Window {
  hits: number[];
  notifiedAt: number | undefined;
}

export class RateLimiter {
  readonly #windows = new BoundedMap<string, Window>(10_000);
  readonly #options: RateLimitOptions;

  constructor(options: RateLimitOptions = defaultRateLimit) {
    this.#options = options;
  }

  check(userKey: string, now = Date.now()): RateDecision {
    const { limit, windowMs } = this.#options;
    if (!Number.isFinite(limit)) return { allowed: true };
    const window = this.#windows.get(userKey) ?? { hits: [], notifiedAt: undefined };
    window.hits = window.hits.filter((t) => now - t < windowMs);
    this.#windows.set(userKey, window);
    if (window.hits.length < limit) {
      window.hits.push(now);
      return { allowed: true };
    }
    const oldest = window.hits[0] ?? now;
    const retryAfterSeconds = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    const notify = window.notifiedAt === undefined || now - window.notifiedAt >= windowMs;
    if (notify) window.notifiedAt = now;
    return { allowed: false, retryAfterSeconds, notify };
  }
}
