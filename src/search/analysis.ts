// The Italian text analysis shared by the index, the query and the store's grouping of similar
// questions: one function turns any string into the folded, stemmed terms that the index holds.
import lunr from "lunr";
import italianPlugin from "lunr-languages/lunr.it.js";
import stemmerSupportPlugin from "lunr-languages/lunr.stemmer.support.js";

/**
 * Bumped whenever `analyze` can return different terms for the same text: an index serialised
 * with another version was built with other terms and must be rebuilt.
 */
export const ANALYSIS_VERSION = 6;

stemmerSupportPlugin(lunr);
italianPlugin(lunr);

// lunr-languages attaches the Italian functions to the lunr namespace at run time.
const italianStemmer = (lunr as unknown as { it: { stemmer: (token: lunr.Token) => lunr.Token } })
  .it.stemmer;

/** Terms longer than this are noise (hashes, glued table cells) and only cost fuzzy matching. */
const MAX_TERM_LENGTH = 40;

// lunr-languages' Italian list, plus elided forms it lacks (quest', quell', d', s', m', t', v', n'
// …) and interrogatives that only ask ("cosa", "quando", "qual"). Written folded, because the
// filter runs after accent folding.
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a abbia abbiamo abbiano abbiate ad agl agli ai al all alla alle allo anche avemmo avendo " +
    "avesse avessero avessi avessimo aveste avesti avete aveva avevamo avevano avevate avevi avevo " +
    "avrai avranno avrebbe avrebbero avrei avremmo avremo avreste avresti avrete avra avro avuta " +
    "avute avuti avuto c che chi ci coi col come con contro cui da dagl dagli dai dal dall dalla " +
    "dalle dallo degl degli dei del dell della delle dello di dov dove e ebbe ebbero ebbi ed era " +
    "erano eravamo eravate eri ero essendo faccia facciamo facciano facciate faccio facemmo " +
    "facendo facesse facessero facessi facessimo faceste facesti faceva facevamo facevano " +
    "facevate facevi facevo fai fanno farai faranno farebbe farebbero farei faremmo faremo " +
    "fareste faresti farete fara faro fece fecero feci fosse fossero fossi fossimo foste fosti fu " +
    "fui fummo furono gli ha hai hanno ho i il in io l la le lei li lo loro lui ma mi mia mie miei " +
    "mio ne negl negli nei nel nell nella nelle nello noi non nostra nostre nostri nostro o per " +
    "perche piu quale quanta quante quanti quanto quella quelle quelli quello questa queste questi " +
    "questo sarai saranno sarebbe sarebbero sarei saremmo saremo sareste saresti sarete sara saro " +
    "se sei si sia siamo siano siate siete sono sta stai stando stanno starai staranno starebbe " +
    "starebbero starei staremmo staremo stareste staresti starete stara staro stava stavamo " +
    "stavano stavate stavi stavo stemmo stesse stessero stessi stessimo steste stesti stette " +
    "stettero stetti stia stiamo stiano stiate sto su sua sue sugl sugli sui sul sull sulla sulle " +
    "sullo suo suoi ti tra tu tua tue tuo tuoi tutti tutto un una uno vi voi vostra vostre vostri " +
    "vostro " +
    // elided forms and short function words missing from the list above
    "d s m t v n quest quell nessun cos com anch senz tutt po dev qual cosa quando " +
    "fra gia ecc " +
    // modal and auxiliary verbs, generic verbs and adverbs that operators put around the
    // question ("deve", "si può", "qualcosa", "x" for "per") without adding to what is asked
    "quali deve devono dovrebbe dovrebbero devo dobbiamo essere avere fare fa fatto fatta fatti " +
    "fatte va vanno ogni ancora poi sopra sotto x qualcosa qualche cioe ovvero oppure quindi pero " +
    "invece molto molti molta molte tanto tanti proprio vorrei sapere posso puo possono potrebbe " +
    "potrebbero bisogna occorre altro altra altri altre " +
    // "venire" as the auxiliary of the passive ("come vengono trattati i dati")
    "viene vengono venga vengano veniva venivano verra verranno"
  ).split(" "),
);

