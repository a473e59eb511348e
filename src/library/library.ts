// The document library: the one place that changes the documents of a knowledge folder. It adds
// (or replaces) files, removes them, edits their metadata and re-reads them; validates everything
// with Italian messages; refuses content already there (sha256 of the bytes); writes files and the
// manifest atomically; records who did what in the store's audit trail in the same transaction;
// reports progress; and tells the running engine what changed through ONE hook, `applyChanges`.
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { basename, extname, join, relative, resolve, sep } from "node:path";
import type { Actor, ActorCheck } from "../curation/actors.js";
import { isSportelloError, SportelloError } from "../errors.js";
import { discoverDocuments } from "../knowledge/knowledge.js";
import { inferMeta, isSupportedFile, type ReadDocument, readDocument } from "../knowledge/load.js";
import { type DocumentMeta, documentMetaSchema, type LoadedDocument } from "../knowledge/types.js";
import { formatTime } from "../locale.js";
import { type PromptKey, say } from "../prompts.js";
import type { AuditEntryInput } from "../store/audit.js";
import type { Store } from "../store/store.js";
import { createJobs, type LibraryJob, type LibraryJobs } from "./jobs.js";
import { lockManifest, type ManifestLockOptions } from "./lock.js";
import {
  type ManifestFile,
  manifestExists,
  readManifestFile,
  writeManifestFile,
} from "./manifest-file.js";

/** What changed, for the running engine: the only thing it is told. */
export interface DocumentChanges {
  /** Documents added or re-read (a replaced one comes back under its id), with their passages. */
  added: LoadedDocument[];
  /** Ids whose passages must go: removed documents, and replaced or re-read ones. */
  removedDocumentIds: string[];
  /** Documents whose metadata changed and whose passages did not. */
  edited: DocumentMeta[];
  /** Every document of the manifest after the change, in its order. */
  documents: DocumentMeta[];
}

/** Metadata a person gives (command line, console form); every field optional. */
export interface MetaInput {
  title?: string;
  shortTitle?: string;
  kind?: string;
  /** Empty or null: a national document. */
  region?: string | null;
  date?: string | null;
  origin?: string;
}

export interface IngestItem {
  /** Where the file is now. */
  path: string;
  /** Its name as the person knows it (an upload's original name); default the path's. */
  name?: string;
  meta?: MetaInput;
}

export interface LibraryProgress {
  /** What is being done, in Italian ("lettura di bando.docx"). */
  step: string;
  /** 0..1 */
  fraction: number;
}

export interface IngestRequest {
  items: IngestItem[];
  /** Replace this document (one item only): same id, metadata kept unless given. */
  replace?: string;
  actor: Actor;
  onProgress?: (progress: LibraryProgress) => void;
}

export interface IngestedDocument {
  id: string;
  title: string;
  /** Path under the knowledge folder ("documents/bando-gol.docx"). */
  file: string;
  passages: number;
  replaced: boolean;
}

export interface IngestResult {
  ingested: IngestedDocument[];
  /** One Italian message per file that was not added; the others still were. */
  failed: Array<{ file: string; message: string }>;
}

export interface LibraryOptions {
  knowledgeDir: string;
  /** The audit trail; without it nothing is recorded (tests of the files alone). */
  store?: Pick<Store, "audit" | "transaction">;
  /** Role checks: every change needs a trainer. Without it anyone may. */
  actors?: ActorCheck;
  /**
   * THE hook on the running engine, called once after every change with what changed (an index
   * rebuild or an incremental update: the engine's business). Its failure is reported as the
   * change's failure, but the files stay changed: the next start picks them up.
   */
  applyChanges?: (changes: DocumentChanges) => Promise<void> | void;
  /** The folder's lock between processes (see lock.ts); `false` only where one process writes. */
  lock?: Omit<ManifestLockOptions, "onWait"> | false;
  /** Told once, in Italian, when a change waits for another process's change to end. */
  onLockWait?: (message: string) => void;
}

