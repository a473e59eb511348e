// Documenti: list, one document's passages, re-reading with progress, and for trainers the upload
// (multipart, with a progress page that refreshes itself), metadata editing and removal. The
// work is the core library's (app.library); these routes only read forms and render.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Hono } from "hono";
import {
  checkMetaInput,
  documentKinds,
  isSupportedFile,
  type MetaInput,
  may,
  say,
} from "../../../src/index.js";
import type { ConsoleDeps, ConsoleEnv } from "../context.js";
import {
  actorOf,
  type ConsoleContext,
  faultMessage,
  field,
  guard,
  page,
  redirect,
  redirectWithFlash,
  renderError,
} from "../http.js";
import { t } from "../text.js";
import {
  DocumentListPage,
  DocumentPage,
  EditPage,
  JobPage,
  UploadPage,
} from "../views/documents.js";

export const uploadPath = "/documenti/carica";
/** A regional manual with pictures is a few MB; 40 MB leaves room and bounds memory. */
export const maxUploadBytes = 40 * 1024 * 1024;
const maxUploadMb = Math.round(maxUploadBytes / 1024 / 1024);

/** The metadata fields of a form, with the form's own names. */
function metaValues(c: ConsoleContext): Record<string, string> {
  const form = c.get("form");
  const names = ["titolo", "titolo_breve", "tipo", "regione", "data", "provenienza", "sostituisci"];
  return Object.fromEntries(names.map((name) => [name, field(form, name)]));
}

/** Given fields only: an empty one keeps what is there (or what the document says). */
function metaInput(values: Record<string, string>, keepEmptyRegion: boolean): MetaInput {
  const meta: MetaInput = {};
  if (values.titolo) meta.title = values.titolo;
  if (values.titolo_breve) meta.shortTitle = values.titolo_breve;
  if (values.tipo) meta.kind = values.tipo;
  if (values.regione || keepEmptyRegion) meta.region = values.regione ?? "";
  if (values.data) meta.date = values.data;
  if (values.provenienza) meta.origin = values.provenienza;
  return meta;
}

