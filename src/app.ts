// The service every adapter talks to: access control, the answer engine, the interaction log, the
// unanswered queue and the notifications, behind the `Sportello` facade of src/service.ts.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { formatCitation } from "./answer/compose.js";
import type { AnswerEngine } from "./answer/engine-types.js";
import { askInConversation, ConversationMemory, withFollowUp } from "./answer/followup.js";
import { knowledgeFingerprint } from "./answer/open.js";
import type { Answer } from "./answer/types.js";
import { resolveAccess } from "./config/access.js";
import type { SportelloConfig } from "./config/schema.js";
import { createActorCheck } from "./curation/actors.js";
import { type Curation, createCuration } from "./curation/curation.js";
import { createNotifier } from "./curation/notify.js";
import { may } from "./curation/policy.js";
import { isSportelloError, SportelloError } from "./errors.js";
import { listFaqFiles } from "./knowledge/faq.js";
import type { Corpus } from "./knowledge/types.js";
import { engineHook } from "./library/corpus.js";
import { createLibrary, type Library } from "./library/library.js";
import { say } from "./prompts.js";
import type {
  Access,
  AskOutcome,
  DeliveryAddress,
  FeedbackOutcome,
  Identity,
  NotificationPort,
  OutgoingNotification,
  Sportello,
} from "./service.js";
import { maxQuestionLength } from "./service.js";
import type { GivenAnswer } from "./store/queue.js";
import { redactForSearch } from "./store/redact.js";
import { openStore, type Store } from "./store/store.js";

export interface CreateSportelloOptions {
  config: SportelloConfig;
  engine: AnswerEngine;
  /** Start-up notices and delivery failures; default stderr. */
  log?: (line: string) => void;
  /** Clock, for tests. */
  now?: () => Date;
  /** How often undelivered notifications are retried; default one minute, 0 to disable. */
  retryIntervalMs?: number;
  /**
   * Import `knowledge/faq/` files into the store at start (default true); skipped when neither
   * the files nor the store's FAQ changed since the last import that had nothing to say.
   */
  syncKnowledgeFaqs?: boolean;
  /** When the store reads every page for damage (see openStore); default "always". */
  checkStorePages?: "always" | "when-changed";
  /**
   * The corpus the engine was opened with (openEngine's `corpus`): with it, `library` changes
   * reach the running engine; without it they only change the knowledge folder.
   */
  corpus?: Corpus;
}

export interface SportelloApp extends Sportello {
  /** The curation workflow (queue, FAQ lifecycle, stats, purge) for the CLI and the console. */
  readonly curation: Curation;
  readonly store: Store;
  /** The documents of the knowledge folder: add, replace, remove, edit, re-read (audited). */
  readonly library: Library;
  /** The corpus the engine answers from now, when it was given at creation. */
  corpus(): Corpus | undefined;
  /** Notifications waiting for the CLI user, shown when `sportello chat` starts. */
  pendingCliNotifications(userId?: string): OutgoingNotification[];
  markNotificationDelivered(id: number): void;
  /** Tries the pending notifications now (also done on a timer and when a port registers). */
  flushNotifications(): Promise<{ delivered: number; failed: number }>;
}

/**
 * A question over the longest allowed, as an Answer for the outputs that need one (the CLI's
 * `ask --json`, one line per question of a batch): declined, nothing searched, the polite note.
 */
export function tooLongAnswer(text: string, fingerprint = ""): Answer {
  return {
    status: "declined",
    source: null,
    confidence: 0,
    text,
    parts: { lead: text, body: "", citations: [], footer: "" },
    faq: null,
    passages: [],
    reason: "too-long",
    region: null,
    fingerprint,
    latencyMs: 0,
  };
}

/** What an answer given with uncertainty said, as the trainers' queue keeps it. */
function givenAnswer(answer: Answer): GivenAnswer {
  const first = answer.parts.citations[0];
  return {
    answer: answer.answer?.text ?? answer.parts.body,
    source: first ? formatCitation(first) : null,
    alternatives: (answer.alsoOffered ?? []).map((faq) => faq.id),
  };
}

/** The IDF of the engine's search index when the engine exposes it (createEngine does). */
function corpusTermWeight(engine: AnswerEngine): ((term: string) => number) | undefined {
  const index = (engine as { index?: { idf?: unknown } }).index;
  if (index && typeof index.idf === "function") {
    const idf = index.idf as (term: string) => number;
    return (term) => idf.call(index, term);
  }
  return undefined;
}

function storeFault(error: unknown): SportelloError {
  if (isSportelloError(error)) return error;
  return new SportelloError(
    "STORE_FAILED",
    say("store.write_failed", { detail: (error as Error).message }),
    { cause: error },
  );
}

