// Formulazioni suggerite: operators' phrasings proposed as alternatives of published FAQ, each
// accepted or rejected with one click.
import type { ApprovalPolicy } from "../../../src/index.js";
import type { Session } from "../auth/sessions.js";
import type { Suggestion } from "../ports.js";
import { t } from "../text.js";
import { CsrfField, Layout } from "./layout.js";

function DecideButton(props: { session: Session; id: number; path: "accetta" | "rifiuta" }) {
  return (
    <form class="inline" method="post" action={`/faq/suggerimenti/${props.id}/${props.path}`}>
      <CsrfField session={props.session} />
      <button type="submit" class={props.path === "rifiuta" ? "secondary" : undefined}>
        {t(`suggestions.${props.path}`)}
      </button>
    </form>
  );
}

export function SuggestionsPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  suggestions: Suggestion[];
}) {
  return (
    <Layout
      title={t("suggestions.title")}
      section="faq"
      session={props.session}
      approval={props.approval}
    >
      <p>
        <a href="/faq">{t("faq.back")}</a>
      </p>
      <h1>{t("suggestions.title")}</h1>
      <p class="muted">{t("suggestions.intro")}</p>
      {props.suggestions.length === 0 ? (
        <p>{t("suggestions.empty")}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("suggestions.col_phrasing")}</th>
                <th>{t("suggestions.col_faq")}</th>
                <th>{t("suggestions.col_origin")}</th>
                <th>{t("suggestions.col_decide")}</th>
              </tr>
            </thead>
            <tbody>
              {props.suggestions.map((s) => (
                <tr>
                  <td>{s.text}</td>
                  <td>
                    <a href={`/faq/${encodeURIComponent(s.faqId)}`}>{s.faqQuestion}</a>
                  </td>
                  <td>{t(`suggestions.origin_${s.origin}`)}</td>
                  <td>
                    <DecideButton session={props.session} id={s.id} path="accetta" />{" "}
                    <DecideButton session={props.session} id={s.id} path="rifiuta" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