/** Unicode apostrophes and primes that writers and PDF extraction use for the ASCII one. */
const APOSTROPHES = /[\u2018\u2019\u201B\u02BC\u02B9\u0060\u00B4\u2032]/g;

/** Dotted abbreviations ("D.Lgs.", "S.p.A.", "D.G.R.") collapse to one word: dlgs, spa, dgr. */
const DOTTED_ABBREVIATION = /(?<![\p{L}\p{N}.])(?:\p{L}{1,3}\.)+\p{L}{1,3}(?![\p{L}\p{N}])/gu;

/**
 * A token is a run of letters and digits, or a numeric code whose digit groups are joined by
 * `.`, `/`, `,` or `-` ("81/2008", "5.1.3", "2017-2020", "30/06/2021", "3.892.962,46").
 * Apostrophes are separators, so elisions split by themselves: dell'impiego → dell, impiego.
 */
const TOKEN = /\p{N}+(?:[./,-]\p{N}+)+|[\p{L}\p{N}]+/gu;
const NUMERIC_CODE = /^\p{N}+(?:[./,-]\p{N}+)+$/u;
const ONLY_LETTERS = /^\p{L}+$/u;
const ONLY_DIGITS = /^\p{N}+$/u;
/** A word of four or more letters with digits only before or only after it. */
const GLUED_WORD = /^(?:\p{N}+(\p{L}{4,})|(\p{L}{4,})\p{N}+)$/u;
const COMBINING_MARKS = /\p{M}+/gu;
const DASHES = /[\u2010-\u2015\u2212]/g;

/**
 * Normalises text before tokenisation: NFC, lower case, ASCII apostrophes and dashes, accents
 * folded (attività → attivita), dotted abbreviations collapsed. Folding happens before stemming
 * so that a question typed without accents ("attivita", "perche'") meets the same stem.
 */
export function foldText(text: string): string {
  const folded = BEYOND_LATIN.test(text) ? foldAny(text) : foldLatin(text);
  // The abbreviation pattern is slow (look-behind, Unicode classes) and needs a letter, a dot
  // and a letter in a row, which most texts do not have once sentences end with ". ".
  return LETTER_DOT_LETTER.test(folded)
    ? folded.replace(DOTTED_ABBREVIATION, (abbreviation) => abbreviation.replaceAll(".", ""))
    : folded;
}

/** The folding for any text: Unicode normalisation around the removal of accents. */
function foldAny(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(APOSTROPHES, "'")
    .replace(DASHES, "-")
    .normalize("NFD")
    .replace(COMBINING_MARKS, "")
    .normalize("NFC");
}

/**
 * A character beyond ASCII, Latin-1, Latin Extended-A and the apostrophes and dashes folded
 * above (few Italian documents have one).
 */
const BEYOND_LATIN =
  /[\u0180-\u02b8\u02ba\u02bb\u02bd-\u200f\u2016\u2017\u201a\u201c-\u2031\u2033-\u2211\u2213-\uffff]/;
const LATIN_EXTRA = /[\u0080-\u017f`\u02b9\u02bc\u2010-\u2015\u2018\u2019\u201b\u2032\u2212]/g;
const LETTER_DOT_LETTER = /\p{L}\.\p{L}/u;

/**
 * What `foldAny` makes of each character above ASCII in that range, of the backtick and of
 * those apostrophes and dashes. Those
 * characters neither combine nor change case by context, so folding them one by one gives what
 * folding the whole text gives (tests/search/analysis.test.ts compares the two on random text),
 * without normalising the whole text three times.
 */
const LATIN_FOLD: ReadonlyMap<string, string> = new Map(
  Array.from({ length: 0x180 - 0x80 }, (_, i) => String.fromCharCode(0x80 + i))
    .concat([..."`\u02b9\u02bc\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201b\u2032\u2212"])
    .map((c) => [c, foldAny(c)]),
);

