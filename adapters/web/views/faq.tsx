// FAQ pages: the list with search, one FAQ with its previews and actions, the editor, and the
// version history with a diff.

import {
  type ApprovalPolicy,
  type DocumentMeta,
  formatDateTime,
  may,
  stepsOffered,
} from "../../../src/index.js";
import type { Session } from "../auth/sessions.js";
import type { DiffLine } from "../diff.js";
import type { AnswerProposal, ResolutionCandidate } from "../ports.js";
import { type FaqRecord, type FaqState, type FaqVersionRecord, faqStates } from "../ports.js";
import { t } from "../text.js";
import { CsrfField, Layout } from "./layout.js";
import { type FaqFields, faqAnswerParts, SlackPreview, TelegramPreview } from "./previews.js";

export function FaqStateBadge(props: { state: FaqState }) {
  return <span class={`badge ${props.state}`}>{t(`faq_state.${props.state}`)}</span>;
}

export function FaqListPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  faqs: FaqRecord[];
  search: string;
  state: FaqState | undefined;
}) {
  const canEdit = may(props.session.roles, "faq.edit", props.approval);
  return (
    <Layout title={t("faq.title")} section="faq" session={props.session} approval={props.approval}>
      <h1>{t("faq.title")}</h1>
      {canEdit ? (
        <p>
          <a href="/faq/suggerimenti">{t("suggestions.link")}</a>
        </p>
      ) : null}
      <form class="card filters" method="get" action="/faq">
        <div>
          <label for="q">{t("faq.search")}</label>
          <input type="search" id="q" name="q" value={props.search} />
        </div>
        <div>
          <label for="stato">{t("faq.filter_state")}</label>
          <select id="stato" name="stato">
            <option value="">{t("unanswered.any")}</option>
            {faqStates.map((state) => (
              <option value={state} selected={props.state === state}>
                {t(`faq_state.${state}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit">{t("faq.apply")}</button>
        </div>
      </form>
      {canEdit ? (
        <p>
          <a class="button" href="/faq/nuova">
            {t("faq.new")}
          </a>
        </p>
      ) : null}
      {props.faqs.length === 0 ? (
        <p class="card">{t("faq.empty")}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("faq.col_question")}</th>
                <th>{t("faq.col_state")}</th>
                <th class="num">{t("faq.col_version")}</th>
                <th>{t("faq.col_region")}</th>
                <th>{t("faq.col_updated")}</th>
              </tr>
            </thead>
            <tbody>
              {props.faqs.map((faq) => (
                <tr>
                  <td>
                    <a href={`/faq/${encodeURIComponent(faq.id)}`}>{faq.question}</a>
                    <div class="muted">{faq.id}</div>
                  </td>
                  <td>
                    <FaqStateBadge state={faq.status} />
                    {faq.publishedVersion !== null && faq.status !== "pubblicata" ? (
                      <div class="muted">
                        {t("faq.answering_version", { version: faq.publishedVersion })}
                      </div>
                    ) : null}
                  </td>
                  <td class="num">{String(faq.version)}</td>
                  <td>{faq.region ?? t("faq.national")}</td>
                  <td>
                    {formatDateTime(faq.updatedAt)}
                    <div class="muted">{faq.updatedBy}</div>
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

function ActionButton(props: {
  session: Session;
  faq: FaqRecord;
  path: string;
  label: string;
  danger?: boolean;
  reason?: boolean;
}) {
  return (
    <form
      class={props.reason ? "card" : "inline"}
      data-confirm={props.danger ? t("faq.confirm_retire") : undefined}
      method="post"
      action={`/faq/${encodeURIComponent(props.faq.id)}/${props.path}`}
    >
      <CsrfField session={props.session} />
      <input type="hidden" name="versione" value={String(props.faq.version)} />
      {props.reason ? (
        <>
          <label for={`motivo-${props.path}`}>{t("faq.reason")}</label>
          <textarea id={`motivo-${props.path}`} name="motivo" required />
          <div class="actions">
            <button type="submit" class={props.danger ? "danger" : undefined}>
              {props.label}
            </button>
          </div>
        </>
      ) : (
        <button type="submit" class={props.danger ? "danger" : undefined}>
          {props.label}
        </button>
      )}
    </form>
  );
}

/**
 * Publication with the queued questions it resolves: those the FAQ answers come ticked, the
 * others of its group unticked; only the ticked ones are resolved and their askers told.
 */
function PublishForm(props: {
  session: Session;
  faq: FaqRecord;
  candidates: ResolutionCandidate[];
}) {
  return (
    <form
      class="card"
      method="post"
      action={`/faq/${encodeURIComponent(props.faq.id)}/pubblica`}
      id="pubblica"
    >
      <h2>{t("faq.publish_title")}</h2>
      <CsrfField session={props.session} />
      <input type="hidden" name="versione" value={String(props.faq.version)} />
      <input type="hidden" name="conferma" value="1" />
      {props.candidates.length === 0 ? (
        <p class="muted">{t("faq.publish_no_questions")}</p>
      ) : (
        <>
          <p>{t("faq.publish_questions")}</p>
          <ul class="plain">
            {props.candidates.map((c) => (
              <li>
                <label>
                  <input
                    type="checkbox"
                    name="risolve"
                    value={String(c.itemId)}
                    checked={c.matched}
                  />{" "}
                  {c.text}{" "}
                  <span class={`badge ${c.uncertain ? "uncertain" : "declined"}`}>
                    {c.uncertain
                      ? t("unanswered.category_uncertain")
                      : t("unanswered.category_unanswered")}
                  </span>{" "}
                  <span class="muted">
                    {c.inGroup
                      ? c.matched
                        ? t("faq.publish_matched")
                        : t("faq.publish_unmatched")
                      : t("faq.publish_other_group", { id: c.groupId })}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="actions">
        <button type="submit">{t("faq.publish")}</button>
      </div>
    </form>
  );
}

export function FaqPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  faq: FaqRecord;
  documents: DocumentMeta[];
  /** The queued questions publishing may resolve (when it can be published now). */
  candidates?: ResolutionCandidate[];
}) {
  const { faq, session } = props;
  const content = faq;
  // The steps this person may take on the FAQ in its state, as the core decides them.
  const offered = stepsOffered(faq.status, session.roles, props.approval);
  const parts = faqAnswerParts(faq.id, { ...faq, reviewed: faq.reviewed || null }, props.documents);
  const id = encodeURIComponent(faq.id);
  return (
    <Layout title={content.question} section="faq" session={session} approval={props.approval}>
      <p>
        <a href="/faq">{t("faq.back")}</a>
      </p>
      <h1>{content.question}</h1>
      <div class="card">
        <p>
          <FaqStateBadge state={faq.status} />{" "}
          {t("faq.meta", {
            id: faq.id,
            version: faq.version,
            author: faq.updatedBy,
            at: formatDateTime(faq.updatedAt),
          })}
        </p>
        <p class="muted">
          {faq.publishedVersion !== null && faq.publishedVersion !== faq.version
            ? `${t("faq.answering_version", { version: faq.publishedVersion })} · `
            : ""}
          {t("faq.region")}: {content.region ?? t("faq.national")}
          {content.tags.length > 0 ? ` · ${t("faq.tags")}: ${content.tags.join(", ")}` : ""}
          {faq.groupId !== null ? " · " : ""}
          {faq.groupId !== null ? (
            <a href={`/senza-risposta/${faq.groupId}`}>{t("faq.from_group")}</a>
          ) : null}
        </p>
        {content.alternatives.length > 0 ? (
          <>
            <h2>{t("faq.alternatives")}</h2>
            <ul class="plain">
              {content.alternatives.map((alternative) => (
                <li>{alternative}</li>
              ))}
            </ul>
          </>
        ) : null}
        <div class="actions">
          {offered.includes("edit") ? (
            <a class="button secondary" href={`/faq/${id}/modifica`}>
              {t("faq.edit")}
            </a>
          ) : null}
          {offered.includes("approve") ? (
            <ActionButton session={session} faq={faq} path="approva" label={t("faq.approve")} />
          ) : null}
          {offered.includes("publish") && !props.candidates ? (
            <ActionButton session={session} faq={faq} path="pubblica" label={t("faq.publish")} />
          ) : null}
          <a class="button secondary" href={`/faq/${id}/versioni`}>
            {t("faq.history")}
          </a>
        </div>
      </div>
      {offered.includes("publish") && props.candidates ? (
        <PublishForm session={session} faq={faq} candidates={props.candidates} />
      ) : null}
      <h2>{t("faq.preview")}</h2>
      <div class="grid2">
        <div>
          <h3>{t("preview.telegram")}</h3>
          <TelegramPreview parts={parts} />
        </div>
        <div>
          <h3>{t("preview.slack")}</h3>
          <SlackPreview parts={parts} />
        </div>
      </div>
      {offered.includes("retire") ? (
        <>
          <h2>{t("faq.retire_title")}</h2>
          <ActionButton
            session={session}
            faq={faq}
            path="ritira"
            label={t("faq.retire")}
            danger
            reason
          />
        </>
      ) : null}
    </Layout>
  );
}

export interface FaqFormValues extends FaqFields {
  id: string;
  reason: string;
  groupId: number | null;
}

export function FaqEditorPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  /** null for a new FAQ. */
  existing: FaqRecord | null;
  values: FaqFormValues;
  documents: DocumentMeta[];
  regions: string[];
  error?: string;
  /** A draft answer from the best passages, and those passages to pick as sources. */
  proposal?: AnswerProposal;
}) {
  const { values, existing } = props;
  const action = existing ? `/faq/${encodeURIComponent(existing.id)}` : "/faq";
  // Existing sources plus two empty rows: enough without script to add sources one save at a time.
  const sourceRows = [
    ...values.sources,
    { document: "", section: "", page: undefined },
    { document: "", section: "", page: undefined },
  ];
  return (
    <Layout
      title={existing ? t("faq.edit_title") : t("faq.new_title")}
      section="faq"
      session={props.session}
      approval={props.approval}
    >
      <h1>{existing ? t("faq.edit_title") : t("faq.new_title")}</h1>
      {props.error ? (
        <p class="flash error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form class="card" method="post" action={action}>
        <CsrfField session={props.session} />
        {existing ? <input type="hidden" name="versione" value={String(existing.version)} /> : null}
        {values.groupId !== null ? (
          <input type="hidden" name="gruppo" value={String(values.groupId)} />
        ) : null}
        {existing ? (
          <p class="muted">{t("faq.meta_short", { id: existing.id, version: existing.version })}</p>
        ) : (
          <>
            <label for="id">{t("faq.field_id")}</label>
            <input type="text" id="id" name="id" value={values.id} pattern="[a-z0-9][a-z0-9\-]*" />
            <p class="muted">{t("faq.field_id_help")}</p>
          </>
        )}
        <label for="domanda">{t("faq.field_question")}</label>
        <input type="text" id="domanda" name="domanda" value={values.question} required />
        <label for="alternative">{t("faq.field_alternatives")}</label>
        <textarea id="alternative" name="alternative">
          {values.alternatives.join("\n")}
        </textarea>
        <p class="muted">{t("faq.field_alternatives_help")}</p>
        <label for="risposta">{t("faq.field_answer")}</label>
        <textarea id="risposta" name="risposta" rows={8}>
          {values.answer}
        </textarea>
        {props.proposal && props.proposal.sources.length > 0 ? (
          <fieldset class="proposal">
            <legend>{t("faq.proposal_title")}</legend>
            <p class="muted">{t("faq.proposal_help")}</p>
            <ul class="plain">
              {props.proposal.sources.map((s) => (
                <li>
                  <label>
                    <input type="checkbox" name="fonte_passaggio" value={s.passageId} checked /> [
                    {s.n}] {s.location}
                  </label>
                  <blockquote>{s.sentence}</blockquote>
                </li>
              ))}
            </ul>
          </fieldset>
        ) : null}
        <fieldset>
          <legend>{t("faq.field_sources")}</legend>
          {sourceRows.map((source, i) => (
            <div class="filters">
              <div>
                <label for={`fonte-doc-${i}`}>{t("faq.field_source_document")}</label>
                <select id={`fonte-doc-${i}`} name="fonte_documento">
                  <option value="">{t("faq.no_source")}</option>
                  {props.documents.map((document) => (
                    <option value={document.id} selected={source.document === document.id}>
                      {document.shortTitle ?? document.title}
                    </option>
                  ))}
                  {source.document && !props.documents.some((d) => d.id === source.document) ? (
                    <option value={source.document} selected>
                      {source.document}
                    </option>
                  ) : null}
                </select>
              </div>
              <div>
                <label for={`fonte-sez-${i}`}>{t("faq.field_source_section")}</label>
                <input
                  type="text"
                  id={`fonte-sez-${i}`}
                  name="fonte_sezione"
                  value={source.section ?? ""}
                />
              </div>
              <div>
                <label for={`fonte-pag-${i}`}>{t("faq.field_source_page")}</label>
                <input
                  type="text"
                  inputmode="numeric"
                  id={`fonte-pag-${i}`}
                  name="fonte_pagina"
                  value={source.page ? String(source.page) : ""}
                />
              </div>
            </div>
          ))}
        </fieldset>
        <label for="regione">{t("faq.field_region")}</label>
        <input type="text" id="regione" name="regione" value={values.region ?? ""} list="regioni" />
        <datalist id="regioni">
          {props.regions.map((region) => (
            <option value={region} />
          ))}
        </datalist>
        <p class="muted">{t("faq.field_region_help")}</p>
        <label for="tag">{t("faq.field_tags")}</label>
        <input type="text" id="tag" name="tag" value={values.tags.join(", ")} />
        <label for="motivo">{t("faq.field_reason")}</label>
        <input type="text" id="motivo" name="motivo" value={values.reason} />
        <div class="actions">
          <button type="submit">{existing ? t("faq.save") : t("faq.save_draft")}</button>
          <a
            class="button secondary"
            href={existing ? `/faq/${encodeURIComponent(existing.id)}` : "/faq"}
          >
            {t("faq.cancel")}
          </a>
        </div>
      </form>
    </Layout>
  );
}

/** The fields of a version as text, one per line, so that a line diff reads as a field diff. */
export function faqAsText(content: FaqFields): string {
  return [
    `${t("faq.field_question")}: ${content.question}`,
    ...content.alternatives.map((alternative) => `${t("faq.alternative")}: ${alternative}`),
    `${t("faq.field_answer")}:`,
    ...content.answer.split("\n"),
    ...content.sources.map(
      (source) =>
        `${t("faq.source")}: ${[source.document, source.section, source.page ? `p. ${source.page}` : ""].filter(Boolean).join(" › ")}`,
    ),
    `${t("faq.region")}: ${content.region ?? t("faq.national")}`,
    `${t("faq.tags")}: ${content.tags.join(", ")}`,
  ].join("\n");
}

export function FaqHistoryPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  faqId: string;
  versions: FaqVersionRecord[];
  from: number;
  to: number;
  diff: DiffLine[];
}) {
  const id = encodeURIComponent(props.faqId);
  const versionOptions = (selected: number) =>
    props.versions.map((version) => (
      <option value={String(version.version)} selected={version.version === selected}>
        {t("faq.version_option", {
          version: version.version,
          action: version.action,
        })}
      </option>
    ));
  return (
    <Layout
      title={t("faq.history_title")}
      section="faq"
      session={props.session}
      approval={props.approval}
    >
      <p>
        <a href={`/faq/${id}`}>{t("faq.back_to_faq")}</a>
      </p>
      <h1>{t("faq.history_title")}</h1>
      <p class="muted">{props.faqId}</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th class="num">{t("faq.col_version")}</th>
              <th>{t("faq.col_action")}</th>
              <th>{t("faq.col_author")}</th>
              <th>{t("faq.col_when")}</th>
              <th>{t("faq.col_reason")}</th>
            </tr>
          </thead>
          <tbody>
            {[...props.versions].reverse().map((version) => (
              <tr>
                <td class="num">{String(version.version)}</td>
                <td>{version.action}</td>
                <td>{version.author}</td>
                <td>{formatDateTime(version.at)}</td>
                <td>{version.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t("faq.diff_title")}</h2>
      <form class="card filters" method="get" action={`/faq/${id}/versioni`}>
        <div>
          <label for="da">{t("faq.diff_from")}</label>
          <select id="da" name="da">
            {versionOptions(props.from)}
          </select>
        </div>
        <div>
          <label for="a">{t("faq.diff_to")}</label>
          <select id="a" name="a">
            {versionOptions(props.to)}
          </select>
        </div>
        <div>
          <button type="submit">{t("faq.diff_show")}</button>
        </div>
      </form>
      <div class="card">
        {props.diff.every((line) => line.op === "same") ? (
          <p class="muted">{t("faq.diff_none")}</p>
        ) : null}
        <pre class="diff">
          {props.diff.map((line) => (
            <span class={line.op}>
              {line.op === "add" ? "+ " : line.op === "del" ? "− " : "  "}
              {line.text}
            </span>
          ))}
        </pre>
      </div>
    </Layout>
  );
}
