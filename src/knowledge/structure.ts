// Recognises the structure of a normalised document: which lines are headings (articles, linee,
// obiettivi specifici, schede, numbered sections, capitalised and markdown headings), how deep
// each one sits, and which lines are table rows, list items or running text.

export interface DocLine {
  /** Normalised text (see normalize.ts); empty for a blank line. */
  text: string;
  /** 1-based line number in the extracted text. */
  line: number;
  page?: number;
  markdownLevel?: number;
  bold: boolean;
  cells?: string[];
  /** Heading level from the PDF's fonts (1 = largest). */
  headingLevel?: number;
  /**
   * The line comes from positioned text with fonts: headings are known from size and weight,
   * so a short or capitalised line at body size is text, not a title.
   */
  layout?: boolean;
  /** A slide's line: the slide is one passage, never merged with another page. */
  slide?: boolean;
  /** Read by OCR from a scanned page. */
  ocr?: boolean;
}

export interface Heading {
  kind: "heading";
  /** Outer headings have smaller ranks; a heading closes every open heading of rank >= its own. */
  rank: number;
  /** Label for breadcrumbs ("Art. 3 – Trattamento dei dati personali"). */
  title: string;
  /** The heading as written, kept as the first line of its section's text. */
  text: string;
  /** Bare "LINEA 5" style headings repeated by page headers are recognised by this key. */
  key?: string;
  /** A numbered section's depth: 1 for "3. Titolo", 2 for "3.1 Titolo". */
  depth?: number;
  /** A numbered section's number without its final dot: "3", "3.1". */
  number?: string;
  /**
   * Headings labelled by one word and a number ("SCHEDA 3", "Modulo B") in one font: the word
   * and the level. A heading of the series is a sibling of the one before, however deep that
   * one's own numbered points went.
   */
  series?: string;
  lines: DocLine[];
}

export type Item =
  | Heading
  | { kind: "text"; line: DocLine; bullet: boolean }
  | { kind: "row"; line: DocLine }
  | { kind: "blank"; line: DocLine };

export const RANK = {
  part: 10,
  container: 20,
  scheda: 15,
  upper: 30,
  minor: 40,
  emphasis: 45,
  numbered: 50,
  objective: 60,
} as const;

const TITLE_MAX = 90;

const articlePattern = /^(?:ARTICOLO|Articolo)\s+(\d+)\s*(?:[-:.]\s*(.*))?$/;
const artPattern = /^Art\.\s*(\d+)\s*(?:[-:.]\s*(.*))?$/;
const lineaPattern = /^(?:LINEA|Linea)\s+0?(\d+[A-Z]?)\b\s*(?:[-:.]\s*(.*))?$/;
const objectivePattern =
  /^(?:OBIETTIVO SPECIFICO|Obiettivo specifico)\s+(\d+(?:\.\d+)*)\b\s*[-:.]?\s*(.*)$/;
const subdivision =
  /^(?:SEZIONE|Sezione|PARTE|Parte|TITOLO|Titolo|CAPO|Capo|ASSE|Asse|MISURA|Misura|AZIONE|Azione)\b/;
const schedaDates = /^Data inizio\s+\d{1,2}\/\d{1,2}\/\d{4}\s+Data fine\b/i;
const parenNumbered = /^(\d{1,2}(?:\.\d{1,2}){0,3})\)\s+(\S.*)$/;
const dotNumbered = /^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\p{Lu}.*)$/u;
const partPattern = /^(?:ALLEGATO|Allegato)(?:\s+[A-Z0-9]{1,3})?\s*$/;
/** "Capo II – Disposizioni generali", "TITOLO III", "Parte 2": divisions of an act. */
const divisionPattern =
  /^(PARTE|Parte|TITOLO|Titolo|CAPO|Capo)\s+([IVXL]{1,6}|\d{1,2})\b\s*(?:[-:.]\s*(.*))?$/;
