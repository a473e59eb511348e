// The console's shared wiring: what every route can reach, and the Hono environment type.

import type { ApprovalPolicy, Sportello } from "../../src/index.js";
import type { LocalSignIn } from "./auth/local-access.js";
import type { CredentialStore } from "./auth/passwords.js";
import type { SignInLimiter } from "./auth/rate-limit.js";
import type { Session, SessionStore } from "./auth/sessions.js";
import type { SignInAudit } from "./auth/signin-audit.js";
import type { ConsoleCuration, ConsoleDocuments } from "./ports.js";

export interface ConsoleLogger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export interface ConsoleDeps {
  sportello: Sportello;
  curation: ConsoleCuration | undefined;
  documents: ConsoleDocuments | undefined;
  credentials: CredentialStore;
  sessions: SessionStore;
  limiter: SignInLimiter;
  /** Failed and throttled sign-ins, written to the audit trail in bounded amounts. */
  signInAudit: SignInAudit;
  /** The one-time local sign-in link; inactive (404) unless the console started with it. */
  localSignIn: LocalSignIn;
  approval: ApprovalPolicy;
  secureCookies: boolean;
  logger: ConsoleLogger;
}

export type ConsoleEnv = {
  Variables: {
    session: Session | undefined;
    /** The parsed form of a POST, read once by the CSRF check. */
    form: Record<string, string | string[]>;
    /** Files of a multipart POST (only the document upload reads them). */
    files: Record<string, File>;
  };
};

export const sessionCookie = "sportello_console";
/** Given at a successful sign-in, sent only to /accedi: this browser's own throttling count. */
export const deviceCookie = "sportello_device";