/** Opens the store and the curation workflow without an engine (CLI commands, scripts). */
export function openCuration(options: {
  config: SportelloConfig;
  engine?: AnswerEngine;
  log?: (line: string) => void;
  now?: () => Date;
}): { curation: Curation; store: Store; close(): void } {
  const store = openStore({
    path: options.config.dbPath,
    secret: options.config.secret,
    now: options.now,
  });
  const notifier = createNotifier(store);
  const curation = createCuration({
    store,
    config: options.config,
    engine: options.engine,
    termWeight: options.engine ? corpusTermWeight(options.engine) : undefined,
    notifier,
    now: options.now,
    log: options.log,
  });
  return { curation, store, close: () => store.close() };
}

/** The store fact that records the last quiet import of `knowledge/faq/` (see faqFilesStamp). */
const FAQ_SYNC_FACT = "knowledge_faq_sync";

/** The FAQ files of `dir` (names and bytes) and the store's FAQ as they are now. */
function faqFilesStamp(dir: string, store: Store): string {
  const hash = createHash("sha256").update(resolve(dir));
  for (const name of listFaqFiles(dir)) {
    hash.update(`\u0000${name}\u0000`);
    try {
      hash.update(readFileSync(join(dir, name)));
    } catch {
      hash.update("\u0000unreadable");
    }
  }
  return `${hash.digest("hex").slice(0, 32)}:${store.faqs.changeMark()}`;
}

