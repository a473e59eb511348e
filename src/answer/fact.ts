// Finds the sentence that states the fact asked for: the question's type (how many, when, who,
// how much, where, what is) and the sentences of the top passages that carry that kind of fact
// together with the question's terms.
import type { Passage } from "../knowledge/types.js";
import { analyze as analyzeWord } from "../search/analysis.js";
import { type Analyze, type Idf, splitSentences } from "./excerpt.js";

export type QuestionType = "count" | "share" | "date" | "who" | "amount" | "place" | "definition";

// Order matters: "quanto costa" is an amount before "quanti" is a count, "entro quando" a date.
const QUESTION_TYPES: Array<[QuestionType, RegExp]> = [
  [
    "amount",
    /\b(?:quanto\s+(?:costa|costano|vale|valgono|spende|spendono|si\s+spende|viene\s+(?:pagat|erogat))|quante?\s+risorse|quanti\s+(?:soldi|euro|fondi)|importo|importi|quanto\s+(?:è|e')\s+(?:il|l')\s*(?:budget|importo|finanziamento|valore|costo|compenso)|budget|stanziat|finanziament[oi]\s+(?:previst|total))/iu,
  ],
  [
    "date",
    /\b(?:quando|entro\s+(?:quando|che\s+data|il|la)|da\s+quando|fino\s+a\s+quando|in\s+che\s+(?:anno|data|mese|periodo)|in\s+quale\s+(?:anno|data|mese|periodo)|che\s+data|quale\s+data|scadenza|durata|quanto\s+dura|per\s+quanto\s+tempo|quanti\s+(?:giorni|mesi|anni)|ogni\s+quanto|con\s+(?:che|quale)\s+(?:frequenza|cadenza|periodicit)|periodicit)\b/iu,
  ],
  // A share: "in che percentuale", "quale quota", "a che %", "quanti … in %".
  [
    "share",
    /(?:\bpercentual|%|\bper\s*cento\b|\b(?:che|quale|una)\s+quota\b|\bquota\s+d[ie]\b|\bin\s+che\s+misura\b)/iu,
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
// "un", "uno", "una" are articles far more often than counts: they are not a count's answer.
const NUMBER_WORDS =
  "due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|venti|trenta|cento|mille";

const FACT_PATTERNS: Record<QuestionType, RegExp> = {
  count: new RegExp(`(?:\\d|\\b(?:${NUMBER_WORDS}|dodici|quindici|centinaia|migliaia)\\b)`, "iu"),
  date: new RegExp(
    `(?:\\b\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}\\b|\\b(?:19|20)\\d{2}\\b|\\b(?:${MONTHS})\\b|\\b(?:entro|dal|dalla|fino al|a partire|decorr|scadenz|trimestre|semestre|annualit|giorni|mesi|anni|durata|ogni|mensil[ei]|settimanal[ei]|quindicinal[ei]|trimestral[ei]|semestral[ei]|annual[ei]|cadenza|al\\s+mese|a\\s+settimana|all['’]anno|al\\s+giorno)\\b)`,
    "iu",
  ),
  who: /(?:\b(?:direttore|direttrice|dirigente|responsabile|presidente|ministro|ministero|regione|anpal|inps|inapp|agenzia|ufficio|direzione|centri?\s+per\s+l['’]impiego|cpi|navigator|operator[ei]|ente|enti|soggetti?|struttura|comitato|assessor|giunta|firmat|sottoscritt|rappresentant)\b|\b\p{Lu}\p{Ll}+\s+\p{Lu}\p{Ll}+)/u,
  share: /(?:\d\s*%|\bper\s*cento\b|\bpercentual|\bmet[aà]\b|\bun\s+(?:terzo|quarto|quinto)\b)/iu,
  // A figure of a million or more written with separators ("10.771.777") is an amount in a
  // budget table even without the currency.
  amount:
    /(?:€|\beuro\b|\bmilion|\bmiliard|\bmila\b|\d[\d.]*,\d{2}\b|\b\d{1,3}(?:\.\d{3}){2,}\b)/iu,
  place:
    /(?:\b(?:presso|sede|sedi|uffici|in\s+via|via\s+\p{Lu}|piazza|comune\s+di|provincia\s+di|citt[aà]|territori)\b|\b(?:a|ad|in)\s+\p{Lu}\p{Ll}+)/u,
  definition:
    /(?:\b(?:è|e'|sono)\s+(?:un|una|uno|il|la|lo|l['’]|i|gli|le|quell[aoei]|costituit|finalizzat|rivolt|volt|previst|istituit|promoss)|\b(?:costituisce|rappresenta|consiste|consistono|si\s+intend|si\s+defin|definit[oa]\s+come|denominat|ovvero|cioè|ha\s+(?:lo\s+scopo|l['’]obiettivo)|ha\s+come\s+obiettivo))/iu,
};

/**
 * A name followed by its acronym in brackets defines the acronym ("il Programma Operativo
 * Nazionale «Sistemi di politiche attive per l'occupazione» (PON SPAO)"). Two capitals at least
 * in each word ("(RdC)", "(NASpI)"), case-sensitive unlike the words above: "(vedi)" is none.
 */
const ACRONYM_IN_BRACKETS = /\(\p{Lu}\p{Ll}*\p{Lu}\p{L}*(?:[ -]\p{Lu}\p{Ll}*\p{Lu}\p{L}*)*\)/u;

/** Numbers as written ("2019", "6.7", "4/19", "7T"): identifiers, years, counts, amounts. */
const NUMBER_TOKEN = /\p{L}*\d[\p{L}\d.,/°-]*/gu;

/** The numbers a question names ("linea 4", "nel 2019", "DL 4/19"), without trailing dots. */
export function numbersIn(text: string): string[] {
  return [...text.matchAll(NUMBER_TOKEN)].map((m) => m[0].replace(/[.,/-]+$/u, "").toLowerCase());
}

/**
 * True when `sentence` carries the kind of fact a question of `type` asks for. A number the
 * question already names ("quanti CPI nel 2019?", "obiettivo 6.7") is what it is about, not its
 * answer, and neither is a year or a section number for a count: "LINEA 7T" states no count.
 */
export function sentenceMatchesType(
  type: QuestionType,
  sentence: string,
  questionNumbers: readonly string[] = [],
): boolean {
  let text = sentence;
  if (type === "count" || type === "share" || type === "date" || type === "amount") {
    const named = new Set(questionNumbers);
    text = text.replace(NUMBER_TOKEN, (token) => {
      const bare = token.replace(/[.,/-]+$/u, "").toLowerCase();
      if (named.has(bare)) return " ";
      if (type === "count" && (/^(?:19|20)\d{2}$/.test(bare) || /\p{L}/u.test(bare))) return " ";
      return token;
    });
  }
  if (type === "definition" && ACRONYM_IN_BRACKETS.test(text)) return true;
  return FACT_PATTERNS[type].test(text);
}

/**
 * True when the sentence gives a count of something the question names: a number (not a year,
 * not one the question already names) followed within two words by one of the question's terms
 * ("i 31 CPI", "4.600 lavoratori", "58 nuovi lavoratori").
 */
export function countsQuestionTerm(
  sentence: string,
  terms: ReadonlySet<string>,
  analyze: Analyze,
  questionNumbers: readonly string[] = [],
): boolean {
  const words = sentence.split(/\s+/u);
  const named = new Set(questionNumbers);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (!/^\(?\d[\d.,]*$/u.test(word)) continue;
    const bare = word.replace(/^\(/u, "").replace(/[.,]+$/u, "");
    if (named.has(bare) || /^(?:19|20)\d{2}$/u.test(bare)) continue;
    for (let j = i + 1; j <= i + 3 && j < words.length; j++) {
      if (analyze(words[j] ?? "").some((t) => terms.has(t))) return true;
    }
  }
  return false;
}

/** Years and year ranges written in a text ("2019", "2017-2020", "2019/2021"). */
export function yearSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of text.matchAll(/\b((?:19|20)\d{2})(?:\s*[-–/]\s*((?:19|20)\d{2}))?\b/gu)) {
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    spans.push([Math.min(from, to), Math.max(from, to)]);
  }
  return spans;
}

/**
 * True when the question names a year (`asked`, its `yearSpans`) and the sentence names only
 * other years: "quanti eventi nel 2019?" is not answered by "21 eventi (tra cui l'edizione
 * 2018)". A sentence without any year does not conflict.
 */
export function conflictsOnYear(asked: ReadonlyArray<[number, number]>, sentence: string): boolean {
  if (asked.length === 0) return false;
  const named = yearSpans(sentence);
  if (named.length === 0) return false;
  return !named.some(([from, to]) => asked.some(([a, b]) => from <= b && a <= to));
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
const TYPE_BONUS = 0.45;
/** Sentences longer than this are run-on lists or flattened tables: a window of them is shown. */
const MAX_SENTENCE_CHARS = 450;
/** Words in the window shown of a run-on sentence. */
const WINDOW_WORDS = 50;

/**
 * The part of a run-on sentence (a flattened table, a long list) where the question's terms
 * gather, with the kind of fact asked for: about WINDOW_WORDS words, marked as cut with "…".
 */
function windowOf(
  sentence: string,
  terms: readonly string[],
  idf: Idf,
  type: QuestionType | null,
  named: readonly string[],
): string {
  const words = sentence.split(/\s+/).filter(Boolean);
  if (words.length <= WINDOW_WORDS) return sentence;
  const wanted = new Set(terms);
  const termsOf = words.map((w) => analyzeWord(w).filter((t) => wanted.has(t)));
  let best = 0;
  let bestScore = -1;
  for (let start = 0; start + WINDOW_WORDS <= words.length; start += 3) {
    const seen = new Set(termsOf.slice(start, start + WINDOW_WORDS).flat());
    let score = [...seen].reduce((sum, t) => sum + idf(t), 0);
    const text = words.slice(start, start + WINDOW_WORDS).join(" ");
    if (type && sentenceMatchesType(type, text, named)) score *= 1.2;
    if (score > bestScore) {
      bestScore = score;
      best = start;
    }
  }
  const end = Math.min(words.length, best + WINDOW_WORDS);
  return `${best > 0 ? "… " : ""}${words.slice(best, end).join(" ")}${end < words.length ? " …" : ""}`;
}

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
  const named = numbersIn(question);
  const total = terms.reduce((sum, t) => sum + idf(t), 0) || 1;
  const found: FactSentence[] = [];
  passages.slice(0, RANK_DECAY.length).forEach((passage, rank) => {
    for (const sentence of sentencesOf(passage)) {
      if (sentence.length < 15) continue;
      const seen = new Set(analyze(sentence));
      const coverage = terms.reduce((sum, t) => sum + (seen.has(t) ? idf(t) : 0), 0) / total;
      if (coverage === 0) continue;
      const text =
        sentence.length > MAX_SENTENCE_CHARS
          ? windowOf(sentence, terms, idf, type, named)
          : sentence;
      const typeMatch = type !== null && sentenceMatchesType(type, text, named);
      const long = text.length > MAX_SENTENCE_CHARS ? 0.7 : 1;
      const score = (coverage + (typeMatch ? TYPE_BONUS : 0)) * (RANK_DECAY[rank] ?? 0.3) * long;
      found.push({ passageId: passage.id, text, rank, coverage, typeMatch, score });
    }
  });
  return found.sort((a, b) => b.score - a.score);
}
