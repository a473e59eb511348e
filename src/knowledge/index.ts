// The public face of the knowledge module: loading documents, FAQ and manifests into passages.
export { faqFileName, listFaqFiles, loadFaqs, parseFaq, serializeFaq } from "./faq.js";
export {
  fingerprintKnowledge,
  INGEST_VERSION,
  type LoadedKnowledge,
  type LoadKnowledgeOptions,
  loadKnowledge,
  loadPassagesJsonl,
} from "./knowledge.js";
export {
  inferMeta,
  isSupportedFile,
  loadDocument,
  readDocument,
  readDocumentLines,
  regionInTitle,
} from "./load.js";
export { findManifest, loadManifest } from "./manifest.js";
export { foldForMatch, normalizeLine } from "./normalize.js";
export { PASSAGE_MAX, PASSAGE_MIN, type RawLine, segmentDocument } from "./segment.js";
