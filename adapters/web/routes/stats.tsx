// Andamento and its CSV export.
import type { Hono } from "hono";
import { channels } from "../../../src/index.js";
import type { ConsoleDeps, ConsoleEnv } from "../context.js";
import { actorOf, type ConsoleContext, guard, page, renderError } from "../http.js";
import type { StatsReport } from "../ports.js";

type Counts = Omit<StatsReport["days"][number], "date">;

import { t } from "../text.js";
import { StatsPage, type StatsPeriod, statsPeriods, type TopicFilter } from "../views/stats.js";

function periodOf(raw: string | undefined): StatsPeriod {
  return statsPeriods.includes(raw as StatsPeriod) ? (raw as StatsPeriod) : "30";
}

/** The uncovered topics' region and channel filter; an unknown channel is no filter. */
function topicFilterOf(region: string | undefined, channel: string | undefined): TopicFilter {
  const known = channels.find((c) => c === channel);
  const named = region?.trim().slice(0, 100);
  return { ...(named ? { region: named } : {}), ...(known ? { channel: known } : {}) };
}

/** The first day of the period, as curation takes it (YYYY-MM-DD, UTC like the store's days). */
function sinceOf(period: StatsPeriod, now: Date): string | undefined {
  if (period === "tutto") return undefined;
  const since = new Date(now);
  since.setUTCDate(since.getUTCDate() - Number(period) + 1);
  return since.toISOString().slice(0, 10);
}

/** A CSV cell: quoted when needed; a leading = + - @ is defused so a spreadsheet never runs it. */
function cell(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function statsCsv(report: StatsReport): string {
  const header = [
    "sezione",
    "chiave",
    "domande",
    "con_risposta",
    "senza_risposta",
    "rifiutate",
    "tasso_risposta",
    "utili",
    "non_utili",
  ];
  const rows: (string | number)[][] = [header];
  const line = (section: string, key: string, counts: Counts) => [
    section,
    key,
    counts.questions,
    counts.answered,
    counts.declined,
    counts.refused,
    counts.answeredRate.toFixed(4),
    counts.helpful,
    counts.notHelpful,
  ];
  for (const day of report.days) rows.push(line("giorno", day.date, day));
  for (const row of report.byRegion) rows.push(line("regione", row.key, row));
  for (const row of report.byChannel) rows.push(line("canale", row.key, row));
  rows.push(line("totale", "", report.totals));
  rows.push(["segnalazioni", "", report.totals.reported, "", "", "", "", "", ""]);
  rows.push(["risposte_incerte", "", report.totals.uncertain, "", "", "", "", "", ""]);
  for (const group of report.topUnanswered) {
    rows.push(["gruppo_senza_risposta", group.label, group.count, "", "", "", "", "", ""]);
  }
  for (const group of report.topUncertain) {
    rows.push(["gruppo_da_verificare", group.label, group.count, "", "", "", "", "", ""]);
  }
  for (const topic of report.uncoveredTopics) {
    rows.push(["argomento_scoperto", topic.label, topic.questions, "", "", "", "", "", ""]);
  }
  return `${rows.map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}

export function statsRoutes(
  app: Hono<ConsoleEnv>,
  deps: ConsoleDeps,
  now: () => Date = () => new Date(),
): void {
  const report = (
    c: ConsoleContext,
  ): { report: StatsReport; period: StatsPeriod; filter: TopicFilter } | Response => {
    if (!deps.curation) return renderError(c, deps, 503, t("error.unavailable"));
    const period = periodOf(c.req.query("periodo"));
    const since = sinceOf(period, now());
    const filter = topicFilterOf(c.req.query("regione"), c.req.query("canale"));
    return {
      report: deps.curation.stats({ ...(since ? { since } : {}), ...filter }),
      period,
      filter,
    };
  };

  app.get("/andamento", guard(deps, "stats.view"), (c) => {
    const result = report(c);
    if (result instanceof Response) return result;
    return page(
      c,
      <StatsPage
        session={actorOf(c).session}
        approval={deps.approval}
        report={result.report}
        today={now().toISOString().slice(0, 10)}
        period={result.period}
        filter={result.filter}
      />,
    );
  });

  app.get("/andamento.csv", guard(deps, "stats.view"), (c) => {
    const result = report(c);
    if (result instanceof Response) return result;
    const day = now().toISOString().slice(0, 10);
    return c.body(statsCsv(result.report), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="sportello-andamento-${day}.csv"`,
    });
  });
}
