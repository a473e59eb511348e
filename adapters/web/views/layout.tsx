// The page frame: header with navigation for the signed-in user's role, flash message, content.
import type { Child } from "hono/jsx";
import { type ApprovalPolicy, type CurationAction, may } from "../../../src/index.js";
import type { Session } from "../auth/sessions.js";
import { t, type WebKey } from "../text.js";

export type Section =
  | "chiedi"
  | "senza-risposta"
  | "faq"
  | "andamento"
  | "documenti"
  | "registro"
  | "none";

const navigation: { section: Section; href: string; action: CurationAction; label: WebKey }[] = [
  { section: "chiedi", href: "/chiedi", action: "ask", label: "nav.chiedi" },
  {
    section: "senza-risposta",
    href: "/senza-risposta",
    action: "unanswered.view",
    label: "nav.unanswered",
  },
  { section: "faq", href: "/faq", action: "faq.view", label: "nav.faq" },
  { section: "andamento", href: "/andamento", action: "stats.view", label: "nav.stats" },
  { section: "documenti", href: "/documenti", action: "documents.view", label: "nav.documents" },
  { section: "registro", href: "/registro", action: "audit.view", label: "nav.audit" },
];

export function CsrfField(props: { session: Session }) {
  return <input type="hidden" name="_csrf" value={props.session.csrf} />;
}

export function Flash(props: { session: Session | undefined }) {
  const flash = props.session?.flash;
  if (!flash) return null;
  // Shown once.
  if (props.session) props.session.flash = undefined;
  return (
    <p class={`flash ${flash.kind}`} role={flash.kind === "error" ? "alert" : "status"}>
      {flash.text}
    </p>
  );
}

export function Layout(props: {
  title: string;
  section: Section;
  session: Session | undefined;
  approval: ApprovalPolicy;
  children?: Child;
  /** Seconds after which the page reloads itself (progress pages work without JavaScript). */
  refresh?: number;
}) {
  const { session } = props;
  const signedIn = session?.user ? session : undefined;
  return (
    <html lang="it">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {props.refresh ? <meta http-equiv="refresh" content={String(props.refresh)} /> : null}
        <title>{`${props.title} · ${t("brand")}`}</title>
        <link rel="stylesheet" href="/static/console.css" />
        <script src="/static/console.js" defer />
      </head>
      <body>
        <header class="top">
          <div class="bar">
            <a class="brand" href="/">
              {t("brand")}
            </a>
            {signedIn ? (
              <nav aria-label={t("nav.label")}>
                {navigation
                  .filter((item) => may(signedIn.roles, item.action, props.approval))
                  .map((item) => (
                    <a
                      href={item.href}
                      aria-current={item.section === props.section ? "page" : undefined}
                    >
                      {t(item.label)}
                    </a>
                  ))}
              </nav>
            ) : null}
            {signedIn ? (
              <div class="who">
                {signedIn.notices ? (
                  <a class="badge notices" href="/chiedi#avvisi">
                    {t(signedIn.notices === 1 ? "notice.badge_one" : "notice.badge", {
                      count: signedIn.notices,
                    })}
                  </a>
                ) : null}
                <span>
                  {signedIn.name ?? (signedIn.channel === "cli" ? t("local.user") : signedIn.user)}{" "}
                  · {signedIn.roles.map((role) => t(`role.${role}`)).join(", ")}
                </span>
                <form class="inline" method="post" action="/esci">
                  <CsrfField session={signedIn} />
                  <button type="submit">{t("nav.signout")}</button>
                </form>
              </div>
            ) : null}
          </div>
        </header>
        <main>
          <Flash session={session} />
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** The statuses the console answers with a page of its own (prompts/web.yaml error.title_*). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 413 | 429 | 500 | 503;

export function ErrorPage(props: {
  status: ErrorStatus;
  message: string;
  session: Session | undefined;
  approval: ApprovalPolicy;
}) {
  return (
    <Layout
      title={t(`error.title_${props.status}`)}
      section="none"
      session={props.session}
      approval={props.approval}
    >
      <div class="card">
        <h1>{t(`error.title_${props.status}`)}</h1>
        <p>{props.message}</p>
        <p>
          <a href={props.session?.user ? "/" : "/accedi"}>
            {t(props.session?.user ? "error.home" : "error.signin")}
          </a>
        </p>
      </div>
    </Layout>
  );
}
