// Server-side sessions: the cookie carries only a random id; who is signed in, their CSRF token
// and their chat live here, in memory, and expire.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Channel } from "../../../src/answer/types.js";
import type { AskOutcome, FeedbackKind, Role } from "../../../src/service.js";

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
  readonly id: string;
  /** null until sign-in: anonymous sessions exist only to carry the sign-in form's CSRF token. */
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

export interface SessionOptions {
  /** Idle time after which a session ends. Default 2 hours. */
  idleMs?: number;
  /** Absolute lifetime of a signed-in session. Default 12 hours. */
  maxAgeMs?: number;
  /** Anonymous sessions (sign-in form) live this long. Default 30 minutes. */
  anonymousMs?: number;
  /** Cap on live sessions: the oldest are dropped first, so a flood of sign-in page loads cannot fill memory. */
  maxSessions?: number;
  now?: () => number;
}

const maxChatTurns = 30;

function randomId(): string {
  return randomBytes(32).toString("base64url");
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly idleMs: number;
  private readonly maxAgeMs: number;
  private readonly anonymousMs: number;
  private readonly maxSessions: number;
  readonly now: () => number;

  constructor(options: SessionOptions = {}) {
    this.idleMs = options.idleMs ?? 2 * 60 * 60 * 1000;
    this.maxAgeMs = options.maxAgeMs ?? 12 * 60 * 60 * 1000;
    this.anonymousMs = options.anonymousMs ?? 30 * 60 * 1000;
    this.maxSessions = options.maxSessions ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  create(user: string | null = null, roles: Role[] = [], channel: SessionChannel = "web"): Session {
    this.prune();
    const at = this.now();
    const session: Session = {
      id: randomId(),
      user,
      channel,
      roles,
      csrf: randomId(),
      createdAt: at,
      lastSeen: at,
      chat: [],
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, touched; undefined when unknown or expired. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (this.expired(session)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeen = this.now();
    return session;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session of a user (after a password change, for instance). */
  destroyUser(user: string): void {
    for (const [id, session] of this.sessions) if (session.user === user) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(session: Session): boolean {
    const at = this.now();
    if (session.user === null) return at - session.createdAt > this.anonymousMs;
    return at - session.lastSeen > this.idleMs || at - session.createdAt > this.maxAgeMs;
  }

  private prune(): void {
    for (const [id, session] of this.sessions) if (this.expired(session)) this.sessions.delete(id);
    // Map iteration is insertion order: the first entries are the oldest.
    for (const id of this.sessions.keys()) {
      if (this.sessions.size < this.maxSessions) break;
      this.sessions.delete(id);
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
