// The web console: builds the Hono app (pages, sign-in, security) and runs it on a local port.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ApprovalPolicy, Sportello } from "../../src/index.js";
import { isLoopbackAddress, LocalSignIn, localSignInPath } from "./auth/local-access.js";
import type { CredentialStore } from "./auth/passwords.js";
import { SignInLimiter, type SignInLimits } from "./auth/rate-limit.js";
import { type SessionOptions, type SessionRecords, SessionStore } from "./auth/sessions.js";
import { SignInAudit, type SignInAuditOptions } from "./auth/signin-audit.js";
import type { ConsoleDeps, ConsoleEnv, ConsoleLogger } from "./context.js";
import {
  csrfCheck,
  faultMessage,
  guard,
  loadSession,
  redirect,
  renderError,
  securityHeaders,
} from "./http.js";
import type { ConsoleCuration, ConsoleDocuments } from "./ports.js";
import { auditRoutes } from "./routes/audit.js";
import { chatRoutes } from "./routes/chat.js";
import { documentRoutes, maxUploadBytes, uploadPath } from "./routes/documents.js";
import { faqRoutes } from "./routes/faq.js";
import { signInRoutes } from "./routes/signin.js";
import { statsRoutes } from "./routes/stats.js";
import { suggestionRoutes } from "./routes/suggestions.js";
import { unansweredRoutes } from "./routes/unanswered.js";
import { staticRoutes } from "./static.js";
import { t } from "./text.js";

export interface ConsoleOptions {
  sportello: Sportello;
  /** The FAQ lifecycle, unanswered queue and statistics; without it those pages say so. */
  curation?: ConsoleCuration;
  /** The corpus as indexed, and re-ingestion; without it the Documenti page lists sportello.documents(). */
  documents?: ConsoleDocuments;
  /** Where password hashes are read (see fileCredentialStore). */
  credentials: CredentialStore;
  /** From the configuration's `approval`. Default "coordinator". */
  approval?: ApprovalPolicy;
  /** Default 127.0.0.1: listening on another address is an explicit choice. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /**
   * Offer a one-time local sign-in link (as the local user, every role) at each start. Set it when
   * the configuration names no roles at all (`config.rolesUnconfigured`). Honoured only when the
   * console listens on a loopback address; otherwise the link does not exist. Default false.
   */
  localSignIn?: boolean;
  /** Mark the session cookie Secure: set it when the console is served over HTTPS. Default false. */
  secureCookies?: boolean;
  sessions?: SessionOptions;
  /** Where signed-in sessions are kept: the store's `sessions` for a real service. Default memory. */
  sessionRecords?: SessionRecords;
  signIn?: SignInLimits;
  /** How failed sign-ins are summed up in the audit trail. */
  signInAudit?: SignInAuditOptions;
  logger?: ConsoleLogger;
}

export interface ConsoleAddress {
  /** The console's address, "http://127.0.0.1:8080/". */
  url: string;
  /**
   * The one-time local sign-in link, when `localSignIn` was asked for and the console listens on a
   * loopback address: print it for the person who started the console, nowhere else.
   */
  localSignInUrl?: string;
}

export interface WebConsole {
  readonly app: Hono<ConsoleEnv>;
  start(): Promise<ConsoleAddress>;
  stop(): Promise<void>;
}

// Large enough for a 100 KB FAQ answer and its alternatives, small enough to refuse a flood.
const maxBodyBytes = 1024 * 1024;

const silentLogger: ConsoleLogger = {
  info() {},
  warn() {},
  error(event, fields) {
    process.stderr.write(`${JSON.stringify({ event, ...fields })}\n`);
  },
};

