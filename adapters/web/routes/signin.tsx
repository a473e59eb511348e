// Sign-in and sign-out. Passwords are checked against scrypt hashes; roles come from the
// configuration through the service's access check for the "web" channel. With no roles
// configured, the one-time local link signs in the local CLI user instead (auth/local-access.ts).
// Every sign-in and use of the local link goes to the audit trail (through curation: the store
// keeps the name tried only as a pseudonym); failed and throttled attempts too, summed up per
// name and window (auth/signin-audit.ts). Throttling: auth/rate-limit.ts.
import type { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { localCliUser } from "../../../src/index.js";
import { localSignInPath } from "../auth/local-access.js";
import { decoyPasswordHash, verifyPassword } from "../auth/passwords.js";
import { type ConsoleDeps, type ConsoleEnv, deviceCookie } from "../context.js";
import {
  type ConsoleContext,
  clearSessionCookie,
  clientAddress,
  field,
  page,
  redirect,
  renderError,
  safeLocalPath,
  setSessionCookie,
} from "../http.js";
import type { AdapterAuditEntry } from "../ports.js";
import { t } from "../text.js";
import { SignInPage } from "../views/signin.js";

const maxUserLength = 100;
const maxPasswordLength = 1024;

export function signInRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const audit = (entry: AdapterAuditEntry) => deps.curation?.recordAudit(entry);

  const showForm = (
    c: ConsoleContext,
    options: { error?: string; user?: string; next: string; status?: 200 | 401 | 429 },
  ) => {
    let session = c.get("session");
    if (!session) {
      session = deps.sessions.anonymous();
      setSessionCookie(c, deps, session);
      c.set("session", session);
    }
    return page(
      c,
      <SignInPage
        session={session}
        approval={deps.approval}
        error={options.error}
        user={options.user ?? ""}
        next={options.next}
        localHint={deps.localSignIn.active ? t("local.hint") : undefined}
      />,
      options.status ?? 200,
    );
  };

  app.get("/accedi", (c) => {
    const next = safeLocalPath(c.req.query("dopo"), "/");
    if (c.get("session")?.user) return redirect(c, next);
    return showForm(c, { next, error: formNotice(c.req.query("scaduta"), c.req.query("locale")) });
  });

  // The local link: a GET because it is opened from a terminal; what makes it safe is the token,
  // spent on first use, and that it exists only on a loopback address with no roles configured.
  app.get(localSignInPath, (c) => {
    const access = deps.sportello.access({ channel: "cli", userId: localCliUser });
    if (!deps.localSignIn.active || !access.allowed || access.roles.length === 0) {
      return renderError(c, deps, 404, t("error.not_found"));
    }
    const current = c.get("session");
    // Opened again in the browser it already signed in: nothing to spend.
    if (current?.user && current.channel === "cli") return redirect(c, "/chiedi");
    const check = deps.localSignIn.consume(c.req.query("token"));
    if (check !== "ok") {
      deps.logger.warn("console.local_signin_refused", {
        reason: check,
        address: clientAddress(c),
      });
      return redirect(c, `/accedi?locale=${check === "used" ? "usato" : "non-valido"}`);
    }
    // Recorded before the session exists: a sign-in that cannot be recorded does not happen.
    audit({
      actor: { channel: "cli", userId: localCliUser },
      action: "console.local_link",
      detail: { roles: access.roles },
    });
    if (current) deps.sessions.destroy(current.id);
    const session = deps.sessions.create(localCliUser, access.roles, "cli");
    setSessionCookie(c, deps, session);
    c.set("session", session);
    deps.logger.info("console.local_signin", { user: `cli:${localCliUser}`, roles: access.roles });
    return redirect(c, "/chiedi");
  });

  app.post("/accedi", async (c) => {
    const form = c.get("form");
    const user = field(form, "utente");
    const password = typeof form.password === "string" ? form.password : "";
    const next = safeLocalPath(field(form, "dopo"), "/");
    if (!user || !password || user.length > maxUserLength || password.length > maxPasswordLength) {
      if (user && user.length <= maxUserLength) {
        deps.signInAudit.failed("console.signin_failed", user);
      }
      return showForm(c, {
        error: t("signin.invalid"),
        user: user.slice(0, maxUserLength),
        next,
        status: 401,
      });
    }
    const client = {
      address: clientAddress(c),
      device: deps.limiter.deviceOf(user, getCookie(c, deviceCookie)),
    };
    const verdict = deps.limiter.check(user, client);
    if (!verdict.allowed) {
      deps.signInAudit.failed("console.signin_throttled", user);
      deps.logger.warn("console.signin_throttled", { address: client.address });
      return showForm(c, {
        error: t("signin.throttled", { wait: waitInItalian(verdict.retryAfterMs) }),
        user,
        next,
        status: 429,
      });
    }
    if (verdict.delayMs > 0) await new Promise((done) => setTimeout(done, verdict.delayMs));
    const stored = deps.credentials.get(user);
    const passwordOk = await verifyPassword(password, stored ?? (await decoyPasswordHash()));
    const access = deps.sportello.access({ channel: "web", userId: user });
    if (!stored || !passwordOk || !access.allowed || access.roles.length === 0) {
      deps.limiter.recordFailure(user, client);
      deps.signInAudit.failed("console.signin_failed", user);
      deps.logger.warn("console.signin_failed", { address: client.address });
      return showForm(c, { error: t("signin.invalid"), user, next, status: 401 });
    }
    // Recorded before the session exists: a sign-in that cannot be recorded does not happen.
    audit({
      actor: { channel: "web", userId: user },
      action: "console.signin",
      detail: { roles: access.roles },
    });
    deps.limiter.recordSuccess(user, client);
    // A new id at sign-in: an id planted before sign-in is worth nothing after it.
    const anonymous = c.get("session");
    if (anonymous) deps.sessions.destroy(anonymous.id);
    const session = deps.sessions.create(user, access.roles);
    setSessionCookie(c, deps, session);
    c.set("session", session);
    // This browser's own throttling count from now on (see auth/rate-limit.ts).
    setCookie(
      c,
      deviceCookie,
      client.device ? (getCookie(c, deviceCookie) ?? "") : deps.limiter.issueDevice(user),
      {
        httpOnly: true,
        sameSite: "Strict",
        secure: deps.secureCookies,
        path: "/accedi",
        maxAge: 365 * 24 * 60 * 60,
      },
    );
    deps.logger.info("console.signin", { user, roles: access.roles });
    return redirect(c, next === "/" ? "/" : next);
  });

  app.post("/esci", (c) => {
    const session = c.get("session");
    if (session) {
      deps.sessions.destroy(session.id);
      deps.logger.info("console.signout", { user: session.user });
    }
    clearSessionCookie(c, deps);
    return redirect(c, "/accedi");
  });
}

/** "30 secondi", "1 minuto", "15 minuti": how long a throttled client waits. */
function waitInItalian(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return t("signin.wait_seconds", { count: seconds });
  return t("signin.wait_minutes", { count: Math.ceil(seconds / 60) });
}

/** The message above the form: an expired form, or why the local link did not sign anyone in. */
function formNotice(expired: string | undefined, local: string | undefined): string | undefined {
  if (local === "usato") return t("local.used");
  if (local === "non-valido") return t("local.invalid");
  return expired ? t("signin.expired") : undefined;
}