function foldLatin(text: string): string {
  // Accents first: "İ" lower-cased as a whole text would leave a combining dot behind.
  return text.replace(LATIN_EXTRA, (c) => LATIN_FOLD.get(c) ?? c).toLowerCase();
}

/** "08" and "8" are the same number ("LINEA 08" in the source, "linea 8" in a question). */
function stripLeadingZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/, "");
}

/** A numeric code gives the code itself and its parts of two or more digits (years, law numbers). */
function codeTerms(code: string): string[] {
  const terms = [code];
  for (const part of code.split(/[./,-]/)) {
    if (part.length >= 2) terms.push(stripLeadingZeros(part));
  }
  return terms;
}

function stem(word: string): string {
  return italianStemmer(new lunr.Token(word, {})).toString();
}

/** Turns one raw token into its index terms: none for a stop word, several for a numeric code. */
function termsOfTokenUncached(token: string): readonly string[] {
  if (token.length > MAX_TERM_LENGTH) return NO_TERMS;
  if (NUMERIC_CODE.test(token)) return codeTerms(token);
  if (ONLY_DIGITS.test(token)) return [stripLeadingZeros(token)];
  if (STOP_WORDS.has(token)) return NO_TERMS;
  // Codes mixing letters and digits ("a15", "180n", "7t") are kept as written. A word glued to
  // a number by PDF extraction ("1vacancy", "formazione1": a footnote marker) also gives the
  // word's own term.
  if (!ONLY_LETTERS.test(token)) {
    const match = GLUED_WORD.exec(token);
    const glued = match?.[1] ?? match?.[2];
    if (!glued || STOP_WORDS.has(glued)) return [token];
    const stemmed = stem(glued);
    return stemmed.length > 0 ? [token, stemmed] : [token];
  }
  const stemmed = stem(token);
  return stemmed.length > 0 ? [stemmed] : NO_TERMS;
}

const NO_TERMS: readonly string[] = Object.freeze([]);

/**
 * Each token's terms, remembered: a text repeats its words, and one lookup replaces the stop-word
 * test, the pattern tests and the stemmer. Two generations bound the memory without forgetting
 * the frequent words when a build over a growing vocabulary fills the cache: when the young one
 * is full it becomes the old one, and a word found in the old one moves back to the young.
 */
let youngTerms = new Map<string, readonly string[]>();
let oldTerms = new Map<string, readonly string[]>();
const TERMS_GENERATION_LIMIT = 100_000;

function termsOfToken(token: string): readonly string[] {
  let terms = youngTerms.get(token);
  if (terms !== undefined) return terms;
  terms = oldTerms.get(token) ?? Object.freeze(termsOfTokenUncached(token));
  if (youngTerms.size >= TERMS_GENERATION_LIMIT) {
    oldTerms = youngTerms;
    youngTerms = new Map();
  }
  youngTerms.set(token, terms);
  return terms;
}

/**
 * The analysed terms of `text`, in text order and with repetitions: folded, stop words removed,
 * stemmed with the Italian Snowball stemmer. Never throws; returns [] when nothing is left.
 */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  forEachWord(text, (_word, wordTerms) => {
    for (const term of wordTerms) terms.push(term);
  });
  return terms;
}

/** A word of the text, folded, with the terms it gives (none for a stop word). */
export interface AnalysedWord {
  word: string;
  /** Shared between the occurrences of a word: never changed. */
  terms: readonly string[];
}

/**
 * The words of `text` with their terms, for typo correction, which works on whole words: a
 * typo often changes the stem ("intervsite" stems to intervs, "interviste" to intervist).
 */
export function analyzeWords(text: string): AnalysedWord[] {
  const words: AnalysedWord[] = [];
  forEachWord(text, (word, terms) => words.push({ word, terms }));
  return words;
}

/**
 * Calls `visit` with each word of `text` and its terms, as `analyzeWords` lists them, without
 * making an object per word.
 */
