// The shapes of the knowledge base: documents, their passages and curated FAQ.
// zod schemas guard what is read from `knowledge/`; inside the code the inferred types are used.
import * as z from "zod";
import { type PromptKey, say } from "../prompts.js";

type LibraryKey = PromptKey extends infer K
  ? K extends `library.${infer Rest}`
    ? Rest
    : never
  : never;

export const documentKinds = [
  "convenzione",
  "allegato",
  "relazione",
  "piano",
  "piano regionale",
  "determinazione",
  "decreto",
  "bando",
  "avviso",
  "circolare",
  "faq",
  "modulo",
  "manuale",
  "linee guida",
  "altro",
] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** An Italian message from prompts/library.yaml, rendered only when validation fails. */
const italian =
  (key: LibraryKey, vars: Record<string, string> = {}) =>
  () =>
    say(`library.${key}`, vars);

/** A region name as written in Italian ("Basilicata", "Emilia-Romagna"); null means national. */
export const regionSchema = z.lazy(() =>
  z
    .string({ error: italian("field_region") })
    .min(2, { error: italian("field_region") })
    .nullable(),
);

export const documentMetaSchema = z.lazy(() =>
  z.object({
    /** Stable id, used in passage ids and citations: lower-case, digits and dashes. */
    id: z
      .string({ error: italian("field_id") })
      .regex(/^[a-z0-9][a-z0-9-]*$/, { error: italian("field_id") }),
    /** File name relative to the manifest's folder. */
    file: z.string({ error: italian("field_file") }).min(1, { error: italian("field_file") }),
    title: z.string({ error: italian("field_title") }).min(3, { error: italian("field_title") }),
    /** A short title for citations in chat ("Convenzione Basilicata"). */
    shortTitle: z
      .string({ error: italian("field_short_title") })
      .min(2, { error: italian("field_short_title") })
      .optional(),
    kind: z.enum(documentKinds, {
      error: () => say("library.field_kind", { kinds: documentKinds.join(", ") }),
    }),
    region: regionSchema,
    /** ISO date (YYYY-MM-DD) or a year-month (YYYY-MM) when only that is known. */
    date: z
      .string({ error: italian("field_date") })
      .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, {
        error: italian("field_date"),
      })
      .nullable(),
    /** Where the document comes from: the issuing body, gazette or original file. */
    origin: z.string({ error: italian("field_origin") }).min(2, { error: italian("field_origin") }),
    /** sha256 of the file's bytes, written at ingestion: the same content is never added twice. */
    sha256: z
      .string()
      .regex(/^[a-f0-9]{64}$/, { error: italian("field_sha256") })
      .optional(),
  }),
);
export type DocumentMeta = z.infer<typeof documentMetaSchema>;

/** An empty file, or `documents:` with nothing under it, is an empty manifest. */
export const manifestSchema = z.lazy(() =>
  z.preprocess(
    (value) => (value === null || value === undefined ? { version: 1, documents: [] } : value),
    z.object({
      version: z.literal(1, { error: italian("field_version") }),
      documents: z.preprocess(
        (value) => value ?? [],
        z.array(documentMetaSchema, { error: italian("field_documents") }),
      ),
    }),
  ),
);
export type Manifest = z.infer<typeof manifestSchema>;

/** Where a passage sits in its document: pages for PDFs, lines for text files. */
export interface PassageLocation {
  lineStart: number;
  lineEnd: number;
  pageStart?: number;
  pageEnd?: number;
  /**
   * The document has its own structure (.docx, .odt, .html): it is cited by its section, and
   * lineStart/lineEnd count its blocks (headings, paragraphs, items, tables) for ordering only.
   */
  bySection?: boolean;
  /** Some of the text was read by OCR from a scanned page: citations say so. */
  ocr?: boolean;
}

/** A table kept as a table: its header row (empty when it has none) and its rows' cells. */
export interface PassageTable {
  header: string[];
  rows: string[][];
}

export interface Passage {
  /** Stable across re-ingestion of the same text: `${documentId}:${hash of breadcrumb+text}`. */
  id: string;
  documentId: string;
  /** Section path under the document, outermost first ("Allegato A", "Linea 5", "Obiettivo 5.1"). */
  breadcrumb: string[];
  location: PassageLocation;
  /** Raw text for display and citation, after normalisation of extraction artefacts. */
  text: string;
  kind: "text" | "table";
  /** For kind "table": the rows this passage holds; its text renders them "colonna: valore". */
  table?: PassageTable;
}

/** A document as loaded and segmented. */
export interface LoadedDocument {
  meta: DocumentMeta;
  passages: Passage[];
  /** What could not be read (scanned pages without OCR): the document loads without it. */
  warnings?: Error[];
}

export const faqSourceSchema = z.lazy(() =>
  z.object({
    document: z.string().min(1),
    section: z.string().optional(),
    page: z.number().int().positive().optional(),
  }),
);

export const faqSchema = z.lazy(() =>
  z.object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "id: lettere minuscole, cifre e trattini"),
    question: z.string().min(5),
    alternatives: z.array(z.string().min(3)).default([]),
    answer: z.string().min(5),
    sources: z.array(faqSourceSchema).default([]),
    tags: z.array(z.string()).default([]),
    region: regionSchema.default(null),
    reviewed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "reviewed: data nel formato AAAA-MM-GG"),
  }),
);
export type Faq = z.infer<typeof faqSchema>;

/** A FAQ that can answer: a file FAQ (version 1) or one published from the store. */
export interface PublishedFaq extends Faq {
  version: number;
}

/** Everything the engine answers from. */
export interface Corpus {
  documents: DocumentMeta[];
  passages: Passage[];
  /** Hash of the documents' content, the manifest and the thesaurus. */
  fingerprint: string;
}
