// The first-run way in: when the configuration names no roles and the console listens only on
// this machine, each start makes one random sign-in token; the link carrying it signs the first
// browser that opens it in as the local user, with every role (like `sportello chat` in a terminal).
//
// Why once per start and no time limit: loopback is shared by every account on the machine, so the
// token is what keeps the console to whoever started it. Spent on first use, it is worthless in the
// browser history, a shell scrollback or a log afterwards; left unused it stays valid while the
// process runs, because the newcomer this exists for may open it minutes or hours later, and a
// time limit would send them back to restart anyway. A new link needs a restart.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";

/** The path of the link; it answers 404 whenever local sign-in is off. */
export const localSignInPath = "/accesso/locale";

export type LocalTokenCheck = "ok" | "wrong" | "used";

// Far longer than any token we make; a longer value is wrong without being hashed.
const maxTokenLength = 256;

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and IPv4-mapped 127.x. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").toLowerCase();
  if (isIPv4(bare)) return bare.startsWith("127.");
  if (!isIPv6(bare)) return false;
  if (bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  return mapped?.[1]?.startsWith("127.") ?? false;
}

/**
 * The token of the running console. Only its SHA-256 is kept: comparing two digests of equal
 * length with timingSafeEqual keeps the check constant-time whatever the length submitted.
 */
export class LocalSignIn {
  private expected: Buffer | undefined;
  private spent = false;

  /** Makes a new token (the previous one stops working) and returns it, once. */
  arm(): string {
    const token = randomBytes(32).toString("base64url");
    this.expected = digest(token);
    this.spent = false;
    return token;
  }

  /** No token any more: the link answers 404. */
  disarm(): void {
    this.expected = undefined;
    this.spent = false;
  }

  /** True while the link exists (armed, used or not). */
  get active(): boolean {
    return this.expected !== undefined;
  }

  /** True once the token has signed someone in. */
  get used(): boolean {
    return this.active && this.spent;
  }

  /**
   * Checks a submitted token and spends it on success. The right token a second time is "used"
   * (the person holding it deserves to know why); anything else is "wrong".
   */
  consume(submitted: unknown): LocalTokenCheck {
    const expected = this.expected;
    if (!expected || typeof submitted !== "string" || submitted.length > maxTokenLength) {
      return "wrong";
    }
    if (!timingSafeEqual(digest(submitted), expected)) return "wrong";
    if (this.spent) return "used";
    this.spent = true;
    return "ok";
  }
}