export interface Library {
  readonly knowledgeDir: string;
  /** The documents of the manifest (none when there is no manifest yet). */
  list(): DocumentMeta[];
  ingest(request: IngestRequest): Promise<IngestResult>;
  remove(id: string, actor: Actor): Promise<DocumentMeta>;
  edit(id: string, changes: MetaInput, actor: Actor): Promise<DocumentMeta>;
  /** Re-reads one document from its file (after a loader change, or a file edited by hand). */
  reingest(
    id: string,
    actor: Actor,
    onProgress?: (progress: LibraryProgress) => void,
  ): Promise<{ passages: number }>;
  /** `ingest` in the background; `cleanup` runs when it has ended (an upload's temporary file). */
  startIngest(request: Omit<IngestRequest, "onProgress">, cleanup?: () => void): LibraryJob;
  /** `reingest` in the background; a second start while one runs returns the running job. */
  startReingest(id: string, actor: Actor): LibraryJob;
  readonly jobs: LibraryJobs;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function invalid(message: string): SportelloError {
  return new SportelloError("INPUT_INVALID", message);
}

/** The metadata a person typed, cleaned: blank strings are absent, a blank region is national. */
function cleanInput(input: MetaInput | undefined): Partial<DocumentMeta> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(input ?? {})) {
    if (raw === undefined) continue;
    const value = typeof raw === "string" ? raw.trim().replace(/\s+/g, " ") : raw;
    if (key === "region" || key === "date") out[key] = value === "" ? null : value;
    else if (value !== "") out[key] = value;
  }
  return out as Partial<DocumentMeta>;
}

/** Validates metadata; the first problem becomes one Italian sentence naming the field. */
export function validateMeta(candidate: unknown): DocumentMeta {
  const parsed = documentMetaSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw invalid(say("library.meta_invalid", { problem: issue?.message ?? "" }));
}

/** Checks the fields a person gave before any work starts, with the same Italian messages. */
export function checkMetaInput(input: MetaInput): void {
  const parsed = documentMetaSchema.unwrap().partial().safeParse(cleanInput(input));
  if (parsed.success) return;
  throw invalid(say("library.meta_invalid", { problem: parsed.error.issues[0]?.message ?? "" }));
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep);
}