const divisionRank: Record<string, number> = { parte: 16, titolo: 18, capo: 22 };
/** "Figura 25 -", "Tabella 3", "Grafico 2:", "Fonte: ISTAT": captions, never headings. */
export const captionPattern =
  /^(?:(?:Figura|Fig\.|Tabella|Tab\.|Grafico|Graf\.|Immagine|Schema|Prospetto|Illustrazione)\s*(?:n\.\s*)?\d+[a-z]?\b|Fonte\s*:)/i;
/** "LEGENDA - Obiettivi tematici…": a capitalised label word, a dash, a title. */
const labelledHeading = /^\p{Lu}{5,}\s+-\s+\S.{0,110}$/u;
const endsSentence = /[.;:!?]$/;
const amount = /€|\d{1,3}(?:\.\d{3})+(?:,\d+)?/;
/** "SCHEDA 1", "Modulo B", "CAPITOLO IV": a label word and a number, with no title. */
const bareLabel = /^(\p{Lu}\p{L}{2,19})\s+(\d{1,3}|[IVXLC]{1,6}|[A-Z])[.:]?$/u;

const lowerStart = (text: string) => /^[\p{Ll}(]/u.test(text);
const isBullet = (text: string) => text.startsWith("- ");

/** Share of letters that are upper case. */
function upperRatio(text: string): number {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return 0;
  return (
    letters.filter((c) => c === c.toUpperCase() && c !== c.toLowerCase()).length / letters.length
  );
}

export function isUppercaseHeading(text: string): boolean {
  if (text.length > 160 || isBullet(text) || amount.test(text)) return false;
  // A title does not end like a sentence or start with a parenthesis.
  if (/[.;,]$/.test(text) || text.startsWith("(")) return false;
  const words = text.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w));
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  return words.length >= 2 && letters >= 6 && upperRatio(text) >= 0.8;
}

const smallWords = new Set(
  "a ad al alla alle agli ai all con da dal dalla dalle dei degli del della delle di e ed gli i il in la le lo nel nella nelle negli nei o per su sul sulla tra fra un una uno dell nell sull dall".split(
    " ",
  ),
);
const regionNames =
  "abruzzo basilicata calabria campania emilia romagna friuli venezia giulia lazio liguria lombardia marche molise piemonte puglia sardegna sicilia toscana trentino alto adige umbria valle aosta veneto italia".split(
    " ",
  );

/** How the document's running text writes its words: folded to lower case, by case written. */
interface WrittenCase {
  lower: Set<string>;
  upper: Set<string>;
}

/** The words of the document being structured, as its running text writes them. */
let documentCase: WrittenCase | null = null;

/** Words of lines that are not set in capitals, by the case they are written in. */
function writtenCase(lines: DocLine[]): WrittenCase {
  const found: WrittenCase = { lower: new Set(), upper: new Set() };
  for (const line of lines) {
    if (!line.text || upperRatio(line.text) >= 0.5) continue;
    for (const word of line.text.match(/\p{L}{2,}/gu) ?? []) {
      const lower = word.toLowerCase();
      if (word === lower) found.lower.add(lower);
      else if (word === word.toUpperCase()) found.upper.add(lower);
    }
  }
  return found;
}

/**
 * "RAFFORZAMENTO DEI SERVIZI PER IL LAVORO E RDC" → "Rafforzamento dei servizi per il lavoro e RDC".
 * Short all-capital words and words ending in a consonant are kept as acronyms (CPI, ANPAL),
 * unless the document's running text writes the word in lower case and never in capitals:
 * "UN COMPUTER PORTATILE" → "Un computer portatile", "IN CUI PUÒ" → "In cui può".
 */
