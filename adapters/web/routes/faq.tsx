// FAQ: list and search, editor (new, from a group, edit), approve, publish, retire, history.
import type { Hono } from "hono";
import * as z from "zod";
import { stepsOffered } from "../../../src/index.js";
import type { ConsoleDeps, ConsoleEnv } from "../context.js";
import { diffLines } from "../diff.js";
import {
  actorOf,
  attempt,
  type ConsoleContext,
  faultMessage,
  field,
  guard,
  page,
  redirectWithFlash,
  renderError,
} from "../http.js";
import { type ConsoleCuration, type FaqInput, faqStates } from "../ports.js";
import { t } from "../text.js";
import {
  FaqEditorPage,
  type FaqFormValues,
  FaqHistoryPage,
  FaqListPage,
  FaqPage,
  faqAsText,
} from "../views/faq.js";

const faqIdPattern = /^[a-z0-9][a-z0-9-]*$/;
const maxReasonLength = 2000;
const listQuerySchema = z.object({
  q: z.string().max(500).optional().catch(undefined),
  stato: z.enum(faqStates).optional().catch(undefined),
});

type Form = Record<string, string | string[]>;

function all(form: Form, name: string): string[] {
  const value = form[name];
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** The editor's fields as FAQ values, or the Italian reason they cannot be. */
function readFaqForm(
  form: Form,
  defaultReason: string,
  passageSource: (id: string) => FaqFormValues["sources"][number] | undefined = () => undefined,
): { values: FaqFormValues; error?: string } {
  const documents = all(form, "fonte_documento");
  const sections = all(form, "fonte_sezione");
  const pages = all(form, "fonte_pagina");
  const sources: FaqFormValues["sources"] = [];
  let error: string | undefined;
  documents.forEach((document, i) => {
    const doc = document.trim();
    if (!doc) return;
    const section = (sections[i] ?? "").trim();
    const pageText = (pages[i] ?? "").trim();
    const pageNumber = pageText ? Number(pageText) : undefined;
    if (pageNumber !== undefined && (!Number.isInteger(pageNumber) || pageNumber < 1)) {
      error = t("faq.bad_page", { page: pageText });
    }
    sources.push({
      document: doc,
      ...(section ? { section } : {}),
      ...(pageNumber !== undefined && Number.isInteger(pageNumber) && pageNumber > 0
        ? { page: pageNumber }
        : {}),
    });
  });
  // Passages picked in the editor become sources pointing at them (document, section, page).
  for (const id of all(form, "fonte_passaggio")) {
    const source = passageSource(id);
    if (
      source &&
      !sources.some(
        (s) =>
          s.document === source.document && s.section === source.section && s.page === source.page,
      )
    ) {
      sources.push(source);
    }
  }
  const group = Number(field(form, "gruppo"));
  const values: FaqFormValues = {
    id: field(form, "id"),
    question: field(form, "domanda"),
    alternatives: field(form, "alternative")
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
    answer: field(form, "risposta").replace(/\r\n/g, "\n"),
    sources,
    tags: field(form, "tag")
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
    region: field(form, "regione") || null,
    reviewed: null,
    reason: field(form, "motivo") || defaultReason,
    groupId: Number.isInteger(group) && group > 0 ? group : null,
  };
  if (!values.question) error ??= t("faq.question_required");
  if (
    values.id &&
    (!faqIdPattern.test(values.id) || values.id.length > 80 || values.id === "nuova")
  ) {
    error ??= t("faq.bad_id");
  }
  if (values.reason.length > maxReasonLength)
    error ??= t("faq.reason_too_long", { max: maxReasonLength });
  return { values, error };
}

function toInput(values: FaqFormValues): FaqInput {
  return {
    question: values.question,
    alternatives: values.alternatives,
    answer: values.answer,
    sources: values.sources,
    tags: values.tags,
    region: values.region,
  };
}

function regionsOf(deps: ConsoleDeps): string[] {
  const regions = new Set<string>();
  for (const document of deps.sportello.documents())
    if (document.region) regions.add(document.region);
  return [...regions].sort((a, b) => a.localeCompare(b, "it"));
}

function basedOn(form: Form): number {
  const n = Number(field(form, "versione"));
  return Number.isInteger(n) && n >= 0 ? n : -1;
}

export function faqRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const curationOf = (c: ConsoleContext): ConsoleCuration | Response =>
    deps.curation ?? renderError(c, deps, 503, t("error.unavailable"));

  const passageSource = (id: string): FaqFormValues["sources"][number] | undefined => {
    const hit = deps.sportello.passage(id);
    if (!hit) return undefined;
    const section = hit.passage.breadcrumb.at(-1);
    const pageNumber = hit.passage.location.pageStart;
    return {
      document: hit.document.id,
      ...(section ? { section } : {}),
      ...(pageNumber !== undefined ? { page: pageNumber } : {}),
    };
  };

  const editor = (
    c: ConsoleContext,
    values: FaqFormValues,
    existing: Parameters<typeof FaqEditorPage>[0]["existing"],
    error?: string,
    proposal?: Parameters<typeof FaqEditorPage>[0]["proposal"],
  ) =>
    page(
      c,
      <FaqEditorPage
        session={actorOf(c).session}
        approval={deps.approval}
        existing={existing}
        values={values}
        documents={deps.sportello.documents()}
        regions={regionsOf(deps)}
        error={error}
        proposal={proposal}
      />,
      error ? 400 : 200,
    );

  app.get("/faq", guard(deps, "faq.view"), (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const query = listQuerySchema.parse(c.req.query());
    const search = (query.q ?? "").trim();
    const faqs = curation.listFaqs({ search: search || undefined, status: query.stato });
    return page(
      c,
      <FaqListPage
        session={actorOf(c).session}
        approval={deps.approval}
        faqs={faqs}
        search={search}
        state={query.stato}
      />,
    );
  });

  app.get("/faq/nuova", guard(deps, "faq.draft"), (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const values: FaqFormValues = {
      id: "",
      question: "",
      alternatives: [],
      answer: "",
      sources: [],
      tags: [],
      region: null,
      reviewed: null,
      reason: "",
      groupId: null,
    };
    const groupId = Number(c.req.query("gruppo"));
    if (Number.isInteger(groupId) && groupId > 0) {
      const found = curation.unansweredGroup(groupId);
      if (!found) return renderError(c, deps, 404, t("error.not_found"));
      // The group's phrasings become the alternative questions, its label the question.
      const phrasings = [
        ...new Set(found.phrasings.map((item) => item.text.trim()).filter(Boolean)),
      ];
      values.question = found.label;
      values.alternatives = phrasings.filter((text) => text !== found.label);
      values.region = found.regions.length === 1 ? (found.regions[0] ?? null) : null;
      values.groupId = groupId;
      values.reason = t("faq.reason_from_group", { id: groupId });
    }
    // A draft answer from the best passages, with them offered (ticked) as sources.
    const proposal = curation.proposeAnswer(values.question);
    if (!values.answer) values.answer = proposal.answer;
    return editor(c, values, null, undefined, proposal);
  });

  app.post("/faq", guard(deps, "faq.draft"), async (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const { actor, user } = actorOf(c);
    const { values, error } = readFaqForm(c.get("form"), t("faq.reason_new"), passageSource);
    if (error) return editor(c, values, null, error);
    try {
      const created = curation.draftFaq(
        {
          ...toInput(values),
          ...(values.id ? { id: values.id } : {}),
          ...(values.groupId !== null ? { groupId: values.groupId } : {}),
          reason: values.reason,
        },
        actor,
      );
      deps.logger.info("console.faq_drafted", { user, faq: created.id });
      return redirectWithFlash(c, `/faq/${encodeURIComponent(created.id)}`, "ok", t("faq.drafted"));
    } catch (failure) {
      const message = faultMessage(failure);
      if (message === undefined) throw failure;
      return editor(c, values, null, message);
    }
  });

  app.get("/faq/:id", guard(deps, "faq.view"), (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const faq = curation.faq(c.req.param("id"));
    if (!faq) return renderError(c, deps, 404, t("error.not_found"));
    const { session } = actorOf(c);
    const candidates = stepsOffered(faq.status, session.roles, deps.approval).includes("publish")
      ? curation.publishCandidates(faq.id)
      : undefined;
    return page(
      c,
      <FaqPage
        session={session}
        approval={deps.approval}
        faq={faq}
        documents={deps.sportello.documents()}
        candidates={candidates}
      />,
    );
  });

  app.get("/faq/:id/modifica", guard(deps, "faq.edit"), (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const faq = curation.faq(c.req.param("id"));
    if (!faq) return renderError(c, deps, 404, t("error.not_found"));
    return editor(
      c,
      { ...faq, reviewed: faq.reviewed || null, reason: "", groupId: faq.groupId },
      faq,
    );
  });

  app.post("/faq/:id", guard(deps, "faq.edit"), async (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const { actor, user } = actorOf(c);
    const id = c.req.param("id");
    const existing = curation.faq(id);
    if (!existing) return renderError(c, deps, 404, t("error.not_found"));
    const form = c.get("form");
    const { values, error } = readFaqForm(form, t("faq.reason_edit"), passageSource);
    if (error) return editor(c, values, existing, error);
    try {
      // Saved only on top of the version the person edited: checked where it is written.
      curation.editFaq(id, toInput(values), values.reason, actor, basedOn(form));
    } catch (failure) {
      const message = faultMessage(failure);
      if (message === undefined) throw failure;
      return editor(c, values, existing, message);
    }
    deps.logger.info("console.faq_edited", { user, faq: id });
    return redirectWithFlash(c, `/faq/${encodeURIComponent(id)}`, "ok", t("faq.saved"));
  });

  const transition = (
    path: "approva" | "pubblica" | "ritira",
    action: "faq.approve" | "faq.publish" | "faq.retire",
  ) => {
    app.post(`/faq/:id/${path}`, guard(deps, action), async (c) => {
      const curation = curationOf(c);
      if (curation instanceof Response) return curation;
      const { actor, user } = actorOf(c);
      const id = c.req.param("id");
      const back = `/faq/${encodeURIComponent(id)}`;
      const form = c.get("form");
      const version = basedOn(form);
      const reason = field(form, "motivo");
      if (path === "ritira" && !reason)
        return redirectWithFlash(c, back, "error", t("faq.reason_required"));
      if (reason.length > maxReasonLength) {
        return redirectWithFlash(
          c,
          back,
          "error",
          t("faq.reason_too_long", { max: maxReasonLength }),
        );
      }
      if (!curation.faq(id)) return renderError(c, deps, 404, t("error.not_found"));
      // Act only on the version the person was looking at: the core checks it in the
      // transaction that writes the step, so nobody can slip a change in between.
      const failed = await attempt(c, back, () => {
        if (path === "approva") return curation.approveFaq(id, actor, undefined, version);
        if (path === "pubblica") {
          // The form lists the queued questions; only the ticked ones are resolved.
          const listed = field(form, "conferma") === "1";
          const ticked = [form.risolve ?? []]
            .flat()
            .filter((v) => /^\d{1,12}$/.test(v))
            .map(Number);
          return curation.publishFaq(id, actor, undefined, listed ? ticked : undefined, version);
        }
        return curation.retireFaq(id, reason, actor, version);
      });
      if (failed) return failed;
      deps.logger.info(`console.faq_${path}`, { user, faq: id });
      return redirectWithFlash(c, back, "ok", t(`faq.done_${path}`));
    });
  };
  transition("approva", "faq.approve");
  transition("pubblica", "faq.publish");
  transition("ritira", "faq.retire");

  app.get("/faq/:id/versioni", guard(deps, "faq.view"), (c) => {
    const curation = curationOf(c);
    if (curation instanceof Response) return curation;
    const id = c.req.param("id");
    const versions = curation.faqHistory(id);
    const latest = versions.at(-1);
    if (!latest) return renderError(c, deps, 404, t("error.not_found"));
    const pick = (raw: string | undefined, fallback: number) => {
      const n = Number(raw);
      return versions.some((v) => v.version === n) ? n : fallback;
    };
    const to = pick(c.req.query("a"), latest.version);
    // By default, the last version whose text differs: approval and publication copy the text.
    const textOf = (v: (typeof versions)[number]) => faqAsText({ ...v.faq, reviewed: null });
    const target = versions.find((v) => v.version === to);
    const targetText = target ? textOf(target) : "";
    const lastDifferent = [...versions]
      .reverse()
      .find((v) => v.version < to && textOf(v) !== targetText);
    const from = pick(c.req.query("da"), lastDifferent?.version ?? Math.max(1, to - 1));
    const before = versions.find((v) => v.version === from) ?? latest;
    const after = versions.find((v) => v.version === to) ?? latest;
    const diff = diffLines(textOf(before), textOf(after));
    return page(
      c,
      <FaqHistoryPage
        session={actorOf(c).session}
        approval={deps.approval}
        faqId={id}
        versions={versions}
        from={from}
        to={to}
        diff={diff}
      />,
    );
  });
}
