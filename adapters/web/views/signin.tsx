// The sign-in form.
import type { ApprovalPolicy } from "../../../src/index.js";
import type { Session } from "../auth/sessions.js";
import { t } from "../text.js";
import { CsrfField, Layout } from "./layout.js";

export function SignInPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  error: string | undefined;
  user: string;
  next: string;
  /** Shown when no console user is configured and the local sign-in link is the way in. */
  localHint?: string | undefined;
}) {
  return (
    <Layout
      title={t("signin.title")}
      section="none"
      session={props.session}
      approval={props.approval}
    >
      <div class="card signin">
        <h1>{t("signin.title")}</h1>
        {props.error ? (
          <p class="flash error" role="alert">
            {props.error}
          </p>
        ) : null}
        {props.localHint ? <p class="local-hint">{props.localHint}</p> : null}
        <form method="post" action="/accedi">
          <CsrfField session={props.session} />
          <input type="hidden" name="dopo" value={props.next} />
          <label for="utente">{t("signin.user")}</label>
          <input
            type="text"
            id="utente"
            name="utente"
            value={props.user}
            autocomplete="username"
            required
            maxlength={100}
          />
          <label for="password">{t("signin.password")}</label>
          <input
            type="password"
            id="password"
            name="password"
            autocomplete="current-password"
            required
          />
          <div class="actions">
            <button type="submit">{t("signin.submit")}</button>
          </div>
        </form>
        {props.localHint ? null : <p class="muted">{t("signin.help")}</p>}
      </div>
    </Layout>
  );
}
