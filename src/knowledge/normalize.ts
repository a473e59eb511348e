// Character-level clean-up of one extracted line: Unicode forms, typographic punctuation,
// bullet glyphs and markdown/HTML residue. Line structure (joins, headers) is handled elsewhere.

/** The one bullet marker every list item is rewritten to. */
export const BULLET = "- ";

const characterMap: Array<[RegExp, string]> = [
  // Apostrophes and primes: exact-match search must not depend on which one the author typed.
  [/[\u2018\u2019\u201A\u201B\u2032\u00B4]/g, "'"],
  [/[\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033]/g, '"'],
  // Hyphens, figure dash (used as bullet in extracted PDFs), en and em dashes, minus sign.
  [/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g, "-"],
  [/[\u00A0\u2007\u202F\u2009\u200A\u2002\u2003]/g, " "],
  [/\u200B|\u200C|\u200D|\uFEFF|\u00AD/g, ""],
  [/\u2026/g, "..."],
];

// Glyphs that only ever start a list item. \uf0xx are Symbol/Wingdings code points from PDFs.
const bulletGlyphs = /^\s*[•·▪▫►▶➤➢➔✓✔☑❖◦■□●○\u2043\u2219\uf0fc\uf0b7\uf0a7\uf0d8\uf076\uf0e0]\s*/;
// Wingdings bullets decoded as letters ("o", "ü") — only before an item that starts like one,
// so the Italian conjunction "o" wrapped to the start of a line is left alone.
const letterBullets = /^\s*[oü§]\s+(?=["'(0-9A-ZÀ-ÖØ-Ý])/;
const dashBullet = /^\s*[-*+]\s+/;

const htmlEntities: Record<string, string> = {
  "&nbsp;": " ",
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&apos;": "'",
};

/** NFC and the typographic-character map, nothing else. */
export function normalizeCharacters(text: string): string {
  let out = text.normalize("NFC");
  for (const [pattern, replacement] of characterMap) out = out.replace(pattern, replacement);
  return out;
}

/** Removes markdown emphasis, links, inline code and HTML tags left by DOCX/HTML conversion. */
export function stripMarkup(text: string): string {
  return text
    .replace(/<\/?[a-zA-Z][^<>]*>/g, " ")
    .replace(/&(?:nbsp|amp|lt|gt|quot|apos|#39);/g, (entity) => htmlEntities[entity] ?? entity)
    .replace(/\[([^\]]+)\]\((?:[^)\s]+)\)/g, "$1")
    .replace(/\*\*([^*]*)\*\*/g, "$1")
    .replace(/__([^_]+)__/g, "$1")
    .replace(/(^|[\s(])\*(\S(?:[^*]*\S)?)\*(?=$|[\s).,;:!?'"])/g, "$1$2")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\*\*/g, "");
}

/** Rewrites any bullet glyph at the start of the line to BULLET; "- ✓ x" becomes "- x". */
export function normalizeBullet(text: string): string {
  let out = text;
  let bulleted = false;
  for (let i = 0; i < 3; i++) {
    const match = bulletGlyphs.exec(out) ?? letterBullets.exec(out) ?? dashBullet.exec(out);
    if (!match) break;
    out = out.slice(match[0].length);
    bulleted = true;
  }
  return bulleted ? BULLET + out : out;
}

export interface NormalizedLine {
  text: string;
  /** Markdown heading level (1–6) when the raw line was `# …`. */
  markdownLevel?: number;
  /** The whole line was bold (`**…**`, possibly after a bullet): an emphasised heading. */
  bold: boolean;
  /** Cells of a tab-separated or pipe table row, after clean-up. */
  cells?: string[];
}

const markdownHeading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const boldLine = /^\s*(?:[-*+•➤►✓]\s*)*\*\*([^*]+)\*\*\s*[.:]?\s*$/;
const tableSeparator = /^[\s|:=+\-_]*$/;

function cleanCell(cell: string): string {
  return normalizeBullet(stripMarkup(cell).replace(/\s+/g, " ").trim()).trim();
}

/**
 * Normalises one raw line. Leading spaces are dropped (page breaks in extracted text show up
 * as one leading space, which carries no meaning for a reader); runs of spaces collapse.
 */
export function normalizeLine(raw: string): NormalizedLine {
  const chars = normalizeCharacters(raw);
  if (chars.includes("\t") || /^\s*\|.*\|.*\|?\s*$/.test(chars)) {
    const parts = chars.includes("\t")
      ? chars.split("\t")
      : chars
          .trim()
          .replace(/^\||\|$/g, "")
          .split("|");
    const cells = parts.map(cleanCell);
    if (cells.filter((cell) => cell.length > 0).length >= 1 && !tableSeparator.test(chars)) {
      return { text: cells.filter((cell) => cell.length > 0).join(" | "), bold: false, cells };
    }
    if (tableSeparator.test(chars.replace(/\t/g, " "))) return { text: "", bold: false };
  }
  const heading = markdownHeading.exec(chars);
  if (heading?.[1] && heading[2] !== undefined) {
    const text = stripMarkup(heading[2]).replace(/\s+/g, " ").trim();
    return { text, bold: false, markdownLevel: heading[1].length };
  }
  const bold = boldLine.test(chars);
  const text = normalizeBullet(stripMarkup(chars)).replace(/\s+/g, " ").trim();
  return { text: text === "-" ? "" : text, bold };
}

/** Lower-case, accents folded, every run of non-alphanumerics one space: the matching form. */
export function foldForMatch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
