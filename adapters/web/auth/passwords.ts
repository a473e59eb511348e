// Console passwords: scrypt hashes (node:crypto) in a self-describing string, and the file that
// keeps them next to the database when the store does not.
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import * as z from "zod";
import { SportelloError } from "../../../src/index.js";
import { t } from "../text.js";

// OWASP's floor for scrypt: N=2^15, r=8, p=1 costs ~32 MiB and ~50 ms here, which is the point:
// a stolen file should be slow to brute-force. maxmem must cover 128 * N * r bytes.
const defaultCost = { N: 2 ** 15, r: 8, p: 1 } as const;
const keyLength = 32;
const minPasswordLength = 10;
const maxPasswordLength = 1024;

interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

function scryptAsync(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize("NFKC"),
      salt,
      keyLength,
      { ...cost, maxmem: 256 * cost.N * cost.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(
  password: string,
  cost: ScryptCost = defaultCost,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, cost);
  return [
    "scrypt",
    cost.N,
    cost.r,
    cost.p,
    salt.toString("base64url"),
    key.toString("base64url"),
  ].join("$");
}

const hashPattern = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = hashPattern.exec(stored);
  if (!match) return false;
  const [, n, r, p, salt, hash] = match;
  const expected = Buffer.from(hash ?? "", "base64url");
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (expected.length !== keyLength || cost.N > 2 ** 20 || cost.r > 32 || cost.p > 16) return false;
  const key = await scryptAsync(password, Buffer.from(salt ?? "", "base64url"), cost);
  return timingSafeEqual(key, expected);
}

// Verifying against this when the user is unknown keeps sign-in time the same for known and
// unknown names, so the form does not tell an attacker which names exist.
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return decoyHash;
}

/** Where console password hashes live. */
export interface CredentialStore {
  get(user: string): string | undefined;
  set(user: string, hash: string): void;
}

const credentialFileSchema = z.object({
  version: z.literal(1),
  users: z.record(z.string(), z.string().regex(hashPattern)),
});

/**
 * A JSON file readable only by its owner, rewritten atomically (temp file + rename) so that a
 * crash never leaves half a file. Read on every lookup: `sportello console passwd` in another
 * process takes effect at the next sign-in without a restart.
 */
export function fileCredentialStore(path: string): CredentialStore {
  const read = (): Record<string, string> => {
    if (!existsSync(path)) return {};
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, "utf8"));
    } catch (cause) {
      throw new SportelloError("CONFIG_INVALID", t("passwd.file_invalid", { path }), {
        cause,
      });
    }
    const parsed = credentialFileSchema.safeParse(raw);
    if (!parsed.success) {
      throw new SportelloError("CONFIG_INVALID", t("passwd.file_invalid", { path }));
    }
    return parsed.data.users;
  };
  return {
    get: (user) => read()[user],
    set(user, hash) {
      const users = { ...read(), [user]: hash };
      mkdirSync(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify({ version: 1, users }, null, 2)}\n`, { mode: 0o600 });
      chmodSync(temp, 0o600);
      renameSync(temp, path);
    },
  };
}

/** The credential file that sits next to the database: `data/sportello.db` → `data/sportello.console-users.json`. */
export function credentialPathForDb(dbPath: string): string {
  return `${dbPath.replace(/\.(db|sqlite3?)$/, "")}.console-users.json`;
}

/**
 * Sets (or replaces) a console user's password. The user must be one of the configured console
 * users; the password is checked for length before it is hashed.
 * Used by `sportello console passwd USER`.
 */
export async function setConsolePassword(options: {
  credentials: CredentialStore;
  user: string;
  password: string;
  /** Configured console user names; the password of anyone else is refused. */
  knownUsers: readonly string[];
  cost?: ScryptCost;
}): Promise<void> {
  const { credentials, user, password, knownUsers } = options;
  if (!knownUsers.includes(user)) {
    throw new SportelloError("NOT_FOUND", t("passwd.unknown_user", { user }));
  }
  if ([...password].length < minPasswordLength) {
    throw new SportelloError("INPUT_INVALID", t("passwd.too_short", { min: minPasswordLength }));
  }
  if (password.length > maxPasswordLength) {
    throw new SportelloError("INPUT_INVALID", t("passwd.too_long", { max: maxPasswordLength }));
  }
  credentials.set(user, await hashPassword(password, options.cost));
}
