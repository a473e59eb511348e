// Where a sentence ends in Italian administrative text: after a full stop, question or
// exclamation mark or semicolon, but not after the abbreviations that legal and administrative
// references are made of ("L. 68/99", "art. 3", "n. 150", "D.Lgs. 81/2008", "c. 2", "prof. Del
// Conte"). Shared by segmentation (chunk cuts, the overlap carried to the next chunk) and by the
// answer's sentence picking.

/**
 * Abbreviations after which a full stop does not end the sentence, written lower case without
 * inner dots ("D.Lgs." → dlgs). A single letter ("L.", "n.", "c.", an initial) never ends one.
 */
const ABBREVIATIONS: ReadonlySet<string> = new Set(
  (
    "art artt nn co cc lett par parr pag pagg cap all cfr es sig sigg dott dottssa " +
    "prof profssa ing avv geom arch rag on sen rif prot reg regg cod tab fig vol ca tel nr num " +
    "cd sez ss sgg dl dlgs dlg dpr dpcm dm dgr dgp dd lr dlgt cost disp ult " +
    "spa srl snc sas scarl onlus coop soc ass assoc min dip dipt univ ist"
  ).split(" "),
);

/** The word just before the full stop at `text[end]`, dots inside it removed ("D.Lgs" → dlgs). */
function wordBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && /[\p{L}\p{N}.]/u.test(text[start - 1] ?? "")) start--;
  return text.slice(start, end).replaceAll(".", "").toLowerCase();
}

/** True when the full stop at `text[index]` closes an abbreviation, not a sentence. */
export function isAbbreviationStop(text: string, index: number): boolean {
  if (text[index] !== ".") return false;
  const word = wordBefore(text, index);
  if (word.length === 0) return false;
  if (/^\p{L}$/u.test(word)) return true;
  return ABBREVIATIONS.has(word);
}

const END = /[.;!?]["')\u201D\u00BB]?\s+/gu;

/**
 * Cuts `text` after each sentence end that is followed by a character matching `next`
 * (a capital letter, a digit, a bullet …), skipping full stops that close an abbreviation.
 * The pieces keep their wording; whitespace at the cuts is dropped.
 */
export function splitAtSentenceEnds(text: string, next: RegExp): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const match of text.matchAll(END)) {
    const stop = match.index;
    const after = stop + match[0].length;
    if (after >= text.length || !next.test(text[after] ?? "")) continue;
    if (isAbbreviationStop(text, stop)) continue;
    const piece = text.slice(start, stop + match[0].trimEnd().length);
    if (piece.trim()) pieces.push(piece.trim());
    start = after;
  }
  const rest = text.slice(start).trim();
  if (rest) pieces.push(rest);
  return pieces;
}
