// Turns a decision into the words of an Answer: every sentence comes from prompts/answer.yaml.
import type { DocumentMeta, Passage, PublishedFaq } from "../knowledge/types.js";
import { listInItalian, say, withPreposition } from "../prompts.js";
import type { Answer, Citation, DeclineReason, RetrievedPassage } from "./types.js";

/**
 * "p. 4", "pp. 4-5", "righe 120-140" or "riga 7"; "p. 3 (OCR)" for text read from a scan; nothing
 * for a document cited by section.
 */
export function formatWhere(passage: Passage): string {
  const { pageStart, pageEnd, lineStart, lineEnd, bySection } = passage.location;
  if (bySection) return "";
  if (pageStart !== undefined) {
    const where =
      pageEnd !== undefined && pageEnd !== pageStart
        ? say("answer.location_pages", { from: pageStart, to: pageEnd })
        : say("answer.location_page", { page: pageStart });
    return passage.location.ocr ? say("answer.location_ocr", { where }) : where;
  }
  return lineEnd > lineStart
    ? say("answer.location_lines", { from: lineStart, to: lineEnd })
    : say("answer.location_line", { line: lineStart });
}

export function documentLabel(document: DocumentMeta): string {
  return document.shortTitle ?? document.title;
}

/**
 * The passage's sections under the document, without a first heading that only repeats the
 * document's title (a Markdown file's "# Title").
 */
export function sectionPath(passage: Passage, document: DocumentMeta): string[] {
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  const [first, ...rest] = passage.breadcrumb;
  if (
    first !== undefined &&
    (same(first, document.title) || same(first, documentLabel(document)))
  ) {
    return rest;
  }
  return passage.breadcrumb;
}

/** "Convenzione Basilicata › Art. 3 – Trattamento dei dati personali › righe 160-175" */
export function formatLocation(passage: Passage, document: DocumentMeta): string {
  return [documentLabel(document), ...sectionPath(passage, document), formatWhere(passage)]
    .filter(Boolean)
    .join(" › ");
}

export function citationFor(n: number, retrieved: RetrievedPassage): Citation {
  return {
    n,
    passageId: retrieved.passage.id,
    documentId: retrieved.document.id,
    documentTitle: documentLabel(retrieved.document),
    section: sectionPath(retrieved.passage, retrieved.document).join(" › "),
    where: formatWhere(retrieved.passage),
  };
}

export function formatCitation(citation: Citation): string {
  return [citation.documentTitle, citation.section, citation.where].filter(Boolean).join(" › ");
}

/** The reply as plain text, as the CLI prints it and the JSON contract carries it. */
export function renderPlainText(parts: Answer["parts"]): string {
  const blocks = [parts.lead];
  if (parts.body) blocks.push(parts.body);
  if (parts.citations.length > 0) {
    blocks.push(
      [
        say("answer.sources_heading"),
        ...parts.citations.map((c) => `[${c.n}] ${formatCitation(c)}`),
      ].join("\n"),
    );
  }
  if (parts.footer) blocks.push(parts.footer);
  return blocks.join("\n\n");
}

/**
 * An answer from the documents: the sentence that states the fact first, with its citation,
 * then shorter supporting context from the cited passages. Without an answering sentence the
 * excerpts are introduced by the usual lead.
 */
export function composeDocumentAnswer(
  fact: string | null,
  excerpts: Array<{ retrieved: RetrievedPassage; excerpt: string }>,
  uncertain: boolean,
): Answer["parts"] {
  const citations = excerpts.map((e, i) => citationFor(i + 1, e.retrieved));
  const body = excerpts
    .filter((e) => e.excerpt.trim())
    .map((e) => `${e.excerpt} [${excerpts.indexOf(e) + 1}]`)
    .join("\n\n");
  const footer = say(uncertain ? "answer.footer_uncertain" : "answer.footer_answered");
  if (fact) {
    return {
      lead: `${fact} [1]`,
      body: body ? `${say("answer.context_heading")} ${body}` : "",
      citations,
      footer: uncertain ? `${say("answer.note_uncertain")} ${footer}` : footer,
    };
  }
  return {
    lead: say(uncertain ? "answer.lead_documents_uncertain" : "answer.lead_documents"),
    body,
    citations,
    footer,
  };
}

/**
 * An answer from a FAQ. With `alternatives` (a probable FAQ, not a certain one) the lead says
 * which FAQ it is and that it may not be the one asked about, and the footer names the next FAQ
 * in the ranking.
 */
export function composeFaqAnswer(
  faq: PublishedFaq,
  sources: RetrievedPassage[],
  alternatives: readonly PublishedFaq[] | null = null,
): Answer["parts"] {
  const citations: Citation[] = sources.map((s, i) => citationFor(i + 1, s));
  if (citations.length === 0) {
    citations.push({
      n: 1,
      passageId: "",
      documentId: "",
      documentTitle: say("answer.faq_citation", {
        question: faq.question,
        reviewed: formatItalianDate(faq.reviewed),
      }),
      section: "",
      where: "",
    });
  }
  if (alternatives) {
    return {
      lead: say("answer.lead_faq_probable", { question: faq.question }),
      body: faq.answer.trim(),
      citations,
      footer:
        alternatives.length > 0
          ? say("answer.footer_faq_others", {
              questions: alternatives.map((o) => `«${o.question}»`).join("; "),
            })
          : say("answer.footer_uncertain"),
    };
  }
  return {
    lead: say("answer.lead_faq"),
    body: faq.answer.trim(),
    citations,
    footer: say("answer.footer_answered"),
  };
}

export function composeDecline(
  reason: DeclineReason,
  searchedTerms: string[],
  region: { name: string; covered: string[] } | null,
): Answer["parts"] {
  let lead: string;
  switch (reason) {
    case "empty":
      lead = say("answer.decline_empty");
      break;
    case "uncovered-region":
      // A corpus of national documents only covers no region by name.
      lead = region?.covered.length
        ? say("answer.decline_uncovered_region", {
            region: withPreposition("su", region.name),
            covered: listInItalian(region.covered.map((name) => withPreposition("di", name))),
          })
        : say("answer.decline_uncovered_region_national", {
            region: withPreposition("su", region?.name ?? ""),
          });
      break;
    case "no-match":
      lead = say("answer.decline_no_match");
      break;
    default:
      lead = say("answer.decline_low_confidence");
  }
  const searched =
    reason === "empty"
      ? ""
      : searchedTerms.length > 0
        ? say("answer.decline_searched", { terms: searchedTerms.map((t) => `«${t}»`).join(", ") })
        : say("answer.decline_searched_nothing");
  return {
    lead,
    body: "",
    citations: [],
    footer: [searched, say("answer.decline_rephrase"), say("answer.decline_noted")]
      .filter(Boolean)
      .join(" "),
  };
}

const monthNames = [
  "gennaio",
  "febbraio",
  "marzo",
  "aprile",
  "maggio",
  "giugno",
  "luglio",
  "agosto",
  "settembre",
  "ottobre",
  "novembre",
  "dicembre",
];

/** "2020-06-04" → "4 giugno 2020". */
export function formatItalianDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return iso;
  const [, year, month, day] = match;
  return `${Number(day)} ${monthNames[Number(month) - 1] ?? month} ${year}`;
}
