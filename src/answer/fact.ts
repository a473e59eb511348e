// Finds the sentence that states the fact asked for: the question's type (how many, when, who,
// how much, where, what is) and the sentences of the top passages that carry that kind of fact
// together with the question's terms.
import type { Passage } from "../knowledge/types.js";
import { type Analyze, type Idf, splitSentences } from "./excerpt.js";

export type QuestionType = "count" | "date" | "who" | "amount" | "place" | "definition";

// Order matters: "quanto costa" is an amount before "quanti" is a count, "entro quando" a date.
const QUESTION_TYPES: Array<[QuestionType, RegExp]> = [
  [
    "amount",
    /\b(?:quanto\s+(?:costa|costano|vale|valgono|spende|spendono|si\s+spende|viene\s+(?:pagat|erogat))|quante?\s+risorse|quanti\s+(?:soldi|euro|fondi)|importo|importi|quanto\s+(?:è|e')\s+(?:il|l')\s*(?:budget|importo|finanziamento|valore|costo|compenso)|budget|stanziat|finanziament[oi]\s+(?:previst|total))/iu,
  ],
  [
    "date",
    /\b(?:quando|entro\s+(?:quando|che\s+data|il|la)|da\s+quando|fino\s+a\s+quando|in\s+che\s+(?:anno|data|mese|periodo)|in\s+quale\s+(?:anno|data|mese|periodo)|che\s+data|quale\s+data|scadenza|durata|quanto\s+dura|per\s+quanto\s+tempo|quanti\s+(?:giorni|mesi|anni))\b/iu,
  ],
  ["count", /\b(?:quant[ie]|numero\s+d[ie]|quanti?\s*\/\s*e|how\s+many)\b/iu],
  [
    "who",
    /\b(?:chi|da\s+chi|a\s+chi|quale\s+(?:ente|ufficio|soggetto|struttura|organismo|autorit|dirigente|direzione|amministrazione)|quali\s+(?:enti|soggetti|uffici|strutture)|chi\s+(?:firma|è|sono|gestisce|paga))\b/iu,
  ],
  ["place", /\b(?:dove|in\s+quale\s+(?:sede|luogo|città|comune|provincia)|presso\s+quale)\b/iu],
  [
    "definition",
    /(?:\bcos['’]\s*è|\bcosa\s+(?:è|e'|sono|significa|si\s+intende|vuol\s+dire)|\bche\s+cos['’]\s*è|\bche\s+cosa\s+(?:è|sono|significa|si\s+intende)|\bcosa\s+indica|\bin\s+cosa\s+consiste|\bdi\s+cosa\s+si\s+tratta|\bsignificato\s+di|\bdefinizione\s+di)/iu,
  ],
];

export function questionType(question: string): QuestionType | null {
  for (const [type, pattern] of QUESTION_TYPES) if (pattern.test(question)) return type;
  return null;
}

const MONTHS =
  "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre";
const NUMBER_WORDS =
  "un|uno|una|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|venti|trenta|cento|mille";

const FACT_PATTERNS: Record<QuestionType, RegExp> = {
  count: new RegExp(`(?:\\d|\\b(?:${NUMBER_WORDS}|dodici|quindici|centinaia|migliaia)\\b)`, "iu"),
  date: new RegExp(
    `(?:\\b\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}\\b|\\b(?:19|20)\\d{2}\\b|\\b(?:${MONTHS})\\b|\\b(?:entro|dal|dalla|fino al|a partire|decorr|scadenz|trimestre|semestre|annualit|giorni|mesi|anni|durata)\\b)`,
    "iu",
  ),
  who: /(?:\b(?:direttore|direttrice|dirigente|responsabile|presidente|ministro|ministero|regione|anpal|inps|inapp|agenzia|ufficio|direzione|centri?\s+per\s+l['’]impiego|cpi|navigator|operator[ei]|ente|enti|soggetti?|struttura|comitato|assessor|giunta|firmat|sottoscritt|rappresentant)\b|\b\p{Lu}\p{Ll}+\s+\p{Lu}\p{Ll}+)/u,
  amount:
    /(?:€|\beuro\b|\bmilion|\bmiliard|\bmila\b|\d[\d.]*,\d{2}\b|\bimport|\brisorse\b|\bstanziament)/iu,
  place:
    /(?:\b(?:presso|sede|sedi|uffici|in\s+via|via\s+\p{Lu}|piazza|comune\s+di|provincia\s+di|citt[aà]|territori)\b|\b(?:a|ad|in)\s+\p{Lu}\p{Ll}+)/u,
  definition:
    /(?:\b(?:è|sono|e'|costituisce|rappresenta|consiste|consistono|si\s+intende|si\s+intendono|si\s+definisce|indica|significa|ovvero|cioè|denominat|finalizzat|volt[oa]\s+a|ha\s+(?:lo\s+scopo|l['’]obiettivo))\b|\(\p{Lu}{2,}[\p{L}]*\))/iu,
};

/** True when `sentence` carries the kind of fact a question of `type` asks for. */
export function sentenceMatchesType(type: QuestionType, sentence: string): boolean {
  return FACT_PATTERNS[type].test(sentence);
}

export interface FactSentence {
  passageId: string;
  /** The sentence as written in the passage (a table row as "colonna: valore" pairs). */
  text: string;
  /** Rank of the passage among the candidates (0 = first). */
  rank: number;
  /** IDF-weighted share of the question's terms the sentence contains. */
  coverage: number;
  typeMatch: boolean;
  score: number;
}

/** A table row shown as "colonna: valore" pairs, when the table has a header row. */
function tableSentences(text: string): string[] {
  const lines = text.split("\n").filter((l) => l.trim());
  const header = (lines[0] ?? "").split("|").map((c) => c.trim());
  const rows: string[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length >= 2 && cells.length === header.length && header.every((h) => h)) {
      rows.push(
        cells
          .map((c, i) => (c ? `${header[i]}: ${c}` : ""))
          .filter(Boolean)
          .join("; "),
      );
    } else {
      rows.push(cells.filter(Boolean).join(" — "));
    }
  }
  return rows.length > 0 ? rows : lines;
}

export function sentencesOf(passage: Passage): string[] {
  return passage.kind === "table" ? tableSentences(passage.text) : splitSentences(passage.text);
}

/** Weight of a sentence from a lower-ranked passage: the first passage is usually right. */
const RANK_DECAY = [1, 0.8, 0.65, 0.5, 0.4];
/** Extra weight of a sentence that carries the kind of fact asked for. */
const TYPE_BONUS = 0.35;
/** Sentences longer than this are clipped lists or table soup, not a statement. */
const MAX_SENTENCE_CHARS = 600;

/**
 * The sentences of the top passages that best answer the question, best first: IDF-weighted
 * share of the question's terms in the sentence, discounted by the passage's rank, with a
 * bonus when the sentence carries the fact the question's type asks for.
 */
export function rankFactSentences(
  question: string,
  passages: readonly Passage[],
  terms: readonly string[],
  analyze: Analyze,
  idf: Idf,
): FactSentence[] {
  const type = questionType(question);
  const total = terms.reduce((sum, t) => sum + idf(t), 0) || 1;
  const found: FactSentence[] = [];
  passages.slice(0, RANK_DECAY.length).forEach((passage, rank) => {
    for (const sentence of sentencesOf(passage)) {
      if (sentence.length < 15) continue;
      const seen = new Set(analyze(sentence));
      const coverage = terms.reduce((sum, t) => sum + (seen.has(t) ? idf(t) : 0), 0) / total;
      if (coverage === 0) continue;
      const typeMatch = type !== null && sentenceMatchesType(type, sentence);
      const long = sentence.length > MAX_SENTENCE_CHARS ? 0.7 : 1;
      const score = (coverage + (typeMatch ? TYPE_BONUS : 0)) * (RANK_DECAY[rank] ?? 0.3) * long;
      found.push({ passageId: passage.id, text: sentence, rank, coverage, typeMatch, score });
    }
  });
  return found.sort((a, b) => b.score - a.score);
}
