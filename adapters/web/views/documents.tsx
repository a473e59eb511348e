// Documenti: the corpus as the index sees it, one document's passages, re-ingestion progress.
import type { DocumentMeta, Passage } from "../../../src/knowledge/types.js";
import type { ApprovalPolicy } from "../auth/permissions.js";
import type { Session } from "../auth/sessions.js";
import type { ReingestProgress } from "../ports.js";
import { t } from "../text.js";
import { CsrfField, Layout } from "./layout.js";

function where(passage: Passage): string {
  const { pageStart, pageEnd, lineStart, lineEnd } = passage.location;
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
            {[...passage.breadcrumb, where(passage)].join(" › ")}
            {passage.kind === "table" ? ` · ${t("documents.table")}` : ""}
          </p>
          <div class="passage">{passage.text}</div>
          <p class="muted">{passage.id}</p>
        </article>
      ))}
    </Layout>
  );
}