export function createConsole(options: ConsoleOptions): WebConsole {
  const deps: ConsoleDeps = {
    sportello: options.sportello,
    curation: options.curation,
    documents: options.documents,
    credentials: options.credentials,
    sessions: new SessionStore(options.sessionRecords, options.sessions),
    limiter: new SignInLimiter(options.signIn),
    signInAudit: new SignInAudit(
      (entry) => options.curation?.recordAudit(entry),
      options.signInAudit,
    ),
    localSignIn: new LocalSignIn(),
    approval: options.approval ?? "coordinator",
    secureCookies: options.secureCookies ?? false,
    logger: options.logger ?? silentLogger,
  };
  const app = buildApp(deps);
  let server: ReturnType<typeof serve> | undefined;
  let auditTimer: ReturnType<typeof setInterval> | undefined;
  // Failed sign-ins counted in a window reach the audit trail when it closes, even if none follow.
  const flushAudit = (always: boolean) => {
    try {
      deps.signInAudit.tick(always);
    } catch (error) {
      deps.logger.error("console.audit_failed", { message: (error as Error).message });
    }
  };

  return {
    app,
    start() {
      const host = options.host ?? "127.0.0.1";
      return new Promise((resolve, reject) => {
        const instance = serve(
          { fetch: app.fetch, hostname: host, port: options.port ?? 8080 },
          (info) => {
            const shownHost = info.family === "IPv6" ? `[${info.address}]` : info.address;
            const url = `http://${shownHost}:${info.port}/`;
            auditTimer = setInterval(() => flushAudit(false), 60_000);
            auditTimer.unref();
            // The address actually bound decides, not the host as written: "localhost" binds a
            // loopback address, "0.0.0.0" or a LAN name does not.
            if (!options.localSignIn || !isLoopbackAddress(info.address)) {
              deps.localSignIn.disarm();
              resolve({ url });
              return;
            }
            const token = deps.localSignIn.arm();
            deps.logger.info("console.local_signin_ready", { address: info.address });
            resolve({
              url,
              localSignInUrl: `${url}${localSignInPath.slice(1)}?token=${encodeURIComponent(token)}`,
            });
          },
        );
        instance.once("error", reject);
        server = instance;
      });
    },
    stop() {
      deps.localSignIn.disarm();
      clearInterval(auditTimer);
      flushAudit(true);
      const running = server;
      server = undefined;
      if (!running) return Promise.resolve();
      return new Promise((resolve, reject) => {
        running.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections from a browser would hold close() open.
        if ("closeAllConnections" in running) running.closeAllConnections();
      });
    },
  };
}

export function buildApp(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.use(securityHeaders());
  const formLimit = bodyLimit({
    maxSize: maxBodyBytes,
    onError: (c) => renderError(c, deps, 413, t("error.too_large")),
  });
  // A document upload is the one request allowed to be large.
  const uploadLimit = bodyLimit({
    maxSize: maxUploadBytes,
    onError: (c) =>
      renderError(
        c,
        deps,
        413,
        t("documents.upload_too_large", { mb: Math.round(maxUploadBytes / 1024 / 1024) }),
      ),
  });
  app.use((c, next) => (c.req.path === uploadPath ? uploadLimit(c, next) : formLimit(c, next)));
  app.use(loadSession(deps));
  app.use(async (c, next) => {
    // Roles are read again on every request: a user removed from the configuration is out at once.
    const session = c.get("session");
    if (session?.user) {
      const access = deps.sportello.access({ channel: session.channel, userId: session.user });
      if (!access.allowed || access.roles.length === 0) {
        deps.sessions.destroy(session.id);
        c.set("session", undefined);
      } else {
        session.roles = access.roles;
        const who = { channel: session.channel, userId: session.user };
        session.name = deps.curation?.displayName(who) ?? undefined;
        session.notices = deps.curation?.consoleNoticeCount(session.user) ?? 0;
      }
    }
    await next();
  });
  app.use(csrfCheck(deps));

  staticRoutes(app);
  signInRoutes(app, deps);
  app.get("/", guard(deps, "ask"), (c) => redirect(c, "/chiedi"));
  chatRoutes(app, deps);
  unansweredRoutes(app, deps);
  // Before the FAQ routes: "/faq/suggerimenti" is not a FAQ id.
  suggestionRoutes(app, deps);
  faqRoutes(app, deps);
  statsRoutes(app, deps);
  documentRoutes(app, deps);
  auditRoutes(app, deps);

  app.notFound((c) => renderError(c, deps, 404, t("error.not_found")));
  app.onError((error, c) => {
    const message = faultMessage(error);
    if (message) return renderError(c, deps, 400, message);
    deps.logger.error("console.error", {
      path: c.req.path,
      code: (error as { code?: string }).code ?? "UNEXPECTED",
      message: error.message,
    });
    return renderError(c, deps, 500, t("error.unexpected"));
  });
  return app;
}