export function sentenceCase(text: string): string {
  if (upperRatio(text) < 0.8) return text;
  let first = true;
  return text.replace(/\p{L}[\p{L}\p{N}.]*/gu, (word) => {
    const lower = word.toLowerCase();
    const isFirst = first;
    first = false;
    const plainWord = Boolean(documentCase?.lower.has(lower) && !documentCase.upper.has(lower));
    const keepAcronym =
      !plainWord &&
      !smallWords.has(lower) &&
      (word.length <= 3 || /[^aeiouàèéìòù.]$/i.test(word) || /\d|\./.test(word));
    if (regionNames.includes(lower)) return word[0] + lower.slice(1);
    if (word.length === 1 && !isFirst) return lower;
    if (keepAcronym && !(isFirst && word.length > 3 && /[aeiou]$/i.test(word))) return word;
    return isFirst ? (lower[0]?.toUpperCase() ?? "") + lower.slice(1) : lower;
  });
}

function shorten(text: string, max = TITLE_MAX): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max - 15)).replace(/[\s,;:-]+$/, "")}…`;
}

function label(prefix: string, title: string): string {
  const clean = title.replace(/^[\s\-:.]+|[\s:;,]+$/g, "");
  return clean ? `${prefix} – ${shorten(sentenceCase(clean))}` : prefix;
}

/** Index of the next non-blank line at or after `from`, or -1. */
function nextText(lines: DocLine[], from: number, maxBlanks = 3): number {
  let blanks = 0;
  for (let i = from; i < lines.length; i++) {
    if (lines[i]?.text) return i;
    if (++blanks > maxBlanks) return -1;
  }
  return -1;
}

/** Following lines until a blank line, up to `maxLines` and `maxChars`, for wrapped titles. */
function titleContinuation(lines: DocLine[], from: number, maxLines: number, maxChars: number) {
  const taken: DocLine[] = [];
  let length = 0;
  for (let i = from; i < lines.length && taken.length < maxLines; i++) {
    const line = lines[i];
    if (!line?.text || line.cells || isBullet(line.text) || /^\d+(\.\d+)+\s/.test(line.text)) break;
    length += line.text.length + 1;
    if (length > maxChars) return [];
    taken.push(line);
  }
  return taken;
}

interface Detected {
  heading: Omit<Heading, "kind" | "lines">;
  /** How many lines (from the current one, blanks included) the heading uses. */
  span: number;
}

/**
 * A label line set as a heading ("SCHEDA 1", alone in a bold font) with its title on the next
 * heading line: one heading, "Scheda 1 – Fattori di rischio…". Apart, the label would be an
 * empty section and be lost.
 */
function labelledTitle(
  lines: DocLine[],
  i: number,
  series?: Map<string, number>,
): Detected | undefined {
  const line = lines[i] as DocLine;
  const match = bareLabel.exec(line.text);
  if (!match?.[1] || !match[2]) return undefined;
  const styled = line.headingLevel !== undefined || (!line.layout && line.bold);
  // "SCHEDA 8" left in body type by a slip goes on the series its bold siblings opened.
  const known = !styled && line.layout ? series?.get(match[1].toLowerCase()) : undefined;
  if (!styled && known === undefined) return undefined;
  const next = nextText(lines, i + 1, 1);
  const title = next >= 0 ? lines[next] : undefined;
  if (!title || title.cells || title.text.length > 200 || /[.;,]$/.test(title.text)) {
    return undefined;
  }
  if (isBullet(title.text) || bareLabel.test(title.text) || listStartPattern.test(title.text)) {
    return undefined;
  }
  const titleStyled =
    line.headingLevel !== undefined
      ? title.headingLevel !== undefined
      : title.bold || title.headingLevel !== undefined || isUppercaseHeading(title.text);
  if (!titleStyled) return undefined;
  const word = match[1];
  const prefix = `${word[0]}${word.slice(1).toLowerCase()} ${match[2]}`;
  const level = line.headingLevel ?? known ?? 0;
  return {
    heading: {
      rank: line.layout ? RANK.part + 2 * level : RANK.scheda,
      title: label(prefix, title.text),
      text: `${line.text} – ${title.text}`,
      series: `${word.toLowerCase()}@${level}`,
    },
    span: next - i + 1,
  };
}

const listStartPattern = /^(?:\d{1,2}(?:\.\d{1,2}){0,3}[.)]?|[a-z][.)])\s+\S/;

/** Splits normalised lines into headings, table rows, list items and text. */
export function detectStructure(lines: DocLine[]): Item[] {
  documentCase = writtenCase(lines);
  try {
    return detectItems(lines);
  } finally {
    documentCase = null;
  }
}

function detectItems(lines: DocLine[]): Item[] {
  const typicalLength = median(lines.filter((l) => l.text.length > 20).map((l) => l.text.length));
  const upperCounts = new Map<string, number>();
  for (const line of lines) {
    if (isUppercaseHeading(line.text)) {
      upperCounts.set(line.text, (upperCounts.get(line.text) ?? 0) + 1);
    }
  }
  const schedaTitles = findSchedaTitles(lines);
  const series = new Map<string, number>();
  lines.forEach((line, i) => {
    if (line.headingLevel === undefined) return;
    const word = bareLabel.exec(line.text)?.[1]?.toLowerCase();
    if (word && !series.has(word) && labelledTitle(lines, i)) series.set(word, line.headingLevel);
  });

  const items: Item[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i] as DocLine;
    if (!line.text) {
      items.push({ kind: "blank", line });
      i++;
      continue;
    }
    if (line.cells) {
      items.push({ kind: "row", line });
      i++;
      continue;
    }
    const scheda = schedaTitles.get(i);
    const detected =
      scheda ?? detectHeading(lines, i, { series, typicalLength, upperCounts, items });
    if (detected) {
      const used = lines.slice(i, i + detected.span).filter((l) => l.text);
      items.push({ kind: "heading", ...detected.heading, lines: used });
      i += detected.span;
      continue;
    }
    items.push({ kind: "text", line, bullet: isBullet(line.text) });
    i++;
  }
  return markContainers(items);
}

/** The 1–2 capitalised lines right above "Data inizio dd/mm/yyyy Data fine dd/mm/yyyy". */
function findSchedaTitles(lines: DocLine[]): Map<number, Detected> {
  const found = new Map<number, Detected>();
  lines.forEach((line, i) => {
    if (!schedaDates.test(line.text)) return;
    const above: number[] = [];
    for (let j = i - 1; j >= 0 && above.length < 2 && i - j <= 4; j--) {
      const text = lines[j]?.text ?? "";
      if (!text) continue;
      if (upperRatio(text) < 0.6 || schedaDates.test(text)) break;
      // "PIANO OPERATIVO … / SEZIONE 1 …": a subdivision line names its programme above it.
      if (above.length === 1 && !subdivision.test(lines[above[0] as number]?.text ?? "")) break;
      above.unshift(j);
    }
    const start = above[0];
    if (start === undefined) return;
    const text = above.map((j) => lines[j]?.text ?? "").join(" ");
    const title = shorten(sentenceCase(text.replace(/\s*-\s*$/, "")), 140);
    found.set(start, { heading: { rank: RANK.scheda, title, text }, span: i - start });
  });
  return found;
}

interface Context {
  /** Label words of the labelled headings set in a heading font, with their level. */
  series: Map<string, number>;
  typicalLength: number;
  upperCounts: Map<string, number>;
  items: Item[];
}

function detectHeading(lines: DocLine[], i: number, context: Context): Detected | undefined {
  const line = lines[i] as DocLine;
  const text = line.text;

  if (line.markdownLevel) {
    return {
      heading: { rank: RANK.part + 2 * line.markdownLevel, title: shorten(text), text },
      span: 1,
    };
  }
  if (partPattern.test(text)) {
    return { heading: { rank: RANK.part, title: text, text }, span: 1 };
  }
  if (captionPattern.test(text)) return undefined;
  // A slide is one section under its title: its numbered steps and short lines are its text.
  if (line.slide && line.headingLevel === undefined) return undefined;

  const division = divisionPattern.exec(text);
  if (division?.[1] && division[2] && (division[3] ?? "").length <= 120) {
    const word = division[1].toLowerCase();
    const prefix = `${word[0]?.toUpperCase()}${word.slice(1)} ${division[2]}`;
    return {
      heading: {
        rank: divisionRank[word] ?? RANK.container,
        title: label(prefix, division[3] ?? ""),
        text,
      },
      span: 1,
    };
  }

  const article = articlePattern.exec(text) ?? artPattern.exec(text);
  if (article?.[1] && (article[2] ?? "").length <= 120) {
    let title = article[2] ?? "";
    let span = 1;
    if (!title) {
      const next = nextText(lines, i + 1, 2);
      const candidate = next >= 0 ? (lines[next]?.text ?? "") : "";
      if (
        candidate &&
        candidate.length <= 100 &&
        !/[.;]$/.test(candidate) &&
        !isBullet(candidate)
      ) {
        title = candidate;
        span = next - i + 1;
      }
    }
    const headingText = lines
      .slice(i, i + span)
      .map((l) => l.text)
      .filter(Boolean)
      .join(" ");
    return {
      heading: {
        rank: RANK.numbered,
        title: label(`Art. ${article[1]}`, title),
        text: headingText,
      },
      span,
    };
  }

  const linea = lineaPattern.exec(text);
  if (linea?.[1] && (linea[2] ?? "").length <= 200) {
    const following = titleContinuation(lines, i + 1, 2, 200);
    const stop = following.findIndex((l) => !/^\p{Ll}/u.test(l.text));
    const continuation = stop < 0 ? following : following.slice(0, stop);
    const title = [linea[2] ?? "", ...continuation.map((l) => l.text)]
      .join(" ")
      .replace(/(?:\s+[\d.,]{4,})+$/, "")
      .trim();
    const headingText = [text, ...continuation.map((l) => l.text)].join(" ");
    const key = `linea:${linea[1]}`;
    return {
      heading: {
        rank: RANK.numbered,
        title: label(`Linea ${linea[1]}`, title),
        text: headingText,
        key,
      },
      span: 1 + continuation.length,
    };
  }

  const objective = objectivePattern.exec(text);
  if (objective?.[1]) {
    const continuation = objective[2] ? [] : titleContinuation(lines, i + 1, 4, 300);
    const title = [objective[2] ?? "", ...continuation.map((l) => l.text)].join(" ").trim();
    return {
      heading: {
        rank: RANK.objective,
        title: label(`Obiettivo specifico ${objective[1]}`, title),
        text: [text, ...continuation.map((l) => l.text)].join(" "),
      },
      span: 1 + continuation.length,
    };
  }

  const titled = labelledTitle(lines, i, context.series);
  if (titled) return titled;

  // In positioned text a numbered list item ("1) allegare il modulo;") is body text at body size.
  const listItem =
    line.layout && line.headingLevel === undefined && (text.length > 100 || /[.;,]$/.test(text));
  // A numbered line whose font makes it a heading needs no blank lines around it to be one.
  const fontNumbered = line.headingLevel !== undefined ? dotNumbered.exec(text) : null;
  const found = listItem
    ? null
    : (parenNumbered.exec(text) ?? fontNumbered ?? standaloneDotNumbered(lines, i));
  // Known by its number alone, the heading is that one line: text may follow without a blank.
  const successor = found || listItem ? null : nextSectionNumber(text, context.items);
  const numbered = found ?? successor;
  if (numbered?.[1]) {
    // A title set in a heading font wraps onto lines in the same font, never onto body text.
    const continuation = successor
      ? []
      : titleContinuation(lines, i + 1, 3, 250).filter(
          (_line, k, all) =>
            line.headingLevel === undefined ||
            all.slice(0, k + 1).every((c) => c.headingLevel === line.headingLevel),
        );
    const full = [text, ...continuation.map((l) => l.text)].join(" ");
    if (full.length <= 300) {
      const depth = numbered[1].split(".").length;
      const title = shorten(sentenceCase(full.replace(/\s*[:.;]$/, "")));
      return {
        heading: {
          rank: RANK.numbered + 2 + 5 * (depth - 1),
          title,
          text: full,
          depth,
          number: numbered[1],
        },
        span: 1 + continuation.length,
      };
    }
  }

  if (line.headingLevel !== undefined && text.length <= 250) {
    return {
      heading: {
        rank: RANK.part + 2 * line.headingLevel,
        title: shorten(sentenceCase(text)),
        text,
      },
      span: 1,
    };
  }
  // Positioned text has its headings from fonts: what follows are guesses for plain text.
  if (line.layout) return undefined;

  // A bold line ending in a colon introduces the paragraph or list below it (see layout.ts).
  if (line.bold && text.length <= 250 && !text.endsWith(":")) {
    const title = shorten(text.replace(/^- /, "").replace(/[.:]$/, ""));
    return { heading: { rank: RANK.emphasis, title, text: text.replace(/^- /, "") }, span: 1 };
  }

  if (isUppercaseHeading(text)) {
    const next = nextText(lines, i + 1, 1);
    const nextLine = next >= 0 ? lines[next] : undefined;
    const adjacentUpper =
      next === i + 1 &&
      nextLine !== undefined &&
      isUppercaseHeading(nextLine.text) &&
      text.length + nextLine.text.length < 200;
    const joins =
      nextLine &&
      !nextLine.cells &&
      nextLine.text.length <= 80 &&
      (lowerStart(nextLine.text) || /-$/.test(text) || adjacentUpper) &&
      !lineaPattern.test(nextLine.text) &&
      !schedaDates.test(nextLine.text);
    const lastWord = text.split(" ").at(-1)?.toLowerCase() ?? "";
    // "… DEI PROCESSI DI TRASFORMAZIONE E" wraps a sentence: a title never ends on "e", "di".
    if (!joins && smallWords.has(lastWord)) return undefined;
    const full = joins ? `${text} ${nextLine.text}` : text;
    const repeats = context.upperCounts.get(text) ?? 0;
    return {
      heading: {
        rank: repeats >= 3 ? RANK.minor : RANK.upper,
        title: shorten(sentenceCase(full.replace(/\s*[-:]\s*$/, ""))),
        text: full,
      },
      span: joins ? next - i + 1 : 1,
    };
  }

  const labelled = labelledHeading.exec(text);
  if (labelled && !lines[i + 1]?.text) {
    return { heading: { rank: RANK.upper, title: shorten(sentenceCase(text)), text }, span: 1 };
  }

  if (isTitleLine(lines, i, context)) {
    return { heading: { rank: RANK.minor, title: shorten(text), text }, span: 1 };
  }
  return undefined;
}

/**
 * "5.1.3 Azienda utilizzatrice" right after the heading "5.1.2 Dati azienda" (or "5.1", or "5.1.2.4"):
 * a short unpunctuated line carrying the number that comes next in the outline is its next
 * heading, even when it is set in the body font and text follows it without a blank line. Only
 * sub-section numbers ("5.1.3", not "3."), which lists do not use.
 */
function nextSectionNumber(text: string, items: Item[]): RegExpExecArray | null {
  const match = dotNumbered.exec(text);
  if (!match?.[1]?.includes(".") || text.length > 90 || /[.;:,]$/.test(text)) {
    return null;
  }
  const last = [...items].reverse().find((item) => item.kind === "heading" && item.number);
  const previous = last?.kind === "heading" ? last.number : undefined;
  if (!previous) return null;
  return numbersAfter(previous).has(match[1]) ? match : null;
}

/** The numbers that may come after section `number` in an outline: "5.1.2" → 5.1.2.1, 5.1.3, 5.2, 6. */
export function numbersAfter(number: string): Set<string> {
  const parts = number.split(".").map(Number);
  const expected = new Set<string>([[...parts, 1].join(".")]);
  for (let k = parts.length; k >= 1; k--) {
    const head = parts.slice(0, k);
    head[k - 1] = (head[k - 1] ?? 0) + 1;
    expected.add(head.join("."));
  }
  return expected;
}

/** "2.1 Titolo" or "1. Titolo" standing alone as a short paragraph of its own. */
function standaloneDotNumbered(lines: DocLine[], i: number): RegExpExecArray | null {
  const text = lines[i]?.text ?? "";
  if (text.length > 70 || text.split(" ").length > 10 || /[.;:,!?]$/.test(text)) return null;
  if (lines[i - 1]?.text || lines[i + 1]?.text) return null;
  const next = nextText(lines, i + 1);
  const nextLine = next >= 0 ? lines[next]?.text : undefined;
  if (!nextLine || (nextLine.length < 40 && !isBullet(nextLine))) return null;
  if (dotNumbered.test(nextLine) || lowerStart(nextLine)) return null;
  return dotNumbered.exec(text);
}

/**
 * A short title-like line standing alone: it follows the end of a paragraph (or a heading),
 * is followed by a blank line and by a real paragraph or list, and does not end like a sentence.
 */
function isTitleLine(lines: DocLine[], i: number, context: Context): boolean {
  const text = lines[i]?.text ?? "";
  const words = text.split(" ");
  if (!/^\p{Lu}/u.test(text) || isBullet(text) || text.length > TITLE_MAX) return false;
  if (words.length > 12 || /[.,;:!?]$/.test(text) || amount.test(text)) return false;
  if (words.length === 1 && (text.length < 5 || /\d/.test(text))) return false;
  if ((text.match(/\d/g) ?? []).length > 4) return false;
  if (lines[i + 1]?.text) return false;
  const next = nextText(lines, i + 1);
  const nextLine = next >= 0 ? lines[next]?.text : undefined;
  if (
    !nextLine ||
    (nextLine.length < Math.min(40, context.typicalLength * 0.6) && !isBullet(nextLine))
  )
    return false;
  // A sentence broken by a blank line goes on in lower case: not a title.
  if (lowerStart(nextLine)) return false;
  const previous = [...context.items].reverse().find((item) => item.kind !== "blank");
  if (!previous || previous.kind === "heading") return true;
  if (previous.kind === "row") return true;
  return endsSentence.test(previous.line.text);
}

/** An uppercase heading followed directly by another heading opens a part of the document. */
function markContainers(items: Item[]): Item[] {
  const out: Item[] = [];
  for (let k = 0; k < items.length; k++) {
    const item = items[k] as Item;
    if (item.kind !== "heading" || item.rank !== RANK.upper) {
      out.push(item);
      continue;
    }
    let n = k + 1;
    while (items[n]?.kind === "blank") n++;
    const next = items[n];
    if (next?.kind === "heading" && next.key?.startsWith("linea:") && next.title.indexOf("–") < 0) {
      // A bare "LINEA 5" right under a capitalised title: the title names the linea.
      out.push({
        ...next,
        title: label(next.title, item.text),
        text: `${item.text}\n${next.text}`,
        lines: [...item.lines, ...next.lines],
      });
      k = n;
      continue;
    }
    if (next?.kind === "heading" && next.rank <= RANK.upper && next.rank > RANK.part) {
      out.push({ ...item, rank: RANK.container });
      continue;
    }
    out.push(item);
  }
  return out;
}

function median(values: number[]): number {
  if (values.length === 0) return 60;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 60;
}
