// Domande senza risposta: the groups with filters and sorting, and one group's page.
import { type ApprovalPolicy, channels, formatDateTime, may } from "../../../src/index.js";
import type { Session } from "../auth/sessions.js";
import {
  groupStatuses,
  type ListQuery,
  type UnansweredGroupDetail,
  type UnansweredGroupRow,
} from "../ports.js";
import { t } from "../text.js";
import { shorten } from "./format.js";
import { CsrfField, Layout } from "./layout.js";

export function GroupStatusBadge(props: { group: UnansweredGroupRow }) {
  return (
    <span class={`badge ${props.group.status}`}>{t(`group_status.${props.group.status}`)}</span>
  );
}

/** The query string for a list page with one parameter changed. */
export function unansweredHref(query: ListQuery, change: Partial<ListQuery>): string {
  const merged = { ...query, ...change };
  const params = new URLSearchParams();
  if (merged.status) params.set("stato", merged.status);
  if (merged.region) params.set("regione", merged.region);
  if (merged.channel) params.set("canale", merged.channel);
  if (merged.category) {
    params.set("tipo", merged.category === "uncertain" ? "da-verificare" : "senza-risposta");
  }
  if (merged.since) params.set("dal", merged.since);
  if (merged.until) params.set("al", merged.until);
  if (merged.sort !== "count") params.set("ordine", "recenti");
  if (merged.offset > 0) params.set("da", String(merged.offset));
  const search = params.toString();
  return search ? `/senza-risposta?${search}` : "/senza-risposta";
}