export function createSportello(options: CreateSportelloOptions): SportelloApp {
  const { config, engine } = options;
  const write = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let logged = 0;
  const log = (line: string) => {
    logged++;
    write(line);
  };
  const store = openStore({
    path: config.dbPath,
    secret: config.secret,
    now: options.now,
    checkPages: options.checkStorePages,
  });
  const notifier = createNotifier(store, (error, notification) =>
    log(
      say("curation.notification_undelivered", {
        id: notification.id,
        channel: notification.address.channel,
        detail: String((error as Error).message ?? error),
      }),
    ),
  );
  const curation = createCuration({
    store,
    config,
    engine,
    termWeight: corpusTermWeight(engine),
    notifier,
    now: options.now,
    log,
  });

  try {
    const faqDir = join(config.knowledgeDir, "faq");
    if (
      (options.syncKnowledgeFaqs ?? true) &&
      store.facts.get(FAQ_SYNC_FACT) !== faqFilesStamp(faqDir, store)
    ) {
      const before = logged;
      const synced = curation.syncKnowledgeFaqs(faqDir);
      // An import with something to say (an unreadable file, a FAQ changed on both sides) is
      // done again at the next start, so it is said again; a quiet one is remembered.
      if (logged === before) store.facts.set(FAQ_SYNC_FACT, faqFilesStamp(faqDir, store));
      if (synced.added.length + synced.updated.length > 0) {
        log(
          `sportello: FAQ da knowledge/faq: ${synced.added.length} nuove, ${synced.updated.length} aggiornate`,
        );
      }
    }
    curation.refreshEngine();
  } catch (error) {
    store.close();
    throw error;
  }

  let corpus = options.corpus;
  const library = createLibrary({
    knowledgeDir: config.knowledgeDir,
    store,
    actors: createActorCheck(config),
    // The one place where the running engine hears of document changes.
    ...(corpus
      ? {
          applyChanges: engineHook({
            engine,
            current: () => corpus as Corpus,
            onCorpus: (next) => {
              corpus = next;
            },
            fingerprint: () => knowledgeFingerprint(config.knowledgeDir),
          }),
        }
      : {}),
  });

  const retryMs = options.retryIntervalMs ?? 60_000;
  const timer =
    retryMs > 0 ? setInterval(() => void notifier.flush().catch(() => {}), retryMs) : undefined;
  timer?.unref();

  const conversations = new ConversationMemory();

  const access = (identity: Identity, workspaceKnown = true): Access =>
    resolveAccess(config, identity, { workspaceKnown });

  return {
    curation,
    store,
    library,
    corpus: () => corpus,

    async ask(question, address?: DeliveryAddress): Promise<AskOutcome> {
      curation.syncPublished();
      const identity: Identity = {
        channel: question.channel,
        userId: question.userId,
        ...(question.conversationId !== undefined ? { chatId: question.conversationId } : {}),
        ...(question.workspaceId !== undefined ? { workspaceId: question.workspaceId } : {}),
      };
      // A Slack question without its team id (an adapter that cannot know it) skips only the
      // workspace rule; every other rule applies.
      if (
        !access(identity, question.channel !== "slack" || question.workspaceId !== undefined)
          .allowed
      ) {
        try {
          store.log.logRefusal({
            channel: question.channel,
            userId: question.userId,
            conversationId: question.conversationId,
          });
        } catch (error) {
          throw storeFault(error);
        }
        return { kind: "refused", text: say("access.refused") };
      }
      if (question.text.length > maxQuestionLength) {
        return {
          kind: "refused",
          reason: "too-long",
          text: say("access.question_too_long", {
            length: question.text.length,
            max: maxQuestionLength,
          }),
        };
      }
      // Personal data is neither searched (it cannot be in the corpus) nor repeated in the reply
      // ("Ho cercato: «…»"); the log keeps the question with typed placeholders.
      const key = ConversationMemory.key({
        channel: question.channel,
        conversationId: question.conversationId,
        threadId: question.threadId,
        userId: question.userId,
      });
      const nowMs = (options.now?.() ?? new Date()).getTime();
      // Follow-ups only within a conversation the adapter names (a chat, a thread, the console).
      const read =
        question.conversationId !== undefined
          ? await askInConversation(
              (text) => engine.ask(redactForSearch(text)),
              conversations,
              key,
              question.text,
              nowMs,
            )
          : {
              answer: engine.ask(redactForSearch(question.text)),
              asked: question.text,
              followUp: null,
            };
      const answer = read.followUp
        ? withFollowUp(read.answer, read.asked, read.followUp.previous)
        : read.answer;
      // The CLI has no port of its own: its notifications wait in the store for the next chat.
      const where: DeliveryAddress | undefined =
        address ??
        (question.channel === "cli"
          ? { channel: "cli", chatId: question.conversationId ?? "local", userId: question.userId }
          : undefined);
      let interactionId: number;
      try {
        // Logged and queued in one transaction: a declined question is never logged but lost to
        // the queue (a crash between two transactions did that).
        interactionId = store.transaction(() => {
          const id = store.log.logInteraction({
            channel: question.via ?? question.channel,
            userId: question.userId,
            conversationId: question.conversationId,
            status: answer.status,
            // A follow-up is logged as it was understood, so the queue reads on its own.
            text: read.asked,
            source: answer.source,
            faq: answer.faq ? { id: answer.faq.id, version: answer.faq.version } : null,
            passageIds: answer.passages.map((p) => p.passage.id),
            fingerprint: answer.fingerprint,
            confidence: answer.confidence,
            uncertain: answer.uncertain ?? false,
            latencyMs: answer.latencyMs,
            reason: answer.reason,
            region: answer.region?.name ?? null,
            address: where,
          });
          if (answer.status === "declined" && answer.reason !== "empty") {
            curation.enqueue(id, "declined");
          }
          // An answer given with uncertainty reaches the trainers too ("da verificare"), with
          // what it said, not only when its asker presses "non utile".
          if (answer.status === "answered" && answer.uncertain) {
            curation.enqueue(id, "uncertain", givenAnswer(answer));
          }
          return id;
        });
      } catch (error) {
        throw storeFault(error);
      }
      if (question.conversationId !== undefined) {
        conversations.remember(key, { question: read.asked, interactionId, at: nowMs });
      }
      return { kind: answer.status, interactionId, answer };
    },

    access: (identity) => access(identity),
    may: (identity, action) => {
      const decided = access(identity);
      return decided.allowed && may(decided.roles, action, config.approval);
    },

    async feedback(input): Promise<FeedbackOutcome> {
      if (!access(input.identity).allowed) return { kind: "refused", text: say("access.refused") };
      try {
        const recorded = store.transaction(() => {
          const ok = store.log.addFeedback({
            interactionId: input.interactionId,
            channel: input.identity.channel,
            userId: input.identity.userId,
            kind: input.kind,
            comment: input.comment,
          });
          // A replayed click ("duplicate") is recorded once and queues nothing again.
          if (ok === "new" && input.kind === "non_utile") {
            curation.enqueue(input.interactionId, "non_utile");
          }
          if (ok === "new" && input.kind === "utile") {
            curation.suggestFromHelpful(input.interactionId);
          }
          return ok;
        });
        if (!recorded) return { kind: "unknown-interaction", text: say("access.feedback_unknown") };
        if (input.kind === "non_utile") {
          return { kind: "recorded", text: say("access.feedback_recorded_not_helpful") };
        }
        return { kind: "recorded", text: say("access.feedback_recorded") };
      } catch (error) {
        throw storeFault(error);
      }
    },

    passage: (id) => engine.passage(id),
    documents: () => engine.documents(),
    publishedFaqs: () => engine.faqs(),
    topUnanswered: (limit) => curation.topUnanswered(limit),

    registerNotifier(port: NotificationPort): void {
      void notifier.register(port).catch((error: unknown) => {
        log(
          say("curation.notifications_not_sent", {
            channel: port.channel,
            detail: (error as Error).message,
          }),
        );
      });
    },

    pendingCliNotifications(userId?: string): OutgoingNotification[] {
      return notifier
        .pending("cli")
        .filter((n) => userId === undefined || n.address.userId === userId);
    },

    firstDelivery(key, ttlSeconds) {
      try {
        return store.replays.firstTime(key, ttlSeconds);
      } catch (error) {
        throw storeFault(error);
      }
    },

    markNotificationDelivered: (id) => notifier.markDelivered(id),
    flushNotifications: () => notifier.flush(),

    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      await notifier.idle();
      store.close();
    },
  };
}
