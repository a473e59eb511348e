// Console sessions. The cookie carries a random id; who is signed in lives in a record keyed by
// the id's SHA-256 (in the store's SQLite file when the console runs on a service, so signing in
// survives a restart), and each session's chat and one-shot message live in memory.
//
// Nobody gets server-side state before signing in: the sign-in form's CSRF token is a signed
// double-submit value (an HMAC of a random nonce kept in the same cookie), so a flood of
// anonymous requests, or a page elsewhere firing no-cors fetches at us, cannot fill a table or
// push real sessions out. Only a correct password makes a session, and each user keeps at most
// `maxPerUser` of them (their least recently used goes first).
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { AskOutcome, Channel, FeedbackKind, Role } from "../../../src/index.js";

export interface ChatTurn {
  question: string;
  outcome: AskOutcome;
  feedback?: FeedbackKind;
}

/**
 * Whose session it is, as the service names people: a console user signs in with a password as
 * web:NAME; the local sign-in link (no roles configured) signs in the local CLI user cli:local.
 */
export type SessionChannel = Extract<Channel, "web" | "cli">;

export interface Session {
  /** The cookie value. */
  readonly id: string;
  /** null before sign-in: such a session exists only in its cookie, to carry the form's token. */
  user: string | null;
  readonly channel: SessionChannel;
  roles: Role[];
  readonly csrf: string;
  readonly createdAt: number;
  lastSeen: number;
  chat: ChatTurn[];
  /** The configured display name (`names:`), refreshed on every request; else the login shows. */
  name?: string;
  /** Answers waiting for this person's console questions, for the header's badge. */
  notices?: number;
  /** A one-shot message for the next page ("FAQ pubblicata"). */
  flash?: { kind: "ok" | "error"; text: string };
}

/** What is kept of a signed-in session (the store's `sessions` queries fit this). */
export interface SessionRecord {
  idHash: string;
  channel: SessionChannel;
  user: string;
  createdAt: number;
  lastSeen: number;
}

export interface SessionRecords {
  insert(record: SessionRecord): void;
  find(idHash: string): SessionRecord | undefined;
  touch(idHash: string, lastSeen: number): void;
  remove(idHash: string): void;
  removeUser(channel: SessionChannel, user: string): void;
  removeExpired(idleBefore: number, createdBefore: number): number;
  trimUser(channel: SessionChannel, user: string, keep: number): void;
}

export interface SessionOptions {
  /** Idle time after which a session ends. Default 2 hours. */
  idleMs?: number;
  /** Absolute lifetime of a signed-in session. Default 12 hours. */
  maxAgeMs?: number;
  /** Sessions one user may hold (browsers, devices); the least recently used goes first. Default 10. */
  maxPerUser?: number;
  now?: () => number;
}

const maxChatTurns = 30;
// Chats and flashes of this many sessions stay in memory; past it the least recent lose their
// chat history (never their sign-in, which is in the records).
const maxCached = 2_000;
// lastSeen is written back at most this often per session, not on every request.
const touchEveryMs = 60_000;
const anonymousPrefix = "p.";
const idPattern = /^[A-Za-z0-9_-]{43}$/;

function randomId(): string {
  return randomBytes(32).toString("base64url");
}