export function forEachWord(
  text: string,
  visit: (word: string, terms: readonly string[]) => void,
): void {
  forEachToken(text, (word) => visit(word, termsOfToken(word)));
}

/**
 * Calls `visit` with each word of `text`, folded, without its terms: for a caller that keeps the
 * terms of each distinct word itself (an index build) and asks `termsOfNewWord` once per word.
 */
export function forEachToken(text: string, visit: (word: string) => void): void {
  if (typeof text !== "string" || text.length === 0) return;
  let folded = foldText(text);
  // "32,8%" is a share as much as "32,8 per cento": the sign reads as the word a question uses
  // for it ("in che percentuale", "quale percentuale").
  if (folded.includes("%")) folded = folded.replaceAll("%", " percentuale ");
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(folded); match !== null; match = TOKEN.exec(folded)) {
    visit(match[0]);
  }
  if (LETTER_CODE_HINT.test(text)) {
    LETTER_CODE.lastIndex = 0;
    for (let match = LETTER_CODE.exec(text); match !== null; match = LETTER_CODE.exec(text)) {
      const acronym = foldText(match[1] ?? "");
      for (const letter of (match[2] ?? "").match(CAPITAL) ?? []) {
        visit(`${acronym}_${foldText(letter)}`);
      }
    }
  }
}

/**
 * An acronym in capitals followed by a single capital letter names one item of a list ("LEP O",
 * "LEP A, B e C"), and the letter alone is often a stop word ("a", "e", "o") or says nothing:
 * each pair is also a term of its own, "lep_o", so that "cosa prevede il LEP O?" finds the
 * passage about LEP O rather than any about LEP. Not before a word in capitals ("RISPETTO DEI
 * LEP E L'ATTUAZIONE" is a heading, not a code), nor an abbreviation ("ATTO N. 369", "GEPI
 * S.p.A.").
 */
const LETTER_CODE =
  /(?<![\p{L}\p{N}])(\p{Lu}{2,5})[ \t]+(\p{Lu}(?:[ \t]*,[ \t]*\p{Lu}|[ \t]+e[ \t]+\p{Lu})*)(?![\p{L}\p{N}'\u2019])(?!\s+\p{Lu}[\p{Lu}'\u2019])(?<!N(?=\.))(?!\.\p{L})/gu;
const CAPITAL = /\p{Lu}/gu;
/** A cheap test before LETTER_CODE: two capitals, a space, a capital. */
const LETTER_CODE_HINT = /\p{Lu}\p{Lu}[ \t]+\p{Lu}/u;
/**
 * A short word and a single letter, in any case, then punctuation or the end: a letter code as
 * typed in a chat ("e il lep o?"). Before another word the letter is read as typed: "i lep e i
 * cpi" is "and".
 */
const TYPED_CODE = /(?<![\p{L}\p{N}])(\p{L}{2,5})[ \t]+(\p{L})(?=[ \t]*(?:[?!.,;:)]|$))/gu;

/**
 * The question with each letter code the index knows written in capitals, as documents write
 * it: "cosa prevede il lep o?" becomes "cosa prevede il LEP O?" when some passage has `lep_o`.
 * A pair the index does not know as a code ("da a", "tra i") is left as typed.
 */
export function withKnownLetterCodes(text: string, knows: (term: string) => boolean): string {
  if (typeof text !== "string") return text;
  return text.replace(TYPED_CODE, (pair, word: string, letter: string) =>
    knows(`${foldText(word)}_${foldText(letter)}`)
      ? `${word.toUpperCase()} ${letter.toUpperCase()}`
      : pair,
  );
}

/** The terms of a word given by `forEachToken`, as `analyzeWords` gives them, not remembered. */
export function termsOfNewWord(word: string): readonly string[] {
  return termsOfTokenUncached(word);
}

/** The term of a single folded word, as `analyze` would give it; "" for a stop word. */
export function termOfWord(word: string): string {
  return termsOfToken(word)[0] ?? "";
}

/** True when `word` (already folded) is an Italian stop word for this analysis. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}
