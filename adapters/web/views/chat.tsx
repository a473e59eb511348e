// Chiedi: the conversation so far, each answer with its citations and feedback buttons, and the box.
import { type ApprovalPolicy, type Citation, feedbackKinds } from "../../../src/index.js";
import type { ChatTurn, Session } from "../auth/sessions.js";
import { t } from "../text.js";
import { CsrfField, Layout } from "./layout.js";

function CitationItem(props: { citation: Citation; linkDocuments: boolean }) {
  const { citation } = props;
  const label = [citation.documentTitle, citation.section, citation.where]
    .filter(Boolean)
    .join(" › ");
  return (
    <li value={String(citation.n)}>
      {props.linkDocuments ? (
        <a
          href={`/documenti/${encodeURIComponent(citation.documentId)}#p-${encodeURIComponent(citation.passageId)}`}
        >
          {label}
        </a>
      ) : (
        label
      )}
    </li>
  );
}

function FeedbackButtons(props: {
  session: Session;
  interactionId: number;
  given: ChatTurn["feedback"];
}) {
  if (props.given)
    return (
      <p class="feedback muted">
        {t("chat.feedback_given", { kind: t(`feedback.${props.given}`) })}
      </p>
    );
  return (
    <form class="feedback" method="post" action="/chiedi/feedback">
      <CsrfField session={props.session} />
      <input type="hidden" name="interazione" value={String(props.interactionId)} />
      <details class="comment">
        <summary>{t("chat.comment_toggle")}</summary>
        <label for={`commento-${props.interactionId}`}>{t("chat.comment_label")}</label>
        <textarea id={`commento-${props.interactionId}`} name="commento" maxlength={2000} />
      </details>
      {feedbackKinds.map((kind) => (
        <button type="submit" name="giudizio" value={kind} class="secondary">
          {t(`feedback.button_${kind}`)}
        </button>
      ))}
    </form>
  );
}

function Turn(props: { turn: ChatTurn; session: Session; last: boolean; linkDocuments: boolean }) {
  const { turn } = props;
  const outcome = turn.outcome;
  return (
    <>
      <div class="msg me" id={props.last ? "ultima" : undefined}>
        {turn.question}
      </div>
      {outcome.kind === "refused" ? (
        <div class="msg bot declined">{outcome.text}</div>
      ) : (
        <div class={`msg bot ${outcome.kind}`} data-interaction={String(outcome.interactionId)}>
          <p class="lead">{outcome.answer.parts.lead}</p>
          {outcome.answer.parts.body ? <div class="body">{outcome.answer.parts.body}</div> : null}
          {outcome.answer.parts.citations.length > 0 ? (
            <ol class="citations" aria-label={t("chat.sources")}>
              {outcome.answer.parts.citations.map((citation) => (
                <CitationItem citation={citation} linkDocuments={props.linkDocuments} />
              ))}
            </ol>
          ) : null}
          {outcome.answer.parts.footer ? <p class="footer">{outcome.answer.parts.footer}</p> : null}
          {/* A declined question is already in the trainers' queue: nothing to rate. */}
          {outcome.kind === "answered" ? (
            <FeedbackButtons
              session={props.session}
              interactionId={outcome.interactionId}
              given={turn.feedback}
            />
          ) : null}
        </div>
      )}
    </>
  );
}

export function ChatPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  linkDocuments: boolean;
  /** Answers that arrived for this person's earlier questions (shown once). */
  notices?: Array<{ id: number; text: string }>;
}) {
  const { session } = props;
  const notices = props.notices ?? [];
  return (
    <Layout title={t("chat.title")} section="chiedi" session={session} approval={props.approval}>
      <h1>{t("chat.title")}</h1>
      {notices.length > 0 ? (
        <section class="card notice" id="avvisi" aria-live="polite">
          <h2>{t("notice.title")}</h2>
          {notices.map((n) => (
            <p class="notice-text">{n.text}</p>
          ))}
        </section>
      ) : null}
      {session.chat.length === 0 ? <p class="muted">{t("chat.intro")}</p> : null}
      <div class="chat" aria-live="polite">
        {session.chat.map((turn, i) => (
          <Turn
            turn={turn}
            session={session}
            last={i === session.chat.length - 1}
            linkDocuments={props.linkDocuments}
          />
        ))}
      </div>
      <form class="card" method="post" action="/chiedi" id="chiedi">
        <CsrfField session={session} />
        <label for="domanda">{t("chat.label")}</label>
        <div class="chatbox">
          <textarea id="domanda" name="domanda" required placeholder={t("chat.placeholder")} />
          <button type="submit">{t("chat.submit")}</button>
        </div>
      </form>
      {session.chat.length > 0 ? (
        <form method="post" action="/chiedi/svuota">
          <CsrfField session={session} />
          <button type="submit" class="secondary">
            {t("chat.clear")}
          </button>
        </form>
      ) : null}
    </Layout>
  );
}