export function createLibrary(options: LibraryOptions): Library {
  const knowledgeDir = resolve(options.knowledgeDir);
  // One change at a time: each reads the manifest the previous one wrote.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };

  const authorize = (actor: Actor, actionKey: PromptKey) =>
    options.actors?.authorize(actor, "documents.manage", actionKey);

  /** Audit entries and the file changes they record: both happen, or neither. */
  const commit = (entries: AuditEntryInput[], change: () => void) => {
    const store = options.store;
    if (!store) return change();
    store.transaction(() => {
      for (const entry of entries) store.audit.append(entry);
      change();
    });
  };

  const apply = async (changes: DocumentChanges) => {
    if (options.applyChanges) await options.applyChanges(changes);
  };

  /**
   * Runs a read-modify-write of the manifest (and the index update after it) holding the
   * folder's lock, so that another process changing documents waits instead of losing an entry.
   */
  const withLock = async <T>(
    progress: (progress: LibraryProgress) => void,
    task: () => Promise<T>,
  ): Promise<T> => {
    if (options.lock === false) return task();
    mkdirSync(knowledgeDir, { recursive: true });
    const release = await lockManifest(knowledgeDir, {
      ...options.lock,
      onWait: (holder) => {
        options.onLockWait?.(
          say("library.lock_wait", {
            pid: holder?.pid ?? "?",
            host: holder?.host ?? "?",
            since: holder?.since ? formatTime(holder.since) : "?",
          }),
        );
        progress({ step: say("library.lock_wait_step"), fraction: 0.7 });
      },
    });
    try {
      return await task();
    } finally {
      release();
    }
  };

  const noProgress = () => {};

  const hashes = new Map<string, string>();
  /** sha256 of a manifest entry's file: written at ingestion, else computed once from disk. */
  const hashOf = (meta: DocumentMeta): string | undefined => {
    if (meta.sha256) return meta.sha256;
    const path = join(knowledgeDir, meta.file);
    try {
      const key = `${path}:${statSync(path).mtimeMs}`;
      let hash = hashes.get(key);
      if (!hash) {
        hash = sha256(readFileSync(path));
        hashes.set(key, hash);
      }
      return hash;
    } catch {
      return undefined;
    }
  };

  /**
   * The document of `documents` with these bytes. Only files of the same size are hashed (a
   * hand-written entry has no sha256): adding to a large folder does not read all of it.
   */
  const sameContent = (
    documents: DocumentMeta[],
    hash: string,
    size: number,
  ): DocumentMeta | undefined =>
    documents.find((meta) => {
      if (meta.sha256) return meta.sha256 === hash;
      try {
        if (statSync(join(knowledgeDir, meta.file)).size !== size) return false;
      } catch {
        return false;
      }
      return hashOf(meta) === hash;
    });

  const find = (file: ManifestFile, id: string): DocumentMeta => {
    const meta = file.manifest.documents.find((d) => d.id === id);
    if (!meta) {
      throw new SportelloError(
        "NOT_FOUND",
        say("library.not_found", {
          id,
          ids: file.manifest.documents.map((d) => d.id).join(", ") || say("library.none"),
        }),
      );
    }
    return meta;
  };

  /** Documents already in a folder that has no manifest yet: listed when it is created. */
  const adoptDiscovered = async (file: ManifestFile): Promise<DocumentMeta[]> => {
    if (file.exists) return [];
    const adopted: DocumentMeta[] = [];
    const used = new Set<string>();
    for (const path of discoverDocuments(knowledgeDir)) {
      try {
        const inferred = inferMeta(path, (await readDocument(path)).title);
        let id = inferred.id;
        for (let n = 2; used.has(id); n++) id = `${inferred.id}-${n}`;
        used.add(id);
        adopted.push(
          validateMeta({
            ...inferred,
            id,
            file: relative(knowledgeDir, path).split(sep).join("/"),
            sha256: sha256(readFileSync(path)),
          }),
        );
      } catch {
        // A file that does not load today is not adopted; it was not answering either.
      }
    }
    return adopted;
  };

  async function ingest(request: IngestRequest): Promise<IngestResult> {
    authorize(request.actor, "library.action_ingest");
    if (request.replace !== undefined && request.items.length !== 1) {
      throw invalid(say("library.replace_one_file"));
    }
    const progress = request.onProgress ?? (() => {});
    // A wrong --replace id and a file already there are said before anything is read.
    const early = manifestExists(knowledgeDir) ? readManifestFile(knowledgeDir) : undefined;
    if (request.replace !== undefined) {
      find(early ?? readManifestFile(knowledgeDir), request.replace);
    }

    // First every file is read, without the lock: reading (OCR above all) can take minutes, and
    // another process may change the manifest meanwhile.
    const total = request.items.length;
    const read: Array<{
      item: IngestItem;
      name: string;
      hash: string;
      size: number;
      document: ReadDocument;
    }> = [];
    const failed: IngestResult["failed"] = [];
    const fail = (name: string, error: unknown) => {
      if (!isSportelloError(error)) throw error;
      if (request.replace !== undefined) throw error;
      failed.push({ file: name, message: error.message });
    };
    for (const [index, item] of request.items.entries()) {
      const name = basename(item.name ?? item.path);
      progress({
        step: say("library.step_read", { file: name }),
        fraction: (index / total) * 0.7,
      });
      try {
        if (!isSupportedFile(name)) {
          throw new SportelloError(
            "DOCUMENT_UNREADABLE",
            say("ingest.document_unreadable", { file: name, reason: say("ingest.reason_format") }),
          );
        }
        // A link is refused rather than followed: `ingest` of a link to /etc/passwd must not copy
        // the system's accounts into the corpus.
        if (existsSync(item.path) && lstatSync(item.path).isSymbolicLink()) {
          throw new SportelloError(
            "DOCUMENT_UNREADABLE",
            say("ingest.document_unreadable", { file: name, reason: say("ingest.reason_symlink") }),
          );
        }
        const bytes = new Uint8Array(readFileSync(item.path));
        const hash = sha256(bytes);
        // A file already there is said before it is read (reading may take minutes).
        const same = early && sameContent(early.manifest.documents, hash, bytes.length);
        if (same && same.id !== request.replace) {
          throw new SportelloError(
            "CONFLICT",
            say("library.duplicate", { file: name, id: same.id, title: same.title }),
          );
        }
        const document = await readDocument(item.path);
        read.push({ item, name, hash, size: bytes.length, document });
      } catch (error) {
        fail(name, error);
      }
    }
    if (read.length === 0) return { ingested: [], failed };

    // Then, under the lock, the manifest as it is now: ids, file names and duplicates are decided
    // against it, and it is written back before anyone else reads it.
    return withLock(progress, async () => {
      mkdirSync(join(knowledgeDir, "documents"), { recursive: true });
      const file = readManifestFile(knowledgeDir);
      const documents = [...(await adoptDiscovered(file)), ...file.manifest.documents];
      const replaced = request.replace !== undefined ? find(file, request.replace) : undefined;
      const usedIds = new Set(documents.map((d) => d.id));
      const usedFiles = new Set(documents.map((d) => d.file));
      const added = new Map<string, DocumentMeta>();

      const prepared: Array<{ item: IngestItem; meta: DocumentMeta; loaded: LoadedDocument }> = [];
      for (const { item, name, hash, size, document } of read) {
        try {
          const same = added.get(hash) ?? sameContent(documents, hash, size);
          if (same && same.id === replaced?.id) {
            throw new SportelloError(
              "CONFLICT",
              say("library.same_as_replaced", { file: name, id: same.id }),
            );
          }
          if (same) {
            throw new SportelloError(
              "CONFLICT",
              say("library.duplicate", { file: name, id: same.id, title: same.title }),
            );
          }
          const inferred = inferMeta(name, document.title);
          let id = replaced?.id ?? inferred.id;
          if (!replaced) for (let n = 2; usedIds.has(id); n++) id = `${inferred.id}-${n}`;
          const extension = extname(name).toLowerCase();
          let target = `documents/${id}${extension}`;
          for (let n = 2; usedFiles.has(target) && target !== replaced?.file; n++) {
            target = `documents/${id}-${n}${extension}`;
          }
          if (!replaced) {
            for (let n = 2; existsSync(join(knowledgeDir, target)); n++) {
              target = `documents/${id}-${n}${extension}`;
            }
          }
          const given = cleanInput(item.meta);
          const meta = validateMeta({
            ...(replaced ?? { ...inferred, origin: name }),
            ...given,
            id,
            file: target,
            sha256: hash,
          });
          const passages = document.segment(id);
          if (passages.length === 0) {
            throw new SportelloError(
              "DOCUMENT_UNREADABLE",
              say("ingest.document_unreadable", {
                file: name,
                reason: say("ingest.reason_no_text"),
              }),
            );
          }
          usedIds.add(id);
          usedFiles.add(target);
          added.set(hash, meta);
          prepared.push({ item, meta, loaded: { meta, passages } });
        } catch (error) {
          fail(name, error);
        }
      }
      if (prepared.length === 0) return { ingested: [], failed };

      progress({ step: say("library.step_write"), fraction: 0.75 });
      const next = [...documents];
      for (const { meta } of prepared) {
        const at = next.findIndex((d) => d.id === meta.id);
        if (at >= 0) next[at] = meta;
        else next.push(meta);
      }
      const entries: AuditEntryInput[] = prepared.map(({ item, meta, loaded }) => ({
        actor: request.actor,
        action: replaced ? "knowledge.replace" : "knowledge.add",
        target: meta.id,
        detail: {
          file: basename(item.name ?? item.path),
          title: meta.title,
          passages: loaded.passages.length,
        },
      }));
      commit(entries, () => {
        for (const { item, meta } of prepared) {
          const destination = join(knowledgeDir, meta.file);
          const temporary = `${destination}.${process.pid}.tmp`;
          copyFileSync(item.path, temporary);
          renameSync(temporary, destination);
        }
        writeManifestFile(file, next);
      });
      if (replaced && replaced.file !== prepared[0]?.meta.file) {
        removeFileIfUnused(replaced.file, next);
      }

      progress({ step: say("library.step_index"), fraction: 0.85 });
      await apply({
        added: prepared.map((p) => p.loaded),
        removedDocumentIds: replaced ? [replaced.id] : [],
        edited: [],
        documents: next,
      });
      progress({ step: say("library.step_done"), fraction: 1 });
      return {
        ingested: prepared.map(({ meta, loaded }) => ({
          id: meta.id,
          title: meta.title,
          file: meta.file,
          passages: loaded.passages.length,
          replaced: Boolean(replaced),
        })),
        failed,
      };
    });
  }

  /** Deletes a document file no manifest entry points at any more (never outside the folder). */
  function removeFileIfUnused(relativePath: string, documents: DocumentMeta[]) {
    if (documents.some((d) => d.file === relativePath)) return;
    const path = resolve(knowledgeDir, relativePath);
    if (inside(knowledgeDir, path)) rmSync(path, { force: true });
  }

  const jobs = createJobs();
  /** A fault as a person reads it: Sportello's own message, or a short Italian wrapper. */
  const messageOf = (error: unknown) =>
    isSportelloError(error)
      ? error.message
      : say("library.unexpected", {
          detail: error instanceof Error ? error.message : String(error),
        });

  const library: Library = {
    knowledgeDir,
    jobs,

    startIngest(request, cleanup) {
      return jobs.start(
        "ingest",
        request.replace ? [request.replace] : [],
        async (report) => {
          try {
            const result = await library.ingest({ ...request, onProgress: report });
            const outcome = [
              ...result.ingested.map((d) =>
                say(d.replaced ? "library.cli_replaced" : "library.cli_added", {
                  id: d.id,
                  file: d.file,
                  passages: d.passages,
                }),
              ),
              ...result.failed.map((f) => f.message),
            ];
            if (result.ingested.length === 0) throw new Error(outcome.join(" "));
            return {
              documentIds: result.ingested.map((d) => d.id),
              outcome,
              passages: result.ingested.reduce((sum, d) => sum + d.passages, 0),
            };
          } catch (error) {
            throw new Error(messageOf(error));
          } finally {
            cleanup?.();
          }
        },
        say("library.step_start"),
      );
    },

    startReingest(id, actor) {
      const current = jobs.latestFor(id);
      if (current?.state === "in_corso" && current.kind === "reingest") return current;
      return jobs.start(
        "reingest",
        [id],
        async (report) => {
          try {
            const { passages } = await library.reingest(id, actor, report);
            return { outcome: [say("library.reingested", { id, passages })], passages };
          } catch (error) {
            throw new Error(messageOf(error));
          }
        },
        say("library.step_start"),
      );
    },

    list: () => readManifestFile(knowledgeDir).manifest.documents,

    ingest: (request) => serial(() => ingest(request)),

    remove: (id, actor) =>
      serial(async () => {
        authorize(actor, "library.action_remove");
        return withLock(noProgress, async () => {
          const file = readManifestFile(knowledgeDir);
          const meta = find(file, id);
          const next = file.manifest.documents.filter((d) => d.id !== id);
          commit(
            [
              {
                actor,
                action: "knowledge.remove",
                target: id,
                detail: { title: meta.title, file: meta.file },
              },
            ],
            () => writeManifestFile(file, next),
          );
          removeFileIfUnused(meta.file, next);
          await apply({ added: [], removedDocumentIds: [id], edited: [], documents: next });
          return meta;
        });
      }),

    edit: (id, changes, actor) =>
      serial(async () => {
        authorize(actor, "library.action_edit");
        return withLock(noProgress, async () => {
          const file = readManifestFile(knowledgeDir);
          const before = find(file, id);
          const given = cleanInput(changes);
          const meta = validateMeta({ ...before, ...given, id: before.id, file: before.file });
          const fields = (Object.keys(given) as Array<keyof DocumentMeta>).filter(
            (key) => before[key] !== meta[key],
          );
          if (fields.length === 0) return before;
          const next = file.manifest.documents.map((d) => (d.id === id ? meta : d));
          commit(
            [
              {
                actor,
                action: "knowledge.edit",
                target: id,
                detail: { fields, title: meta.title },
              },
            ],
            () => writeManifestFile(file, next),
          );
          await apply({ added: [], removedDocumentIds: [], edited: [meta], documents: next });
          return meta;
        });
      }),

    reingest: (id, actor, onProgress) =>
      serial(async () => {
        const report = onProgress ?? (() => {});
        report({ step: say("library.step_manifest"), fraction: 0.05 });
        const file = readManifestFile(knowledgeDir);
        const meta = find(file, id);
        commit([{ actor, action: "knowledge.reingest", target: id }], () => {});
        report({ step: say("library.step_read", { file: basename(meta.file) }), fraction: 0.15 });
        const passages = (await readDocument(join(knowledgeDir, meta.file))).segment(meta.id);
        if (passages.length === 0) {
          throw new SportelloError(
            "DOCUMENT_UNREADABLE",
            say("ingest.document_unreadable", {
              file: basename(meta.file),
              reason: say("ingest.reason_no_text"),
            }),
          );
        }
        report({ step: say("library.step_index"), fraction: 0.6 });
        await withLock(report, async () => {
          // The manifest as it is now: another process may have changed it while this one read.
          const documents = readManifestFile(knowledgeDir).manifest.documents;
          if (!documents.some((d) => d.id === id)) return;
          await apply({
            added: [{ meta, passages }],
            removedDocumentIds: [id],
            edited: [],
            documents,
          });
        });
        report({ step: say("library.step_done"), fraction: 1 });
        return { passages: passages.length };
      }),
  };
  return library;
}