export function documentRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const documentsList = () => deps.documents?.list() ?? deps.sportello.documents();
  const library = () => deps.documents?.library;

  app.get("/documenti", guard(deps, "documents.view"), (c) => {
    const { session } = actorOf(c);
    const documents = documentsList().map((meta) => ({
      meta,
      passages: deps.documents ? deps.documents.passages(meta.id).length : null,
    }));
    // What the manifest on disk says against what answers now: true until a restart or reload.
    const indexed = new Set(documents.map((d) => d.meta.id));
    let listed: string[] = [];
    try {
      listed = library()
        ?.list()
        .map((d) => d.id) ?? [...indexed];
    } catch {
      listed = [...indexed];
    }
    const drift = {
      notIndexed: listed.filter((id) => !indexed.has(id)),
      gone: [...indexed].filter((id) => !listed.includes(id)),
    };
    return page(
      c,
      <DocumentListPage
        session={session}
        approval={deps.approval}
        documents={documents}
        canManage={Boolean(library()) && may(session.roles, "documents.manage", deps.approval)}
        drift={drift}
      />,
    );
  });

  const uploadPage = (c: ConsoleContext, values: Record<string, string>, error?: string) =>
    page(
      c,
      <UploadPage
        session={actorOf(c).session}
        approval={deps.approval}
        documents={documentsList()}
        kinds={documentKinds}
        values={values}
        maxMb={maxUploadMb}
        {...(error ? { error } : {})}
      />,
      error ? 400 : 200,
    );

  app.get(uploadPath, guard(deps, "documents.manage"), (c) => {
    if (!library()) return renderError(c, deps, 503, t("documents.reingest_unavailable"));
    return uploadPage(c, {});
  });

  app.post(uploadPath, guard(deps, "documents.manage"), async (c) => {
    const lib = library();
    if (!lib) return renderError(c, deps, 503, t("documents.reingest_unavailable"));
    const { actor, user } = actorOf(c);
    const values = metaValues(c);
    const upload = c.get("files").file;
    if (!upload || upload.size === 0) return uploadPage(c, values, t("documents.upload_no_file"));
    // Only the last part of the name a browser sends: never a path.
    const name = basename(upload.name.replace(/\\/g, "/")).replace(/[^\p{L}\p{N}._ -]+/gu, "_");
    if (!isSupportedFile(name)) {
      return uploadPage(
        c,
        values,
        t("documents.upload_failed", { error: `«${name}»: ${say("ingest.reason_format")}` }),
      );
    }
    const meta = metaInput(values, false);
    try {
      checkMetaInput(meta);
    } catch (error) {
      const message = faultMessage(error);
      if (message === undefined) throw error;
      return uploadPage(c, values, message);
    }
    const replace = values.sostituisci || undefined;
    if (
      replace &&
      !documentsList().some((d) => d.id === replace) &&
      !lib.list().some((d) => d.id === replace)
    )
      return uploadPage(c, values, t("error.not_found"));
    const bytes = new Uint8Array(await upload.arrayBuffer());
    const folder = mkdtempSync(join(tmpdir(), "sportello-upload-"));
    const path = join(folder, name);
    writeFileSync(path, bytes);
    const job = lib.startIngest(
      { items: [{ path, name, meta }], ...(replace ? { replace } : {}), actor },
      () => rmSync(folder, { recursive: true, force: true }),
    );
    deps.logger.info("console.upload", { user, file: name, job: job.id });
    return redirect(c, `/documenti/lavori/${encodeURIComponent(job.id)}`);
  });

  app.get("/documenti/lavori/:job", guard(deps, "documents.manage"), (c) => {
    const job = library()?.jobs.get(c.req.param("job"));
    if (!job) return renderError(c, deps, 404, t("error.not_found"));
    return page(c, <JobPage session={actorOf(c).session} approval={deps.approval} job={job} />);
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
        canManage={Boolean(library()) && may(session.roles, "documents.manage", deps.approval)}
        progress={deps.documents?.progress?.(meta.id)}
      />,
    );
  });

  const editPage = (
    c: ConsoleContext,
    id: string,
    values: Record<string, string> | undefined,
    error?: string,
  ) => {
    const meta = library()
      ?.list()
      .find((d) => d.id === id);
    if (!meta) return renderError(c, deps, 404, t("error.not_found"));
    return page(
      c,
      <EditPage
        session={actorOf(c).session}
        approval={deps.approval}
        meta={meta}
        kinds={documentKinds}
        values={
          values ?? {
            titolo: meta.title,
            titolo_breve: meta.shortTitle ?? "",
            tipo: meta.kind,
            regione: meta.region ?? "",
            data: meta.date ?? "",
            provenienza: meta.origin,
          }
        }
        {...(error ? { error } : {})}
      />,
      error ? 400 : 200,
    );
  };

  app.get("/documenti/:id/modifica", guard(deps, "documents.manage"), (c) =>
    editPage(c, c.req.param("id"), undefined),
  );

  app.post("/documenti/:id/modifica", guard(deps, "documents.manage"), async (c) => {
    const lib = library();
    const id = c.req.param("id");
    if (!lib) return renderError(c, deps, 503, t("documents.reingest_unavailable"));
    const values = metaValues(c);
    try {
      await lib.edit(id, metaInput(values, true), actorOf(c).actor);
    } catch (error) {
      const message = faultMessage(error);
      if (message === undefined) throw error;
      return editPage(c, id, values, message);
    }
    return redirectWithFlash(
      c,
      `/documenti/${encodeURIComponent(id)}`,
      "ok",
      t("documents.edited"),
    );
  });

  app.post("/documenti/:id/togli", guard(deps, "documents.manage"), async (c) => {
    const lib = library();
    const id = c.req.param("id");
    if (!lib) return renderError(c, deps, 503, t("documents.reingest_unavailable"));
    try {
      await lib.remove(id, actorOf(c).actor);
    } catch (error) {
      const message = faultMessage(error);
      if (message === undefined) throw error;
      return redirectWithFlash(c, `/documenti/${encodeURIComponent(id)}`, "error", message);
    }
    return redirectWithFlash(c, "/documenti", "ok", t("documents.removed", { id }));
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
