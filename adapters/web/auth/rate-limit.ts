// Sign-in throttling: failed attempts are counted per user name and per client address over a
// sliding window; past the limit the form refuses without checking the password.
export interface SignInLimits {
  /** Failed attempts allowed per user name within the window. Default 5. */
  perUser?: number;
  /** Failed attempts allowed per client address within the window. Default 20. */
  perAddress?: number;
  /** Window length. Default 15 minutes. */
  windowMs?: number;
  now?: () => number;
}

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly perUser: number;
  private readonly perAddress: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(limits: SignInLimits = {}) {
    this.perUser = limits.perUser ?? 5;
    this.perAddress = limits.perAddress ?? 20;
    this.windowMs = limits.windowMs ?? 15 * 60 * 1000;
    this.now = limits.now ?? Date.now;
  }

  /** True when another attempt for this user from this address may be checked. */
  allows(user: string, address: string): boolean {
    return (
      this.recent(`u:${user.toLowerCase()}`) < this.perUser &&
      this.recent(`a:${address}`) < this.perAddress
    );
  }

  recordFailure(user: string, address: string): void {
    for (const key of [`u:${user.toLowerCase()}`, `a:${address}`]) {
      const list = this.failures.get(key) ?? [];
      list.push(this.now());
      this.failures.set(key, list);
    }
    if (this.failures.size > 50_000) this.sweep();
  }

  /** A successful sign-in clears the user's count (not the address's: one good password does not excuse a spray). */
  recordSuccess(user: string): void {
    this.failures.delete(`u:${user.toLowerCase()}`);
  }

  private recent(key: string): number {
    const list = this.failures.get(key);
    if (!list) return 0;
    const since = this.now() - this.windowMs;
    const kept = list.filter((at) => at > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept.length;
  }

  private sweep(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
