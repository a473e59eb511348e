// Domande senza risposta: list with filters (answers to verify among them), a group's page,
// dismissal with a reason, confirmation of the FAQ offered to an answer to verify.
import type { Hono } from "hono";
import * as z from "zod";
import { channels } from "../../../src/index.js";
import type { ConsoleDeps, ConsoleEnv } from "../context.js";
import {
  actorOf,
  attempt,
  type ConsoleContext,
  field,
  guard,
  page,
  redirectWithFlash,
  renderError,
} from "../http.js";
import { type ConsoleCuration, groupStatuses, type ListQuery } from "../ports.js";
import { t } from "../text.js";
import { UnansweredGroupPage, UnansweredListPage } from "../views/unanswered.js";

export const pageSize = 50;
const maxReasonLength = 2000;

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
// Query strings are a boundary: anything unexpected is ignored rather than trusted.
const listQuerySchema = z.object({
  stato: z.enum(groupStatuses).optional().catch(undefined),
  regione: z.string().min(1).max(100).optional().catch(undefined),
  canale: z.enum(channels).optional().catch(undefined),
  tipo: z.enum(["senza-risposta", "da-verificare"]).optional().catch(undefined),
  dal: isoDay.optional().catch(undefined),
  al: isoDay.optional().catch(undefined),
  ordine: z.enum(["conteggio", "recenti"]).optional().catch(undefined),
  da: z.coerce.number().int().min(0).max(10_000_000).optional().catch(undefined),
});

export function parseUnansweredQuery(raw: Record<string, string>): ListQuery {
  const q = listQuerySchema.parse(raw);
  return {
    status: q.stato,
    region: q.regione,
    channel: q.canale,
    category:
      q.tipo === "da-verificare"
        ? "uncertain"
        : q.tipo === "senza-risposta"
          ? "unanswered"
          : undefined,
    since: q.dal,
    until: q.al,
    sort: q.ordine === "recenti" ? "recent" : "count",
    limit: pageSize,
    offset: q.da ?? 0,
  };
}

