// Sign-in throttling that slows guessing without letting anyone lock a user out.
//
// Policy (README, "The web console"):
// - Failures are counted per user name *and client*: the client is the browser's device cookie
//   when it holds a valid one for that name (given at a successful sign-in), otherwise its
//   address. After `freeAttempts` failures that client waits before its next attempt is checked,
//   1 s, then 2 s, 4 s … up to 15 minutes; the wait is forgotten after 15 quiet minutes or at a
//   successful sign-in. Nothing is counted per name alone or per address alone, so strangers
//   (even behind the same proxy, all 127.0.0.1) cannot lock a user out: the user's own browser
//   keeps its device cookie and its own, clean count.
// - Across all names, more than `globalPerMinute` failures in a minute make every attempt from a
//   client without a device cookie wait a little before it is checked (doubling with the excess,
//   at most 5 s): a spray over many names and addresses slows down, nobody is refused.
// - scrypt (passwords.ts) keeps each check at tens of milliseconds whatever happens here.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export interface SignInLimits {
  /** Failures a client may make for one user before it has to wait. Default 5. */
  freeAttempts?: number;
  /** The first wait; it doubles with each further failure. Default 1 second. */
  baseDelayMs?: number;
  /** The longest wait. Default 15 minutes. */
  maxDelayMs?: number;
  /** Quiet time after which a client's failures are forgotten. Default 15 minutes. */
  windowMs?: number;
  /** Failures per minute, all users together, above which untrusted attempts are slowed. Default 60. */
  globalPerMinute?: number;
  /** The first global slow-down; doubles with the excess, capped at 5 s. Default 250 ms. */
  globalDelayMs?: number;
  /** Key for device cookies (the console derives it from SPORTELLO_SECRET). Default random. */
  deviceKey?: string | Buffer;
  now?: () => number;
}

export type SignInVerdict =
  | { allowed: true /** Wait this long before checking the password. */; delayMs: number }
  | { allowed: false; retryAfterMs: number };

interface ClientFailures {
  failures: number;
  last: number;
}

const maxClients = 100_000;
const maxGlobalDelayMs = 5_000;

export class SignInLimiter {
  private readonly clients = new Map<string, ClientFailures>();
  private readonly freeAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly windowMs: number;
  private readonly globalPerMinute: number;
  private readonly globalDelayMs: number;
  private readonly deviceKey: Buffer;
  private readonly now: () => number;
  /** Failures in the current and the previous minute. */
  private minute = { start: 0, current: 0, previous: 0 };

  constructor(limits: SignInLimits = {}) {
    this.freeAttempts = limits.freeAttempts ?? 5;
    this.baseDelayMs = limits.baseDelayMs ?? 1_000;
    this.maxDelayMs = limits.maxDelayMs ?? 15 * 60 * 1000;
    this.windowMs = limits.windowMs ?? 15 * 60 * 1000;
    this.globalPerMinute = limits.globalPerMinute ?? 60;
    this.globalDelayMs = limits.globalDelayMs ?? 250;
    this.deviceKey =
      limits.deviceKey === undefined
        ? randomBytes(32)
        : createHmac("sha256", limits.deviceKey).update("console-device-cookie").digest();
    this.now = limits.now ?? Date.now;
  }

  /** May this client try a password for `user` now, and after how long a wait? */
  check(user: string, client: SignInClient): SignInVerdict {
    const at = this.now();
    const entry = this.entry(this.key(user, client), at);
    if (entry && entry.failures >= this.freeAttempts) {
      const wait = this.waitAfter(entry.failures);
      if (at - entry.last < wait) return { allowed: false, retryAfterMs: wait - (at - entry.last) };
    }
    return { allowed: true, delayMs: client.device ? 0 : this.globalDelay(at) };
  }

  recordFailure(user: string, client: SignInClient): void {
    const at = this.now();
    const key = this.key(user, client);
    const entry = this.entry(key, at) ?? { failures: 0, last: at };
    entry.failures++;
    entry.last = at;
    this.clients.delete(key);
    this.clients.set(key, entry);
    this.rollMinute(at);
    this.minute.current++;
    if (this.clients.size > maxClients) this.sweep(at);
  }

  /** A successful sign-in clears this client's failures for the user. */
  recordSuccess(user: string, client: SignInClient): void {
    this.clients.delete(this.key(user, client));
  }

  /** A new device cookie value for a browser that has just signed in as `user`. */
  issueDevice(user: string): string {
    const nonce = randomBytes(18).toString("base64url");
    return `${nonce}.${this.deviceMac(user, nonce)}`;
  }

  /** The device id in `cookie` when it was issued to `user`; undefined otherwise. */
  deviceOf(user: string, cookie: string | undefined): string | undefined {
    const match = /^([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{43})$/.exec(cookie ?? "");
    if (!match) return undefined;
    const [, nonce = "", mac = ""] = match;
    const expected = Buffer.from(this.deviceMac(user, nonce));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : undefined;
  }

  private deviceMac(user: string, nonce: string): string {
    return createHmac("sha256", this.deviceKey)
      .update(`${user.toLowerCase()}\n${nonce}`)
      .digest("base64url");
  }

  private key(user: string, client: SignInClient): string {
    const who = client.device ? `d:${client.device}` : `a:${client.address}`;
    return `${user.toLowerCase()}\n${who}`;
  }

  private entry(key: string, at: number): ClientFailures | undefined {
    const entry = this.clients.get(key);
    if (!entry) return undefined;
    if (at - entry.last > Math.max(this.windowMs, this.waitAfter(entry.failures))) {
      this.clients.delete(key);
      return undefined;
    }
    return entry;
  }

  private waitAfter(failures: number): number {
    if (failures < this.freeAttempts) return 0;
    const doublings = Math.min(failures - this.freeAttempts, 30);
    return Math.min(this.baseDelayMs * 2 ** doublings, this.maxDelayMs);
  }

  private rollMinute(at: number): void {
    const elapsed = at - this.minute.start;
    if (elapsed < 60_000) return;
    this.minute = {
      start: at,
      current: 0,
      previous: elapsed < 120_000 ? this.minute.current : 0,
    };
  }

  private globalDelay(at: number): number {
    this.rollMinute(at);
    const recent = this.minute.current + this.minute.previous;
    if (recent <= this.globalPerMinute) return 0;
    const doublings = Math.min(Math.floor(recent / this.globalPerMinute) - 1, 20);
    return Math.min(this.globalDelayMs * 2 ** doublings, maxGlobalDelayMs);
  }

  private sweep(at: number): void {
    for (const key of [...this.clients.keys()]) this.entry(key, at);
    // Still too many: forget the oldest (Map order is least recently failed first).
    for (const key of this.clients.keys()) {
      if (this.clients.size <= maxClients) break;
      this.clients.delete(key);
    }
  }
}

/** Who is trying: their address as the socket sees it, and their device id if they hold one. */
export interface SignInClient {
  address: string;
  device?: string | undefined;
}
