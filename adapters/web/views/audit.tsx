// Registro attività: the audit trail for coordinators, newest first, filtered by action and day.
import { type ApprovalPolicy, formatDateTime } from "../../../src/index.js";
import type { Session } from "../auth/sessions.js";
import type { AuditRecord } from "../ports.js";
import { t, tOr } from "../text.js";
import { shorten } from "./format.js";
import { Layout } from "./layout.js";

export interface AuditListQuery {
  /** An action code or an area ("faq"); undefined for every action. */
  action?: string;
  /** YYYY-MM-DD */
  since?: string;
  limit: number;
  offset: number;
}

export interface AuditActionOption {
  code: string;
  label: string;
}

/** The areas (the part of a code before the dot) of the known actions, in their order. */
export function auditAreas(actions: AuditActionOption[]): string[] {
  return [...new Set(actions.map((a) => a.code.split(".")[0] ?? a.code))];
}

export function auditHref(query: AuditListQuery, change: Partial<AuditListQuery>): string {
  const merged = { ...query, ...change };
  const params = new URLSearchParams();
  if (merged.action) params.set("azione", merged.action);
  if (merged.since) params.set("dal", merged.since);
  if (merged.offset > 0) params.set("da", String(merged.offset));
  const search = params.toString();
  return search ? `/registro?${search}` : "/registro";
}

/** The changed object, linked to its page when the console has one. */
function Target(props: { entry: AuditRecord }) {
  const { action, target } = props.entry;
  if (target === null) return <span class="muted">–</span>;
  if (action.startsWith("faq.")) return <a href={`/faq/${encodeURIComponent(target)}`}>{target}</a>;
  if (action.startsWith("group.") && /^\d+$/.test(target)) {
    return <a href={`/senza-risposta/${target}`}>{t("audit.target_group", { id: target })}</a>;
  }
  if (action.startsWith("knowledge.")) {
    return <a href={`/documenti/${encodeURIComponent(target)}`}>{target}</a>;
  }
  return <span>{target}</span>;
}

export function AuditPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  query: AuditListQuery;
  total: number;
  entries: AuditRecord[];
  actions: AuditActionOption[];
}) {
  const { query } = props;
  const first = props.total === 0 ? 0 : query.offset + 1;
  const last = query.offset + props.entries.length;
  return (
    <Layout
      title={t("audit.title")}
      section="registro"
      session={props.session}
      approval={props.approval}
    >
      <h1>{t("audit.title")}</h1>
      <p class="muted">{t("audit.intro")}</p>
      <form class="card filters" method="get" action="/registro">
        <div>
          <label for="azione">{t("audit.filter_action")}</label>
          <select id="azione" name="azione">
            <option value="">{t("audit.any")}</option>
            {auditAreas(props.actions).map((area) => (
              <option value={area} selected={query.action === area}>
                {tOr(`audit.area.${area}`, area)}
              </option>
            ))}
            {props.actions.map((action) => (
              <option value={action.code} selected={query.action === action.code}>
                {action.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="dal">{t("audit.filter_since")}</label>
          <input type="date" id="dal" name="dal" value={query.since ?? ""} />
        </div>
        <div>
          <button type="submit">{t("audit.apply")}</button>
        </div>
      </form>
      <p class="muted">{t("audit.summary", { first, last, total: props.total })}</p>
      {props.entries.length === 0 ? (
        <p class="card">{t("audit.empty")}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("audit.col_when")}</th>
                <th>{t("audit.col_who")}</th>
                <th>{t("audit.col_action")}</th>
                <th>{t("audit.col_target")}</th>
                <th>{t("audit.col_detail")}</th>
              </tr>
            </thead>
            <tbody>
              {props.entries.map((entry) => (
                <tr data-action={entry.action}>
                  <td class="when">{formatDateTime(entry.at)}</td>
                  <td class="who">{entry.who}</td>
                  <td>{entry.label}</td>
                  <td>
                    <Target entry={entry} />
                  </td>
                  <td>{shorten(entry.summary, 400) || "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label={t("audit.pages")}>
        {query.offset > 0 ? (
          <a
            class="button secondary"
            href={auditHref(query, { offset: Math.max(0, query.offset - query.limit) })}
          >
            {t("audit.previous")}
          </a>
        ) : null}
        {last < props.total ? (
          <a
            class="button secondary"
            href={auditHref(query, { offset: query.offset + query.limit })}
          >
            {t("audit.next")}
          </a>
        ) : null}
      </nav>
    </Layout>
  );
}
