// Failed and throttled sign-ins in the audit trail, in bounded amounts. Anyone can post the
// sign-in form, so writing a row per attempt would let strangers grow the database at will.
// Instead, per 15-minute window: the first failure of each name is written at once (attempts: 1),
// further ones are counted and written as one row per name when the window closes; past
// `maxNames` names in a window, the rest are one row by Sportello itself with how many attempts
// and names there were. Coordinators still see that, when and against whom attacks happened.
import type { AdapterAuditEntry } from "../ports.js";

type FailureAction = "console.signin_failed" | "console.signin_throttled";

export interface SignInAuditOptions {
  /** Default 15 minutes. */
  windowMs?: number;
  /** Names with rows of their own per window. Default 50. */
  maxNames?: number;
  now?: () => number;
}

export class SignInAudit {
  private readonly windowMs: number;
  private readonly maxNames: number;
  private readonly now: () => number;
  private windowStart: number;
  /** action + name → attempts after the first, in this window. */
  private readonly counts = new Map<
    string,
    { action: FailureAction; user: string; more: number }
  >();
  private overflow = { attempts: 0, names: new Set<string>() };

  constructor(
    private readonly record: (entry: AdapterAuditEntry) => void,
    options: SignInAuditOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 15 * 60 * 1000;
    this.maxNames = options.maxNames ?? 50;
    this.now = options.now ?? Date.now;
    this.windowStart = this.now();
  }

  /** One failed (or throttled) attempt for the name `user`. */
  failed(action: FailureAction, user: string): void {
    this.rollWindow();
    const key = `${action}\n${user}`;
    const known = this.counts.get(key);
    if (known) {
      known.more++;
      return;
    }
    if (this.counts.size >= this.maxNames) {
      this.overflow.attempts++;
      // Bounded too: the count of names is what matters, not which.
      if (this.overflow.names.size < 100_000) this.overflow.names.add(user.toLowerCase());
      return;
    }
    this.counts.set(key, { action, user, more: 0 });
    this.record({ actor: { channel: "web", userId: user }, action, detail: { attempts: 1 } });
  }

  /** Writes what the current window counted and starts a new one (also at stop). */
  flush(): void {
    const minutes = Math.max(1, Math.round((this.now() - this.windowStart) / 60_000));
    const counts = [...this.counts.values()];
    const overflow = this.overflow;
    this.counts.clear();
    this.overflow = { attempts: 0, names: new Set() };
    this.windowStart = this.now();
    for (const { action, user, more } of counts) {
      if (more === 0) continue;
      this.record({
        actor: { channel: "web", userId: user },
        action,
        detail: { attempts: more, minutes },
      });
    }
    if (overflow.attempts > 0) {
      this.record({
        actor: { system: "console" },
        action: "console.signin_failed",
        detail: { attempts: overflow.attempts, names: overflow.names.size, minutes },
      });
    }
  }

  /** Writes the window's counts when it has closed, or now when `always`. */
  tick(always = false): void {
    if (always || this.now() - this.windowStart >= this.windowMs) this.flush();
  }

  private rollWindow(): void {
    this.tick();
  }
}