export function UnansweredListPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  query: ListQuery;
  total: number;
  groups: UnansweredGroupRow[];
  regions: string[];
  /** Open groups of each part of the queue, for the links at the top. */
  open: { unanswered: number; uncertain: number };
}) {
  const { query } = props;
  const first = props.total === 0 ? 0 : query.offset + 1;
  const last = query.offset + props.groups.length;
  return (
    <Layout
      title={t("unanswered.title")}
      section="senza-risposta"
      session={props.session}
      approval={props.approval}
    >
      <h1>
        {query.category === "uncertain" ? t("unanswered.uncertain_title") : t("unanswered.title")}
      </h1>
      <p class="queue-parts">
        <a
          href={unansweredHref(query, { category: "unanswered", status: "aperta", offset: 0 })}
          aria-current={query.category === "unanswered" ? "page" : undefined}
        >
          {t("unanswered.part_unanswered", { count: props.open.unanswered })}
        </a>{" "}
        ·{" "}
        <a
          href={unansweredHref(query, { category: "uncertain", status: "aperta", offset: 0 })}
          aria-current={query.category === "uncertain" ? "page" : undefined}
        >
          {t("unanswered.part_uncertain", { count: props.open.uncertain })}
        </a>
      </p>
      <form class="card filters" method="get" action="/senza-risposta">
        <div>
          <label for="stato">{t("unanswered.filter_status")}</label>
          <select id="stato" name="stato">
            <option value="">{t("unanswered.any")}</option>
            {groupStatuses.map((status) => (
              <option value={status} selected={query.status === status}>
                {t(`group_status.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="regione">{t("unanswered.filter_region")}</label>
          <select id="regione" name="regione">
            <option value="">{t("unanswered.any_region")}</option>
            {props.regions.map((region) => (
              <option value={region} selected={query.region === region}>
                {region}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="canale">{t("unanswered.filter_channel")}</label>
          <select id="canale" name="canale">
            <option value="">{t("unanswered.any")}</option>
            {channels.map((channel) => (
              <option value={channel} selected={query.channel === channel}>
                {t(`channel.${channel}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="tipo">{t("unanswered.filter_category")}</label>
          <select id="tipo" name="tipo">
            <option value="">{t("unanswered.any")}</option>
            <option value="senza-risposta" selected={query.category === "unanswered"}>
              {t("unanswered.category_unanswered")}
            </option>
            <option value="da-verificare" selected={query.category === "uncertain"}>
              {t("unanswered.category_uncertain")}
            </option>
          </select>
        </div>
        <div>
          <label for="dal">{t("unanswered.filter_since")}</label>
          <input type="date" id="dal" name="dal" value={query.since ?? ""} />
        </div>
        <div>
          <label for="al">{t("unanswered.filter_until")}</label>
          <input type="date" id="al" name="al" value={query.until ?? ""} />
        </div>
        <div>
          <label for="ordine">{t("unanswered.sort")}</label>
          <select id="ordine" name="ordine">
            <option value="conteggio" selected={query.sort === "count"}>
              {t("unanswered.sort_count")}
            </option>
            <option value="recenti" selected={query.sort === "recent"}>
              {t("unanswered.sort_recent")}
            </option>
          </select>
        </div>
        <div>
          <button type="submit">{t("unanswered.apply")}</button>
        </div>
      </form>
      <p class="muted">
        {t("unanswered.summary", { first, last, total: props.total })} ·{" "}
        <a
          href={unansweredHref(query, { offset: 0 }).replace(
            "/senza-risposta",
            "/senza-risposta.csv",
          )}
        >
          {t("unanswered.csv")}
        </a>
      </p>
      {props.groups.length === 0 ? (
        <p class="card">{t("unanswered.empty")}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("unanswered.col_question")}</th>
                <th class="num">{t("unanswered.col_count")}</th>
                <th>{t("unanswered.col_last")}</th>
                <th>{t("unanswered.col_where")}</th>
                <th>{t("unanswered.col_status")}</th>
              </tr>
            </thead>
            <tbody>
              {props.groups.map((group) => (
                <tr>
                  <td>
                    <a href={`/senza-risposta/${group.id}`}>{shorten(group.label, 300)}</a>
                  </td>
                  <td class="num">{String(group.count)}</td>
                  <td>{group.lastSeen ? formatDateTime(group.lastSeen) : "–"}</td>
                  <td>
                    {[...group.channels.map((c) => t(`channel.${c}`)), ...group.regions].join(
                      ", ",
                    ) || "–"}
                  </td>
                  <td>
                    <GroupStatusBadge group={group} />
                    {group.uncertain > 0 ? (
                      <>
                        {" "}
                        <span class="badge uncertain">
                          {t("unanswered.uncertain_badge", { count: group.uncertain })}
                        </span>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label={t("unanswered.pages")}>
        {query.offset > 0 ? (
          <a
            class="button secondary"
            href={unansweredHref(query, { offset: Math.max(0, query.offset - query.limit) })}
          >
            {t("unanswered.previous")}
          </a>
        ) : null}
        {last < props.total ? (
          <a
            class="button secondary"
            href={unansweredHref(query, { offset: query.offset + query.limit })}
          >
            {t("unanswered.next")}
          </a>
        ) : null}
      </nav>
    </Layout>
  );
}

export function UnansweredGroupPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  group: UnansweredGroupDetail;
}) {
  const { group, session } = props;
  const canEdit = may(session.roles, "faq.edit", props.approval);
  const canDismiss = may(session.roles, "unanswered.dismiss", props.approval);
  const canReshape =
    may(session.roles, "unanswered.regroup", props.approval) && group.status !== "risolta";
  return (
    <Layout
      title={t("unanswered.group_title")}
      section="senza-risposta"
      session={session}
      approval={props.approval}
    >
      <p>
        <a href="/senza-risposta">{t("unanswered.back")}</a>
      </p>
      <h1>{group.label}</h1>
      <div class="card">
        <p>
          <GroupStatusBadge group={group} />{" "}
          {t(group.count === 1 ? "unanswered.group_counts_one" : "unanswered.group_counts", {
            count: group.count,
            first: group.firstSeen ? formatDateTime(group.firstSeen) : "–",
            last: group.lastSeen ? formatDateTime(group.lastSeen) : "–",
          })}
        </p>
        {group.status === "risolta" && group.faqId ? (
          <p>
            {t("unanswered.resolved_by")}{" "}
            <a href={`/faq/${encodeURIComponent(group.faqId)}`}>{group.faqId}</a>
          </p>
        ) : null}
        {group.status === "scartata" && group.dismissReason ? (
          <p>
            {t("unanswered.dismissed_because")} {group.dismissReason}
          </p>
        ) : null}
        <div class="actions">
          {canEdit && group.status !== "risolta" ? (
            <a class="button" href={`/faq/nuova?gruppo=${group.id}`}>
              {t("unanswered.create_faq")}
            </a>
          ) : null}
        </div>
      </div>
      <UncertainAnswers
        group={group}
        session={session}
        canConfirm={
          may(session.roles, "suggestions.review", props.approval) && group.status !== "risolta"
        }
      />
      <h2>{t("unanswered.phrasings", { count: group.phrasings.length })}</h2>
      <form method="post" action={`/senza-risposta/${group.id}/dividi`} class="reshape">
        <CsrfField session={session} />
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                {canReshape ? <th>{t("unanswered.col_pick")}</th> : null}
                <th>{t("unanswered.col_phrasing")}</th>
                <th>{t("unanswered.col_when")}</th>
                <th>{t("unanswered.col_channel")}</th>
                <th>{t("unanswered.col_region")}</th>
                <th>{t("unanswered.col_kind")}</th>
              </tr>
            </thead>
            <tbody>
              {group.phrasings.map((item) => (
                <tr>
                  {canReshape ? (
                    <td>
                      <input
                        type="checkbox"
                        name="domande"
                        value={String(item.item)}
                        id={`domanda-${item.item}`}
                        aria-label={t("unanswered.pick", { text: shorten(item.text, 80) })}
                      />
                    </td>
                  ) : null}
                  <td>{item.text}</td>
                  <td>{formatDateTime(item.askedAt)}</td>
                  <td>{t(`channel.${item.channel}`)}</td>
                  <td>{item.region ?? "–"}</td>
                  <td>{t(`item_kind.${item.kind}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {canReshape ? (
          <div class="actions">
            <button type="submit">{t("unanswered.split")}</button>
            <label for="verso">{t("unanswered.move_to")}</label>
            <input id="verso" name="verso" inputmode="numeric" pattern="[0-9]+" size={6} />
            <button type="submit" formaction={`/senza-risposta/${group.id}/sposta`}>
              {t("unanswered.move")}
            </button>
          </div>
        ) : null}
      </form>
      {canReshape ? (
        <form class="card" method="post" action={`/senza-risposta/${group.id}/unisci`}>
          <h2>{t("unanswered.merge_title")}</h2>
          <CsrfField session={session} />
          <label for="altri">{t("unanswered.merge_label")}</label>
          <input id="altri" name="altri" required pattern="[0-9 ,]+" />
          <div class="actions">
            <button type="submit">{t("unanswered.merge")}</button>
          </div>
        </form>
      ) : null}
      {canDismiss && group.status !== "scartata" && group.status !== "risolta" ? (
        <form
          class="card"
          method="post"
          action={`/senza-risposta/${group.id}/scarta`}
          data-confirm={t("unanswered.confirm_dismiss")}
        >
          <h2>{t("unanswered.dismiss_title")}</h2>
          <CsrfField session={session} />
          <label for="motivo">{t("unanswered.dismiss_reason")}</label>
          <textarea id="motivo" name="motivo" required />
          <div class="actions">
            <button type="submit" class="danger">
              {t("unanswered.dismiss")}
            </button>
          </div>
        </form>
      ) : null}
    </Layout>
  );
}

/**
 * The group's answers given with uncertainty: what each asker was told (the FAQ offered, or the
 * sentence from the documents with its source), and the form that confirms the FAQ offered.
 */
function UncertainAnswers(props: {
  group: UnansweredGroupDetail;
  session: Session;
  canConfirm: boolean;
}) {
  const { group, session } = props;
  const uncertain = group.phrasings.filter((p) => p.kind === "uncertain" && p.given);
  if (uncertain.length === 0) return null;
  return (
    <section class="card uncertain-answers">
      <h2>{t("unanswered.uncertain_title")}</h2>
      <p class="muted">{t("unanswered.uncertain_intro")}</p>
      <form method="post" action={`/senza-risposta/${group.id}/conferma`}>
        <CsrfField session={session} />
        <ul>
          {uncertain.map((item) => {
            const given = item.given;
            if (!given) return null;
            const confidence =
              given.confidence === null
                ? null
                : t("unanswered.given_confidence", { value: given.confidence.toFixed(2) });
            return (
              <li>
                {props.canConfirm && given.faq ? (
                  <input
                    type="checkbox"
                    name="domande"
                    value={String(item.item)}
                    checked
                    aria-label={t("unanswered.pick", { text: shorten(item.text, 80) })}
                  />
                ) : null}{" "}
                <strong>{item.text}</strong>
                {given.faq ? (
                  <p>
                    {t("unanswered.given_faq")}{" "}
                    <a href={`/faq/${encodeURIComponent(given.faq.id)}`}>{given.faq.question}</a>
                    {confidence ? ` (${confidence})` : ""}
                  </p>
                ) : (
                  <p>
                    {t("unanswered.given_documents")} {given.answer ?? "–"}
                    {given.answerSource ? ` [${given.answerSource}]` : ""}
                    {confidence ? ` (${confidence})` : ""}
                  </p>
                )}
                {given.faq && given.answer ? (
                  <p class="muted">{shorten(given.answer, 400)}</p>
                ) : null}
                {given.alternatives.length > 0 ? (
                  <p>
                    {t("unanswered.given_alternatives")}{" "}
                    {given.alternatives.map((faq, i) => (
                      <>
                        {i > 0 ? "; " : ""}
                        <a href={`/faq/${encodeURIComponent(faq.id)}`}>{faq.question}</a>
                      </>
                    ))}
                  </p>
                ) : null}
                {props.canConfirm ? <OneClickConfirm item={item.item} given={given} /> : null}
                {given.helpful ? (
                  <p>
                    <span class="badge answered">{t("unanswered.given_helpful")}</span>
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
        {props.canConfirm ? (
          <div class="actions">
            {uncertain.some((item) => item.given?.faq) ? (
              <button type="submit">{t("unanswered.confirm")}</button>
            ) : null}
            <label for="faq-conferma">{t("unanswered.confirm_other")}</label>
            <input id="faq-conferma" name="faq" size={24} />
            <button type="submit" class="secondary">
              {t("unanswered.confirm_other_button")}
            </button>
          </div>
        ) : null}
      </form>
    </section>
  );
}

/**
 * One button per FAQ the asker was offered (the probable one, then those its footer named): a
 * click confirms that question alone with that FAQ, with no code to type.
 */
function OneClickConfirm(props: {
  item: number;
  given: NonNullable<UnansweredGroupDetail["phrasings"][number]["given"]>;
}) {
  const offered = [
    ...(props.given.faq ? [props.given.faq] : []),
    ...props.given.alternatives.filter((faq) => faq.id !== props.given.faq?.id),
  ];
  if (offered.length === 0) return null;
  return (
    <div class="actions one-click">
      {offered.map((faq) => (
        <button
          type="submit"
          class="secondary"
          name="conferma"
          value={`${props.item}:${faq.id}`}
          title={faq.id}
        >
          {t("unanswered.confirm_with", { question: shorten(faq.question, 80) })}
        </button>
      ))}
    </div>
  );
}
