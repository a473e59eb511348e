// Documenti: the corpus as the index sees it, one document's passages, re-ingestion progress.

import type { ApprovalPolicy, DocumentMeta, LibraryJob, Passage } from "../../../src/index.js";
import type { Session } from "../auth/sessions.js";
import type { ReingestProgress } from "../ports.js";
import { t } from "../text.js";
import { CsrfField, Layout } from "./layout.js";

function where(passage: Passage): string {
  const { pageStart, pageEnd, lineStart, lineEnd, bySection } = passage.location;
  if (bySection) return "";
  if (pageStart !== undefined) {
    return pageEnd !== undefined && pageEnd !== pageStart
      ? t("documents.pages", { from: pageStart, to: pageEnd })
      : t("documents.page", { page: pageStart });
  }
  return t("documents.lines", { from: lineStart, to: lineEnd });
}

export function DocumentListPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  documents: { meta: DocumentMeta; passages: number | null }[];
  canManage: boolean;
  drift: { notIndexed: string[]; gone: string[] };
}) {
  return (
    <Layout
      title={t("documents.title")}
      section="documenti"
      session={props.session}
      approval={props.approval}
    >
      <h1>{t("documents.title")}</h1>
      <p class="muted">{t("documents.intro")}</p>
      {props.canManage ? (
        <p>
          <a class="button" href="/documenti/carica">
            {t("documents.upload_link")}
          </a>
        </p>
      ) : null}
      <KnowledgeDrift notIndexed={props.drift.notIndexed} gone={props.drift.gone} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t("documents.col_title")}</th>
              <th>{t("documents.col_kind")}</th>
              <th>{t("documents.col_region")}</th>
              <th>{t("documents.col_date")}</th>
              <th class="num">{t("documents.col_passages")}</th>
            </tr>
          </thead>
          <tbody>
            {props.documents.map(({ meta, passages }) => (
              <tr>
                <td>
                  <a href={`/documenti/${encodeURIComponent(meta.id)}`}>{meta.title}</a>
                  <div class="muted">{meta.file}</div>
                </td>
                <td>{meta.kind}</td>
                <td>{meta.region ?? t("documents.national")}</td>
                <td>{meta.date ?? "–"}</td>
                <td class="num">{passages === null ? "–" : String(passages)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

export function ReingestStatus(props: { progress: ReingestProgress }) {
  const { progress } = props;
  return (
    <div class="card" role="status">
      <p>
        {t(`documents.job_${progress.state}`, {
          step: progress.step,
          percent: Math.round(progress.fraction * 100),
          passages: progress.passages ?? 0,
          error: progress.error ?? "",
        })}
      </p>
      <progress class="progress" max="100" value={String(Math.round(progress.fraction * 100))} />
    </div>
  );
}

export function DocumentPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  meta: DocumentMeta;
  passages: Passage[] | null;
  canReingest: boolean;
  canManage: boolean;
  progress: ReingestProgress | undefined;
}) {
  const { meta, passages } = props;
  const running = props.progress?.state === "in_corso";
  return (
    <Layout
      title={meta.title}
      section="documenti"
      session={props.session}
      approval={props.approval}
      refresh={running ? 2 : undefined}
    >
      <p>
        <a href="/documenti">{t("documents.back")}</a>
      </p>
      <h1>{meta.title}</h1>
      <div class="card">
        <p class="muted">
          {[meta.kind, meta.region ?? t("documents.national"), meta.date ?? "", meta.origin]
            .filter(Boolean)
            .join(" · ")}
        </p>
        {props.canManage ? (
          <p>
            <a href={`/documenti/${encodeURIComponent(meta.id)}/modifica`}>
              {t("documents.edit_link")}
            </a>
          </p>
        ) : null}
        {props.canReingest && !running ? (
          <form method="post" action={`/documenti/${encodeURIComponent(meta.id)}/reindicizza`}>
            <CsrfField session={props.session} />
            <button type="submit">{t("documents.reingest")}</button>
          </form>
        ) : null}
      </div>
      {props.progress ? <ReingestStatus progress={props.progress} /> : null}
      <h2>{t("documents.passages", { count: passages?.length ?? 0 })}</h2>
      {passages === null ? <p class="muted">{t("documents.no_passages")}</p> : null}
      {(passages ?? []).map((passage) => (
        <article class="card" id={`p-${passage.id}`}>
          <p class="muted">
            {[...passage.breadcrumb, where(passage)].filter(Boolean).join(" › ")}
            {passage.kind === "table" ? ` · ${t("documents.table")}` : ""}
          </p>
          <div class="passage">{passage.text}</div>
          <p class="muted">{passage.id}</p>
        </article>
      ))}
    </Layout>
  );
}

/** The metadata fields of the upload and edit forms, pre-filled with `values`. */
function MetaFields(props: { values: Record<string, string>; kinds: readonly string[] }) {
  const v = props.values;
  return (
    <>
      <label for="titolo">{t("documents.field_title")}</label>
      <input id="titolo" name="titolo" value={v.titolo ?? ""} />
      <label for="titolo_breve">{t("documents.field_short_title")}</label>
      <input id="titolo_breve" name="titolo_breve" value={v.titolo_breve ?? ""} />
      <label for="tipo">{t("documents.field_kind")}</label>
      <select id="tipo" name="tipo">
        <option value="">{t("documents.field_kind_auto")}</option>
        {props.kinds.map((kind) => (
          <option value={kind} selected={v.tipo === kind}>
            {kind}
          </option>
        ))}
      </select>
      <label for="regione">{t("documents.field_region")}</label>
      <input id="regione" name="regione" value={v.regione ?? ""} />
      <label for="data">{t("documents.field_date")}</label>
      <input id="data" name="data" value={v.data ?? ""} placeholder="AAAA-MM-GG" />
      <label for="provenienza">{t("documents.field_origin")}</label>
      <input id="provenienza" name="provenienza" value={v.provenienza ?? ""} />
    </>
  );
}

export function UploadPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  documents: DocumentMeta[];
  kinds: readonly string[];
  values: Record<string, string>;
  error?: string;
  maxMb: number;
}) {
  return (
    <Layout
      title={t("documents.upload_title")}
      section="documenti"
      session={props.session}
      approval={props.approval}
    >
      <p>
        <a href="/documenti">{t("documents.back")}</a>
      </p>
      <h1>{t("documents.upload_title")}</h1>
      <p class="muted">{t("documents.upload_intro", { mb: props.maxMb })}</p>
      {props.error ? (
        <p class="flash error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/documenti/carica" enctype="multipart/form-data" class="card">
        <CsrfField session={props.session} />
        <label for="file">{t("documents.field_file")}</label>
        <input
          id="file"
          name="file"
          type="file"
          required
          accept=".pdf,.docx,.odt,.html,.htm,.txt,.md"
        />
        <label for="sostituisci">{t("documents.field_replace")}</label>
        <select id="sostituisci" name="sostituisci">
          <option value="">{t("documents.field_replace_none")}</option>
          {props.documents.map((meta) => (
            <option value={meta.id} selected={props.values.sostituisci === meta.id}>
              {`${meta.id} – ${meta.title}`}
            </option>
          ))}
        </select>
        <MetaFields values={props.values} kinds={props.kinds} />
        <button type="submit">{t("documents.upload_submit")}</button>
      </form>
    </Layout>
  );
}

export function JobPage(props: { session: Session; approval: ApprovalPolicy; job: LibraryJob }) {
  const { job } = props;
  const running = job.state === "in_corso";
  const percent = Math.round(job.fraction * 100);
  return (
    <Layout
      title={t("documents.job_title")}
      section="documenti"
      session={props.session}
      approval={props.approval}
      refresh={running ? 1 : undefined}
    >
      <p>
        <a href="/documenti">{t("documents.back")}</a>
      </p>
      <h1>{t("documents.job_title")}</h1>
      <div class="card" role="status">
        <p>
          {running
            ? t("documents.upload_running", { step: job.step, percent })
            : job.state === "completata"
              ? t("documents.upload_done")
              : t("documents.upload_failed", { error: job.error ?? "" })}
        </p>
        <progress class="progress" max="100" value={String(percent)} />
        {job.outcome.length > 0 ? (
          <ul>
            {job.outcome.map((line) => (
              <li>{line}</li>
            ))}
          </ul>
        ) : null}
        {job.state === "completata"
          ? job.documentIds.map((id) => (
              <p>
                <a href={`/documenti/${encodeURIComponent(id)}`}>{t("documents.open", { id })}</a>
              </p>
            ))
          : null}
      </div>
    </Layout>
  );
}

export function EditPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  meta: DocumentMeta;
  kinds: readonly string[];
  values: Record<string, string>;
  error?: string;
}) {
  const { meta } = props;
  const path = `/documenti/${encodeURIComponent(meta.id)}`;
  return (
    <Layout
      title={t("documents.edit_title", { title: meta.title })}
      section="documenti"
      session={props.session}
      approval={props.approval}
    >
      <p>
        <a href={path}>{t("documents.back_to", { title: meta.title })}</a>
      </p>
      <h1>{t("documents.edit_title", { title: meta.title })}</h1>
      {props.error ? (
        <p class="flash error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action={`${path}/modifica`} class="card">
        <CsrfField session={props.session} />
        <MetaFields values={props.values} kinds={props.kinds} />
        <button type="submit">{t("documents.edit_submit")}</button>
      </form>
      <form method="post" action={`${path}/togli`} class="card">
        <CsrfField session={props.session} />
        <p class="muted">{t("documents.remove_intro")}</p>
        <button type="submit">{t("documents.remove_submit")}</button>
      </form>
    </Layout>
  );
}

/** The documents the manifest and the index in use disagree on, said as it is. */
export function KnowledgeDrift(props: { notIndexed: string[]; gone: string[] }) {
  if (props.notIndexed.length === 0 && props.gone.length === 0) return null;
  return (
    <div class="card" role="status">
      {props.notIndexed.length > 0 ? (
        <p>{t("documents.drift_not_indexed", { ids: props.notIndexed.join(", ") })}</p>
      ) : null}
      {props.gone.length > 0 ? (
        <p>{t("documents.drift_gone", { ids: props.gone.join(", ") })}</p>
      ) : null}
    </div>
  );
}
