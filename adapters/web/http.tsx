// HTTP plumbing shared by the routes: security headers, the session cookie, the CSRF check on
// every POST, role guards, rendering and redirects with a one-shot message.
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { JSX } from "hono/jsx/jsx-runtime";
import { type CurationAction, isSportelloError, may } from "../../src/index.js";
import { csrfMatches, type Session } from "./auth/sessions.js";
import { type ConsoleDeps, type ConsoleEnv, sessionCookie } from "./context.js";
import type { Actor } from "./ports.js";
import { t } from "./text.js";
import { ErrorPage } from "./views/layout.js";

export type ConsoleContext = Context<ConsoleEnv>;

// Only our own stylesheet and script; forms post only to us; no framing, no plugins, no base
// rewriting. SVG charts are inline markup, not images, so img-src needs nothing else.
const contentSecurityPolicy = [
  "default-src 'none'",
  "style-src 'self'",
  "script-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

export function securityHeaders(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set("Content-Security-Policy", contentSecurityPolicy);
    headers.set("X-Frame-Options", "DENY");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    // Pages carry questions, names and drafts: never kept by a browser or proxy cache.
    if (!c.req.path.startsWith("/static/")) headers.set("Cache-Control", "no-store");
  };
}

export function loadSession(deps: ConsoleDeps): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    c.set("session", deps.sessions.get(getCookie(c, sessionCookie)));
    await next();
  };
}

export function setSessionCookie(c: ConsoleContext, deps: ConsoleDeps, session: Session): void {
  setCookie(c, sessionCookie, session.id, {
    httpOnly: true,
    sameSite: "Strict",
    secure: deps.secureCookies,
    path: "/",
  });
}

export function clearSessionCookie(c: ConsoleContext, deps: ConsoleDeps): void {
  setCookie(c, sessionCookie, "", {
    httpOnly: true,
    sameSite: "Strict",
    secure: deps.secureCookies,
    path: "/",
    maxAge: 0,
  });
}

/** The client's address as the socket sees it (no proxy headers are trusted). */
export function clientAddress(c: ConsoleContext): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // app.request() in tests has no socket.
    return "local";
  }
}

/**
 * Every POST carries the session's CSRF token in `_csrf`. Parses the form once and keeps it for
 * the route. Without a session there is nothing to check against: 401.
 */
export function csrfCheck(deps: ConsoleDeps): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    const session = c.get("session");
    if (!session) {
      if (c.req.path === "/accedi") return redirect(c, "/accedi?scaduta=1");
      return renderError(c, deps, 401, t("error.no_session"));
    }
    let form: Record<string, string | string[]>;
    const files: Record<string, File> = {};
    try {
      const parsed = await c.req.parseBody({ all: true });
      form = {};
      for (const [key, value] of Object.entries(parsed)) {
        if (typeof value === "string") form[key] = value;
        else if (Array.isArray(value))
          form[key] = value.filter((v): v is string => typeof v === "string");
        // Files reach only the routes that ask for them (the document upload), one per field.
        else if (value instanceof File) files[key] = value;
      }
    } catch {
      return renderError(c, deps, 400, t("error.bad_form"));
    }
    if (!csrfMatches(session, form._csrf)) {
      deps.logger.warn("console.csrf_rejected", { path: c.req.path, user: session.user });
      return renderError(c, deps, 403, t("error.csrf"));
    }
    c.set("form", form);
    c.set("files", files);
    return next();
  };
}

/**
 * Route guard: signed in and allowed to do `action`. GET without a session goes to the sign-in
 * page and comes back; anything else gets 401 or 403.
 */
export function guard(deps: ConsoleDeps, action: CurationAction): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const session = c.get("session");
    if (!session?.user) {
      if (c.req.method === "GET") {
        const back = c.req.path + (new URL(c.req.url).search || "");
        return redirect(c, `/accedi?dopo=${encodeURIComponent(back)}`);
      }
      return renderError(c, deps, 401, t("error.no_session"));
    }
    if (!may(session.roles, action, deps.approval)) {
      deps.logger.warn("console.forbidden", { path: c.req.path, user: session.user, action });
      return renderError(c, deps, 403, t("error.forbidden"));
    }
    return next();
  };
}

/**
 * The signed-in user of a guarded route, and the same person as the service and curation name
 * them: web:anna after a password, cli:local after the local sign-in link.
 */
export function actorOf(c: ConsoleContext): { session: Session; user: string; actor: Actor } {
  const session = c.get("session");
  if (!session?.user) throw new Error("actorOf used on an unguarded route");
  return { session, user: session.user, actor: { channel: session.channel, userId: session.user } };
}

export function page(c: ConsoleContext, body: JSX.Element, status = 200): Response {
  return c.html(`<!DOCTYPE html>${body.toString()}`, status as 200);
}

export function redirect(c: ConsoleContext, location: string): Response {
  return c.redirect(location, 303);
}

export function redirectWithFlash(
  c: ConsoleContext,
  location: string,
  kind: "ok" | "error",
  text: string,
): Response {
  const session = c.get("session");
  if (session) session.flash = { kind, text };
  return redirect(c, location);
}

export function renderError(
  c: ConsoleContext,
  deps: ConsoleDeps,
  status: 400 | 401 | 403 | 404 | 413 | 429 | 500 | 503,
  message: string,
): Response {
  return page(
    c,
    <ErrorPage
      status={status}
      message={message}
      session={c.get("session")}
      approval={deps.approval}
    />,
    status,
  );
}

/** A form field as one trimmed string ("" when absent). */
export function field(form: Record<string, string | string[]>, name: string): string {
  const value = form[name];
  return (Array.isArray(value) ? (value[0] ?? "") : (value ?? "")).trim();
}

/** A message for a person from a fault raised by curation: its own text when it is about the input. */
export function faultMessage(error: unknown): string | undefined {
  if (!isSportelloError(error)) return undefined;
  switch (error.code) {
    case "INPUT_INVALID":
    case "NOT_FOUND":
    case "FORBIDDEN":
    case "CONFLICT":
      return error.message;
    default:
      return undefined;
  }
}

// A placeholder origin: a path that still resolves under it after the URL parser's own
// normalisation (tabs and newlines dropped, "\\" read as "/") stays on the console.
const ownOrigin = "http://console.invalid";

/**
 * Only paths on the console: never send a signed-in user to another site ("//evil.example",
 * "/\t/evil.example", "/\\evil.example") and never put a control character in a Location header.
 * Returns the normalised path, or `fallback`.
 */
export function safeLocalPath(value: string | undefined, fallback: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (!value?.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, ownOrigin);
  } catch {
    return fallback;
  }
  if (url.origin !== ownOrigin) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Runs a curation action; a fault about the input (unknown id, conflict, refused) goes back to
 * `back` as a message, anything else reaches the error handler.
 */
export async function attempt(
  c: ConsoleContext,
  back: string,
  action: () => unknown,
): Promise<Response | undefined> {
  try {
    await action();
    return undefined;
  } catch (error) {
    const message = faultMessage(error);
    if (message === undefined) throw error;
    return redirectWithFlash(c, back, "error", message);
  }
}