function hashOf(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

/** Session records in memory: for a console without a store (tests, previews). */
export function memorySessionRecords(): SessionRecords {
  const rows = new Map<string, SessionRecord>();
  const ofUser = (channel: string, user: string) =>
    [...rows.values()].filter((r) => r.channel === channel && r.user === user);
  return {
    insert: (record) => void rows.set(record.idHash, { ...record }),
    find: (idHash) => {
      const row = rows.get(idHash);
      return row ? { ...row } : undefined;
    },
    touch(idHash, lastSeen) {
      const row = rows.get(idHash);
      if (row) row.lastSeen = lastSeen;
    },
    remove: (idHash) => void rows.delete(idHash),
    removeUser(channel, user) {
      for (const row of ofUser(channel, user)) rows.delete(row.idHash);
    },
    removeExpired(idleBefore, createdBefore) {
      let removed = 0;
      for (const row of [...rows.values()]) {
        if (row.lastSeen < idleBefore || row.createdAt < createdBefore) {
          rows.delete(row.idHash);
          removed++;
        }
      }
      return removed;
    },
    trimUser(channel, user, keep) {
      const sorted = ofUser(channel, user).sort((a, b) => b.lastSeen - a.lastSeen);
      for (const row of sorted.slice(keep)) rows.delete(row.idHash);
    },
  };
}

export class SessionStore {
  /** Live sessions by id hash: their chat and flash (the sign-in itself is in the records). */
  private readonly cache = new Map<string, Session>();
  private readonly idleMs: number;
  private readonly maxAgeMs: number;
  private readonly maxPerUser: number;
  // Signs the sign-in form's nonces. Per process: a form opened before a restart asks once more.
  private readonly formKey = randomBytes(32);
  readonly now: () => number;

  constructor(
    private readonly records: SessionRecords = memorySessionRecords(),
    options: SessionOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 2 * 60 * 60 * 1000;
    this.maxAgeMs = options.maxAgeMs ?? 12 * 60 * 60 * 1000;
    this.maxPerUser = options.maxPerUser ?? 10;
    this.now = options.now ?? Date.now;
  }

  /** A session for the sign-in form: nothing is stored, everything is in its cookie value. */
  anonymous(): Session {
    return this.anonymousFrom(randomId());
  }

  /** A new signed-in session, recorded; the user's oldest go past the per-user cap. */
  create(user: string, roles: Role[], channel: SessionChannel = "web"): Session {
    const at = this.now();
    this.records.removeExpired(at - this.idleMs, at - this.maxAgeMs);
    const id = randomId();
    const idHash = hashOf(id);
    this.records.insert({ idHash, channel, user, createdAt: at, lastSeen: at });
    this.records.trimUser(channel, user, this.maxPerUser);
    const session = this.signedIn(id, { idHash, channel, user, createdAt: at, lastSeen: at });
    session.roles = roles;
    this.remember(idHash, session);
    return session;
  }

  /** The session a cookie value names, touched; undefined when unknown, expired or malformed. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    if (id.startsWith(anonymousPrefix)) {
      const nonce = id.slice(anonymousPrefix.length);
      return idPattern.test(nonce) ? this.anonymousFrom(nonce) : undefined;
    }
    if (!idPattern.test(id)) return undefined;
    const idHash = hashOf(id);
    const record = this.records.find(idHash);
    if (!record) {
      this.cache.delete(idHash);
      return undefined;
    }
    const at = this.now();
    if (at - record.lastSeen > this.idleMs || at - record.createdAt > this.maxAgeMs) {
      this.records.remove(idHash);
      this.cache.delete(idHash);
      return undefined;
    }
    let session = this.cache.get(idHash);
    if (!session || session.user !== record.user || session.channel !== record.channel) {
      session = this.signedIn(id, record);
    }
    if (at - record.lastSeen >= touchEveryMs) this.records.touch(idHash, at);
    session.lastSeen = at;
    this.remember(idHash, session);
    return session;
  }

  destroy(id: string): void {
    if (id.startsWith(anonymousPrefix)) return;
    const idHash = hashOf(id);
    this.records.remove(idHash);
    this.cache.delete(idHash);
  }

  /** Ends every session of a user (after a password change, for instance). */
  destroyUser(user: string, channel: SessionChannel = "web"): void {
    this.records.removeUser(channel, user);
    for (const [idHash, session] of this.cache) {
      if (session.user === user && session.channel === channel) this.cache.delete(idHash);
    }
  }

  private anonymousFrom(nonce: string): Session {
    const at = this.now();
    return {
      id: `${anonymousPrefix}${nonce}`,
      user: null,
      channel: "web",
      roles: [],
      csrf: createHmac("sha256", this.formKey).update(nonce).digest("base64url"),
      createdAt: at,
      lastSeen: at,
      chat: [],
    };
  }

  private signedIn(id: string, record: SessionRecord): Session {
    return {
      id,
      user: record.user,
      channel: record.channel,
      roles: [],
      // Derived from the secret id, so it needs no storage and survives a restart with it.
      csrf: createHash("sha256").update(`csrf:${id}`).digest("base64url"),
      createdAt: record.createdAt,
      lastSeen: record.lastSeen,
      chat: [],
    };
  }

  private remember(idHash: string, session: Session): void {
    // Re-inserted so that Map order is least recently used first.
    this.cache.delete(idHash);
    this.cache.set(idHash, session);
    for (const key of this.cache.keys()) {
      if (this.cache.size <= maxCached) break;
      this.cache.delete(key);
    }
  }
}

export function rememberTurn(session: Session, turn: ChatTurn): void {
  session.chat.push(turn);
  if (session.chat.length > maxChatTurns)
    session.chat.splice(0, session.chat.length - maxChatTurns);
}

/** Constant-time comparison of the submitted CSRF token with the session's. */
export function csrfMatches(session: Session, submitted: unknown): boolean {
  if (typeof submitted !== "string") return false;
  const a = Buffer.from(submitted);
  const b = Buffer.from(session.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}
