// Andamento: the figures coordinators follow, as numbers and as server-drawn charts.

import { type ApprovalPolicy, channels, formatDay, formatPercent } from "../../../src/index.js";
import type { Session } from "../auth/sessions.js";
import type { StatsReport } from "../ports.js";
import { t, type WebKey } from "../text.js";
import { DailyBars, HorizontalBars } from "./charts.js";
import { shorten } from "./format.js";
import { Layout } from "./layout.js";

export const statsPeriods = ["7", "30", "90", "365", "tutto"] as const;
export type StatsPeriod = (typeof statsPeriods)[number];

/** Which questions the uncovered topics count: one region and/or one channel, or all. */
export interface TopicFilter {
  region?: string;
  channel?: string;
}

interface BreakdownRow {
  key: string;
  questions: number;
  answered: number;
  answeredRate: number;
  helpful: number;
  notHelpful: number;
  declined: number;
  answeredHelpful: number;
  answeredNotHelpful: number;
}

function channelLabel(key: string): string {
  const channel = channels.find((c) => c === key);
  return channel ? t(`channel.${channel}`) : key;
}

type Day = StatsReport["days"][number];

/**
 * The days of the period, those without questions included, so that a quiet week shows as gaps
 * and one busy day is not drawn as a wall. From the report's start (or its first day) to today.
 */