export function unansweredRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const curationOf = (c: ConsoleContext): ConsoleCuration | Response =>
    deps.curation ?? renderError(c, deps, 503, t("error.unavailable"));

  app.get("/senza-risposta", guard(deps, "unanswered.view"), (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const { session } = actorOf(c);
    const query = parseUnansweredQuery(c.req.query());
    const { total, groups } = curation.listUnanswered(query);
    return page(
      c,
      <UnansweredListPage
        session={session}
        approval={deps.approval}
        query={query}
        total={total}
        groups={groups}
        regions={curation.unansweredRegions()}
        open={curation.unansweredOpenCounts()}
      />,
    );
  });

  app.get("/senza-risposta.csv", guard(deps, "unanswered.view"), (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const { limit: _limit, offset: _offset, ...query } = parseUnansweredQuery(c.req.query());
    return c.body(curation.unansweredCsv(query), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="sportello-domande-senza-risposta.csv"',
    });
  });

  app.get("/senza-risposta/:id{[0-9]+}", guard(deps, "unanswered.view"), (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const { session } = actorOf(c);
    const found = curation.unansweredGroup(Number(c.req.param("id")));
    if (!found) return renderError(c, deps, 404, t("error.not_found"));
    return page(
      c,
      <UnansweredGroupPage session={session} approval={deps.approval} group={found} />,
    );
  });

  app.post("/senza-risposta/:id{[0-9]+}/scarta", guard(deps, "unanswered.dismiss"), async (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const { actor, user } = actorOf(c);
    const id = Number(c.req.param("id"));
    const back = `/senza-risposta/${id}`;
    const reason = field(c.get("form"), "motivo");
    if (!reason) return redirectWithFlash(c, back, "error", t("unanswered.reason_required"));
    if (reason.length > maxReasonLength) {
      return redirectWithFlash(
        c,
        back,
        "error",
        t("unanswered.reason_too_long", { max: maxReasonLength }),
      );
    }
    const failed = await attempt(c, back, () => curation.dismissGroup(id, reason, actor));
    if (failed) return failed;
    deps.logger.info("console.group_dismissed", { user, group: id });
    return redirectWithFlash(c, back, "ok", t("unanswered.dismissed"));
  });

  const numbers = (value: string | string[] | undefined): number[] =>
    (Array.isArray(value) ? value : [value ?? ""])
      .flatMap((v) => v.split(/[\s,]+/))
      .filter((v) => /^\d{1,12}$/.test(v))
      .map(Number);

  // Confirming is accepting a phrasing for a published FAQ: the suggestions' permission.
  app.post("/senza-risposta/:id{[0-9]+}/conferma", guard(deps, "suggestions.review"), async (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const { actor, user } = actorOf(c);
    const id = Number(c.req.param("id"));
    const back = `/senza-risposta/${id}`;
    const form = c.get("form");
    // A one-click button names its question and FAQ ("12:faq-id"); the checkboxes and the code
    // typed then play no part.
    const oneClick = /^(\d{1,12}):(.{1,200})$/.exec(field(form, "conferma"));
    const picked = oneClick ? [Number(oneClick[1])] : numbers(form.domande);
    const other = oneClick ? oneClick[2] : field(form, "faq");
    let count = 0;
    const failed = await attempt(c, back, () => {
      count = curation.confirmUncertain(id, actor, {
        ...(picked.length > 0 ? { items: picked } : {}),
        ...(other ? { faqId: other } : {}),
      }).questions;
    });
    if (failed) return failed;
    deps.logger.info("console.uncertain_confirmed", { user, group: id, questions: count });
    return redirectWithFlash(c, back, "ok", t("unanswered.confirmed", { count }));
  });

  app.post("/senza-risposta/:id{[0-9]+}/dividi", guard(deps, "unanswered.regroup"), async (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const { actor } = actorOf(c);
    const id = Number(c.req.param("id"));
    const back = `/senza-risposta/${id}`;
    const picked = numbers(c.get("form").domande);
    if (picked.length === 0) return redirectWithFlash(c, back, "error", t("unanswered.pick_none"));
    let created = 0;
    const failed = await attempt(c, back, () => {
      created = curation.splitGroup(id, picked, actor);
    });
    if (failed) return failed;
    return redirectWithFlash(
      c,
      `/senza-risposta/${created}`,
      "ok",
      t("unanswered.split_done", { id: created }),
    );
  });

  app.post("/senza-risposta/:id{[0-9]+}/sposta", guard(deps, "unanswered.regroup"), async (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const { actor } = actorOf(c);
    const id = Number(c.req.param("id"));
    const back = `/senza-risposta/${id}`;
    const form = c.get("form");
    const picked = numbers(form.domande);
    const target = numbers(field(form, "verso"))[0];
    if (picked.length === 0) return redirectWithFlash(c, back, "error", t("unanswered.pick_none"));
    if (target === undefined) return redirectWithFlash(c, back, "error", t("unanswered.bad_group"));
    const failed = await attempt(c, back, () => {
      for (const item of picked) curation.moveQuestion(item, target, actor);
    });
    if (failed) return failed;
    return redirectWithFlash(
      c,
      `/senza-risposta/${target}`,
      "ok",
      t("unanswered.moved", { id: target }),
    );
  });

  app.post("/senza-risposta/:id{[0-9]+}/unisci", guard(deps, "unanswered.regroup"), async (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const { actor } = actorOf(c);
    const id = Number(c.req.param("id"));
    const back = `/senza-risposta/${id}`;
    const others = numbers(field(c.get("form"), "altri"));
    if (others.length === 0) return redirectWithFlash(c, back, "error", t("unanswered.bad_group"));
    let count = 0;
    const failed = await attempt(c, back, () => {
      count = curation.mergeGroups(id, others, actor).count;
    });
    if (failed) return failed;
    return redirectWithFlash(c, back, "ok", t("unanswered.merged", { count }));
  });
}
