// Andamento and its CSV export.
import type { Hono } from "hono";
import type { ConsoleDeps, ConsoleEnv } from "../context.js";
import { actorOf, type ConsoleContext, guard, page, renderError } from "../http.js";
import type { StatsReport } from "../ports.js";
import { t } from "../text.js";
import { StatsPage, type StatsPeriod, statsPeriods } from "../views/stats.js";

function periodOf(raw: string | undefined): StatsPeriod {
  return statsPeriods.includes(raw as StatsPeriod) ? (raw as StatsPeriod) : "30";
}

function sinceOf(period: StatsPeriod, now: Date): Date | undefined {
  if (period === "tutto") return undefined;
  const since = new Date(now);
  since.setUTCHours(0, 0, 0, 0);
  since.setUTCDate(since.getUTCDate() - Number(period) + 1);
  return since;
}

/** A CSV cell: quoted when needed; a leading = + - @ is defused so a spreadsheet never runs it. */
function cell(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function statsCsv(report: StatsReport): string {
  const rows: (string | number)[][] = [
    [
      "sezione",
      "chiave",
      "domande",
      "con_risposta",
      "senza_risposta",
      "rifiutate",
      "tasso_risposta",
    ],
  ];
  const rate = (r: number) => r.toFixed(4);
  for (const day of report.perDay) {
    rows.push([
      "giorno",
      day.day,
      day.questions,
      day.answered,
      day.declined,
      day.refused,
      rate(day.answeredRate),
    ]);
  }
  for (const row of report.perRegion) {
    rows.push([
      "regione",
      row.region ?? "",
      row.questions,
      row.answered,
      row.declined,
      row.refused,
      rate(row.answeredRate),
    ]);
  }
  for (const row of report.perChannel) {
    rows.push([
      "canale",
      row.channel,
      row.questions,
      row.answered,
      row.declined,
      row.refused,
      rate(row.answeredRate),
    ]);
  }
  const { totals } = report;
  rows.push([
    "totale",
    "",
    totals.questions,
    totals.answered,
    totals.declined,
    totals.refused,
    rate(totals.answeredRate),
  ]);
  rows.push(["giudizi", "utile", totals.feedback.utile, "", "", "", ""]);
  rows.push(["giudizi", "non_utile", totals.feedback.non_utile, "", "", "", ""]);
  rows.push(["giudizi", "segnala", totals.feedback.segnala, "", "", "", ""]);
  for (const group of report.topUnanswered) {
    rows.push(["senza_risposta", group.label, group.count, "", "", "", ""]);
  }
  return `${rows.map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}

export function statsRoutes(
  app: Hono<ConsoleEnv>,
  deps: ConsoleDeps,
  now: () => Date = () => new Date(),
): void {
  const report = (c: ConsoleContext): { report: StatsReport; period: StatsPeriod } | Response => {
    if (!deps.curation) return renderError(c, deps, 503, t("error.unavailable"));
    const period = periodOf(c.req.query("periodo"));
    const since = sinceOf(period, now());
    return { report: deps.curation.stats(since ? { since } : {}), period };
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
        period={result.period}
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
