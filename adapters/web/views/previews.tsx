// How a FAQ's answer will look in Telegram and in Slack: an approximation of each app's style
// (bubble and inline keyboard; app message with context lines and buttons), built from the same
// parts the engine composes, so the wording is the real one.
import {
  type Answer,
  type Citation,
  composeFaqAnswer,
  type DocumentMeta,
  type Faq,
  say,
} from "../../../src/index.js";
import { t } from "../text.js";

/** The fields of a FAQ the editor works on; the review date is set at approval. */
export type FaqFields = Omit<Faq, "id" | "reviewed"> & { reviewed: string | null };

export function faqAnswerParts(
  id: string,
  content: FaqFields,
  documents: DocumentMeta[],
): Answer["parts"] {
  const reviewed = content.reviewed || new Date().toISOString().slice(0, 10);
  const parts = composeFaqAnswer({ id, ...content, reviewed, version: 1 }, []);
  if (content.sources.length === 0) return parts;
  const citations: Citation[] = content.sources.map((source, i) => {
    const document = documents.find((d) => d.id === source.document);
    return {
      n: i + 1,
      passageId: "",
      documentId: source.document,
      documentTitle: document ? (document.shortTitle ?? document.title) : source.document,
      section: source.section ?? "",
      where: source.page ? say("answer.location_page", { page: source.page }) : "",
    };
  });
  return { ...parts, citations };
}

function citationText(citation: Citation): string {
  return `[${citation.n}] ${[citation.documentTitle, citation.section, citation.where].filter(Boolean).join(" › ")}`;
}

export function TelegramPreview(props: { parts: Answer["parts"] }) {
  const { parts } = props;
  return (
    <figure class="preview-telegram" aria-label={t("preview.telegram")}>
      <div class="bubble">
        <b>{parts.lead}</b>
        {"\n\n"}
        {parts.body}
        {parts.citations.length > 0 ? (
          <>
            {"\n\n"}
            <b>{t("preview.sources")}</b>
            {parts.citations.map((citation) => `\n${citationText(citation)}`)}
          </>
        ) : null}
        {parts.footer ? (
          <>
            {"\n\n"}
            <i>{parts.footer}</i>
          </>
        ) : null}
      </div>
      <div class="kbd" aria-hidden="true">
        <span>{t("feedback.button_utile")}</span>
        <span>{t("feedback.button_non_utile")}</span>
        <span>{t("feedback.button_segnala")}</span>
      </div>
    </figure>
  );
}

export function SlackPreview(props: { parts: Answer["parts"] }) {
  const { parts } = props;
  return (
    <figure class="preview-slack" aria-label={t("preview.slack")}>
      <div class="author">
        {t("brand")} <span class="muted">{t("preview.app")}</span>
      </div>
      <div class="mrkdwn">
        {parts.lead}
        {"\n\n"}
        {parts.body}
      </div>
      {parts.citations.length > 0 ? (
        <div class="context">
          {t("preview.sources")}
          {parts.citations.map((citation) => `\n${citationText(citation)}`)}
        </div>
      ) : null}
      {parts.footer ? <div class="context">{parts.footer}</div> : null}
      <div class="btns" aria-hidden="true">
        <span>{t("feedback.button_utile")}</span>
        <span>{t("feedback.button_non_utile")}</span>
        <span>{t("feedback.button_segnala")}</span>
      </div>
    </figure>
  );
}
