// Documenti: list, one document's passages, re-ingestion with progress.
import type { Hono } from "hono";
import { may } from "../auth/permissions.js";
import type { ConsoleDeps, ConsoleEnv } from "../context.js";
import { actorOf, guard, page, redirectWithFlash, renderError } from "../http.js";
import { t } from "../text.js";
import { DocumentListPage, DocumentPage } from "../views/documents.js";

export function documentRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const documentsList = () => deps.documents?.list() ?? deps.sportello.documents();

  app.get("/documenti", guard(deps, "documents.view"), (c) => {
    const documents = documentsList().map((meta) => ({
      meta,
      passages: deps.documents ? deps.documents.passages(meta.id).length : null,
    }));
    return page(
      c,
      <DocumentListPage
        session={actorOf(c).session}
        approval={deps.approval}
        documents={documents}
      />,
    );
  });

  app.get("/documenti/:id", guard(deps, "documents.view"), (c) => {
    const { session } = actorOf(c);
    const meta = documentsList().find((document) => document.id === c.req.param("id"));
    if (!meta) return renderError(c, deps, 404, t("error.not_found"));
    return page(
      c,
      <DocumentPage
        session={session}
        approval={deps.approval}
        meta={meta}
        passages={deps.documents ? deps.documents.passages(meta.id) : null}
        canReingest={
          Boolean(deps.documents?.reingest) &&
          may(session.roles, "documents.reingest", deps.approval)
        }
        progress={deps.documents?.progress?.(meta.id)}
      />,
    );
  });

  app.post("/documenti/:id/reindicizza", guard(deps, "documents.reingest"), (c) => {
    const { user, actor } = actorOf(c);
    const id = c.req.param("id");
    const back = `/documenti/${encodeURIComponent(id)}`;
    if (!documentsList().some((document) => document.id === id))
      return renderError(c, deps, 404, t("error.not_found"));
    if (!deps.documents?.reingest)
      return renderError(c, deps, 503, t("documents.reingest_unavailable"));
    // A second click while the job runs starts nothing, so it records nothing; the library
    // records the re-reading in the audit trail.
    if (deps.documents.progress?.(id)?.state !== "in_corso") deps.documents.reingest(id, actor);
    deps.logger.info("console.reingest", { user, document: id });
    return redirectWithFlash(c, back, "ok", t("documents.reingest_started"));
  });
}