export function everyDay(days: Day[], today: string, since?: string | null): Day[] {
  const first = since?.slice(0, 10) ?? days[0]?.date;
  if (!first) return days;
  const byDate = new Map(days.map((day) => [day.date, day]));
  const out: Day[] = [];
  const cursor = new Date(`${first}T00:00:00Z`);
  const end = new Date(`${today}T00:00:00Z`);
  // A hard stop keeps a malformed date from looping for ever.
  for (let i = 0; cursor <= end && i < 4000; i++) {
    const date = cursor.toISOString().slice(0, 10);
    out.push(
      byDate.get(date) ?? {
        date,
        questions: 0,
        answered: 0,
        declined: 0,
        refused: 0,
        helpful: 0,
        notHelpful: 0,
        answeredRate: 0,
        answeredHelpful: 0,
        answeredNotHelpful: 0,
        fromFaq: 0,
        uncertain: 0,
      },
    );
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return out;
}

export function helpfulRate(row: { helpful: number; notHelpful: number }): number | null {
  const rated = row.helpful + row.notHelpful;
  return rated === 0 ? null : row.helpful / rated;
}

function BreakdownTable(props: { rows: BreakdownRow[]; keyLabel: string }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>{props.keyLabel}</th>
            <th class="num">{t("stats.col_questions")}</th>
            <th class="num">{t("stats.col_answered")}</th>
            <th class="num">{t("stats.col_rate")}</th>
            <th class="num">{t("stats.col_helpful")}</th>
            <th class="num">{t("stats.col_answered_helpful")}</th>
            <th class="num">{t("stats.col_answered_not_helpful")}</th>
            <th class="num">{t("stats.col_declined")}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              <td>{row.key}</td>
              <td class="num">{String(row.questions)}</td>
              <td class="num">{String(row.answered)}</td>
              <td class="num">{formatPercent(row.answeredRate)}</td>
              <td class="num">{formatPercent(helpfulRate(row))}</td>
              <td class="num">{String(row.answeredHelpful)}</td>
              <td class="num">{String(row.answeredNotHelpful)}</td>
              <td class="num">{String(row.declined)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function StatsPage(props: {
  session: Session;
  approval: ApprovalPolicy;
  report: StatsReport;
  period: StatsPeriod;
  /** YYYY-MM-DD: the chart runs up to it. */
  today: string;
  filter?: TopicFilter;
}) {
  const { report, period } = props;
  const filter = props.filter ?? {};
  const { totals } = report;
  const regions = report.byRegion;
  const byChannel = report.byChannel.map((row) => ({ ...row, key: channelLabel(row.key) }));
  const csvQuery = new URLSearchParams({
    ...(period === "30" ? {} : { periodo: period }),
    ...(filter.region ? { regione: filter.region } : {}),
    ...(filter.channel ? { canale: filter.channel } : {}),
  }).toString();
  const csvHref = csvQuery ? `/andamento.csv?${csvQuery}` : "/andamento.csv";
  const regionChoices =
    filter.region && !report.regions.includes(filter.region)
      ? [filter.region, ...report.regions]
      : report.regions;
  return (
    <Layout
      title={t("stats.title")}
      section="andamento"
      session={props.session}
      approval={props.approval}
    >
      <h1>{t("stats.title")}</h1>
      <form class="card filters" method="get" action="/andamento">
        <div>
          <label for="periodo">{t("stats.period")}</label>
          <select id="periodo" name="periodo">
            {statsPeriods.map((value) => (
              <option value={value} selected={value === period}>
                {t(`stats.period_${value}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="regione">{t("stats.topics_region")}</label>
          <select id="regione" name="regione">
            <option value="">{t("stats.topics_all_regions")}</option>
            {regionChoices.map((region) => (
              <option value={region} selected={region === filter.region}>
                {region}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="canale">{t("stats.topics_channel")}</label>
          <select id="canale" name="canale">
            <option value="">{t("stats.topics_all_channels")}</option>
            {channels.map((channel) => (
              <option value={channel} selected={channel === filter.channel}>
                {t(`channel.${channel}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit">{t("stats.apply")}</button>
        </div>
        <div>
          <a class="button secondary" href={csvHref}>
            {t("stats.csv")}
          </a>
        </div>
      </form>
      <div class="kpis">
        <div class="kpi">
          <div class="muted">{t("stats.kpi_questions")}</div>
          <div class="value">{String(totals.questions)}</div>
        </div>
        <div class="kpi">
          <div class="muted">{t("stats.kpi_answered")}</div>
          <div class="value">
            {formatPercent(totals.questions === 0 ? null : totals.answeredRate)}
          </div>
        </div>
        <div class="kpi">
          <div class="muted">{t("stats.kpi_helpful")}</div>
          <div class="value">{formatPercent(totals.helpfulRate)}</div>
          <div class="muted">
            {t("stats.feedback_counts", {
              utile: totals.helpful,
              non_utile: totals.notHelpful,
              segnala: totals.reported,
            })}
          </div>
        </div>
        <div class="kpi">
          <div class="muted">{t("stats.kpi_refused")}</div>
          <div class="value">{String(totals.refused)}</div>
        </div>
        <div class="kpi">
          <div class="muted">{t("stats.kpi_uncertain")}</div>
          <div class="value">{String(totals.uncertain)}</div>
          <div class="muted">{t("stats.kpi_uncertain_help")}</div>
        </div>
      </div>
      <section class="card">
        <h2>{t("stats.outcomes")}</h2>
        <p class="muted">{t("stats.outcomes_help")}</p>
        <HorizontalBars
          label={t("stats.outcomes")}
          rows={(
            [
              ["stats.outcome_helpful", totals.answeredHelpful],
              ["stats.outcome_not_helpful", totals.answeredNotHelpful],
              [
                "stats.outcome_unrated",
                totals.answered - totals.answeredHelpful - totals.answeredNotHelpful,
              ],
              ["stats.outcome_declined", totals.declined],
            ] satisfies Array<[WebKey, number]>
          ).map(([key, value]) => ({
            label: t(key),
            value: Number(value),
            shown: `${String(value)} (${formatPercent(
              totals.answered + totals.declined === 0
                ? null
                : Number(value) / (totals.answered + totals.declined),
            )})`,
          }))}
        />
      </section>
      <section class="card">
        <h2>{t("stats.deflection")}</h2>
        {report.days.length === 0 ? (
          <p class="muted">{t("stats.nothing")}</p>
        ) : (
          <>
            <DailyBars
              label={t("stats.deflection_label")}
              days={everyDay(report.days, props.today, report.since).map((day) => ({
                label: formatDay(day.date),
                answered: day.fromFaq,
                other: day.questions - day.fromFaq,
              }))}
            />
            <p class="muted">
              {t("stats.deflection_total", {
                faq: totals.fromFaq,
                share: formatPercent(
                  totals.questions === 0 ? null : totals.fromFaq / totals.questions,
                ),
              })}
            </p>
          </>
        )}
        {report.byFaq.length > 0 ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("stats.col_faq")}</th>
                  <th class="num">{t("stats.col_faq_answered")}</th>
                  <th class="num">{t("stats.col_answered_helpful")}</th>
                  <th class="num">{t("stats.col_answered_not_helpful")}</th>
                  <th>{t("stats.col_faq_period")}</th>
                </tr>
              </thead>
              <tbody>
                {report.byFaq.map((row) => (
                  <tr>
                    <td>
                      <a href={`/faq/${encodeURIComponent(row.faqId)}`}>{row.faqId}</a>
                    </td>
                    <td class="num">{String(row.answered)}</td>
                    <td class="num">{String(row.helpful)}</td>
                    <td class="num">{String(row.notHelpful)}</td>
                    <td>
                      {formatDay(row.firstDay)} – {formatDay(row.lastDay)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <section class="card">
        <h2>{t("stats.per_day")}</h2>
        {report.days.length === 0 ? (
          <p class="muted">{t("stats.nothing")}</p>
        ) : (
          <>
            <DailyBars
              label={t("stats.per_day_label")}
              days={everyDay(report.days, props.today, report.since).map((day) => ({
                label: formatDay(day.date),
                answered: day.answered,
                other: day.questions - day.answered,
              }))}
            />
            <p class="muted">{t("stats.per_day_legend")}</p>
          </>
        )}
      </section>
      <div class="grid2">
        <section class="card">
          <h2>{t("stats.per_region")}</h2>
          <HorizontalBars
            label={t("stats.per_region_label")}
            max={1}
            width={420}
            rows={regions.map((row) => ({
              label: row.key,
              value: row.answeredRate,
              shown: formatPercent(row.answeredRate),
            }))}
          />
          <BreakdownTable rows={regions} keyLabel={t("stats.col_region")} />
        </section>
        <section class="card">
          <h2>{t("stats.per_channel")}</h2>
          <HorizontalBars
            label={t("stats.per_channel_label")}
            max={1}
            width={420}
            rows={byChannel.map((row) => ({
              label: row.key,
              value: row.answeredRate,
              shown: formatPercent(row.answeredRate),
            }))}
          />
          <BreakdownTable rows={byChannel} keyLabel={t("stats.col_channel")} />
        </section>
      </div>
      <section class="card" id="argomenti">
        <h2>{t("stats.uncovered_topics")}</h2>
        <p class="muted">
          {t("stats.uncovered_topics_help", {
            region: filter.region ?? t("stats.topics_all_regions"),
            channel: filter.channel ? channelLabel(filter.channel) : t("stats.topics_all_channels"),
          })}
        </p>
        {report.uncoveredTopics.length === 0 ? (
          <p class="muted">{t("stats.no_uncovered_topics")}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("stats.col_topic")}</th>
                  <th class="num">{t("stats.col_questions")}</th>
                  <th class="num">{t("stats.col_askers")}</th>
                  <th>{t("stats.col_topic_example")}</th>
                </tr>
              </thead>
              <tbody>
                {report.uncoveredTopics.map((topic) => (
                  <tr>
                    <td>{topic.label}</td>
                    <td class="num">{String(topic.questions)}</td>
                    <td class="num">{String(topic.askers)}</td>
                    <td>{topic.example ? shorten(topic.example, 160) : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card">
        <h2>{t("stats.top_unanswered")}</h2>
        {report.topUnanswered.length === 0 ? (
          <p class="muted">{t("stats.no_open_groups")}</p>
        ) : (
          <>
            <HorizontalBars
              label={t("stats.top_unanswered")}
              rows={report.topUnanswered.map((group) => ({
                label: group.label,
                value: group.count,
                shown: String(group.count),
              }))}
            />
            <ol>
              {report.topUnanswered.map((group) => (
                <li>
                  <a href={`/senza-risposta/${group.id}`}>{shorten(group.label, 200)}</a> (
                  {String(group.count)})
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
      <section class="card">
        <h2>{t("stats.top_uncertain")}</h2>
        {report.topUncertain.length === 0 ? (
          <p class="muted">{t("stats.no_uncertain_groups")}</p>
        ) : (
          <ol>
            {report.topUncertain.map((group) => (
              <li>
                <a href={`/senza-risposta/${group.id}`}>{shorten(group.label, 200)}</a> (
                {String(group.count)})
              </li>
            ))}
          </ol>
        )}
      </section>
    </Layout>
  );
}
