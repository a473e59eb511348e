// The core's public surface: what the adapters (adapters/cli, web, telegram, slack) may use.
// Biome forbids them deeper paths into src/ (biome.json, ARCHITECTURE.md rule 2).
//
// The CLI's cold `ask` must start fast (tests/cli/cli.test.ts, "a cold sportello ask"), and a
// value re-exported here is bundled wherever this file is imported. So types are re-exported with
// `export type` (erased), and values only from modules `ask` loads anyway (the service, the
// engine, the store and search behind them, the prompts, the locale). What `ask` does not load
// stays behind its lazy load: the document readers (dynamic `import()` in src/knowledge/load.ts),
// the YAML parser (required on first use by src/yaml.ts), the knowledge watcher and the
// evaluation (src/answer/watch.ts and src/eval/, imported by adapters/cli/serve.ts and eval.ts
// alone, which `sportello serve` and `eval` load lazily) and the adapters themselves.

export { composeFaqAnswer, formatCitation } from "./answer/compose.js";
export type { Engine } from "./answer/engine.js";
export { askInConversation, ConversationMemory, withFollowUp } from "./answer/followup.js";
export type { OpenedEngine } from "./answer/open.js";
export { openEngine, updateIndexCache } from "./answer/open.js";
export type { Answer, Citation, RetrievedPassage } from "./answer/types.js";
export type { SportelloApp } from "./app.js";
export { createSportello, openCuration, tooLongAnswer } from "./app.js";
export { localCliUser } from "./config/access.js";
export { loadConfig } from "./config/load.js";
export type { SportelloConfig } from "./config/schema.js";
export type { Actor } from "./curation/actors.js";
export { createActorCheck, parseActor } from "./curation/actors.js";
export type {
  AdapterAuditEntry,
  AnswerProposal,
  AuditQuery,
  AuditRecord,
  BreakdownRow,
  Curation,
  FaqInput,
  FaqRecord,
  FaqVersionRecord,
  ResolutionCandidate,
  StatsReport,
  Suggestion,
  UnansweredGroupDetail,
  UnansweredGroupRow,
  UnansweredQuery,
} from "./curation/curation.js";
export type { ApprovalPolicy, CurationAction } from "./curation/policy.js";
export { may, stepsOffered } from "./curation/policy.js";
export { writeFileAtomically } from "./curation/write-file.js";
export { isSportelloError, SportelloError } from "./errors.js";
export { parseFaq } from "./knowledge/faq.js";
export { isSupportedFile } from "./knowledge/load.js";
export { useManifestCache } from "./knowledge/manifest.js";
export type { Corpus, DocumentMeta, Faq, Passage, PublishedFaq } from "./knowledge/types.js";
export { documentKinds } from "./knowledge/types.js";
export type { LibraryJob } from "./library/jobs.js";
export type { DocumentChanges, Library, MetaInput } from "./library/library.js";
export { checkMetaInput, createLibrary } from "./library/library.js";
export {
  formatDate,
  formatDateTime,
  formatDay,
  formatPercent,
  formatSeconds,
} from "./locale.js";
export type { PromptKey, TemplateVars } from "./prompts.js";
export { hasTemplate, listInItalian, say, usePromptCache } from "./prompts.js";
export type { SearchEngineChoice } from "./search/port.js";
export { searchEngines } from "./search/port.js";
export type {
  AskOutcome,
  DeliveryAddress,
  FeedbackKind,
  Identity,
  NotificationPort,
  OutgoingNotification,
  Role,
  Sportello,
  UnansweredGroupSummary,
} from "./service.js";
export { feedbackKinds, maxQuestionLength } from "./service.js";
export type {
  Channel,
  FaqState,
  GroupStatus,
  QueueCategory,
  QueueItemKind,
} from "./vocabulary.js";
export { channels, faqStates, groupStatuses, queueCategories } from "./vocabulary.js";
