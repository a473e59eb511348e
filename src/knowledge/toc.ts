// Finds tables of contents: lines with dot leaders and a page number, runs of titles ending in
// page numbers under "Indice"/"Sommario", and pages made mostly of such lines. They repeat the
// headings with page numbers, so they are kept out of breadcrumbs and out of the index.

export interface TocLine {
  text: string;
  page?: number;
  cells?: string[];
}

/** "11 Annullamento dichiarazione ........ 24", "Premessa . . . . 3", "Allegati ____ 40". */
const leaders = /(?:\.{4,}|(?:\.\s){3,}\.?|\u2026{2,}|_{5,})\s*\d{1,4}\s*$/;
/** A title ending in a page number: "2.1 Obiettivi del piano 14". */
const endsInPage = /^\D.*\p{L}\S*\s+\d{1,4}$/u;
const tocTitle = /^(?:indice(?:\s+generale)?|sommario|contenuti|indice dei contenuti)\s*:?$/i;

function isLeader(line: TocLine): boolean {
  return leaders.test(line.text);
}

function endsWithPage(line: TocLine): boolean {
  if (line.cells) {
    const cells = line.cells.filter((c) => c.trim() !== "");
    return cells.length === 2 && /^\d{1,4}$/.test(cells[1] ?? "") && /\p{L}/u.test(cells[0] ?? "");
  }
  return endsInPage.test(line.text) || isLeader(line);
}

/** Indices of table-of-contents lines (and their "Indice" title) to leave out. */
export function findTocLines(lines: TocLine[]): Set<number> {
  const found = new Set<number>();
  lines.forEach((line, i) => {
    if (isLeader(line)) found.add(i);
  });

  // Under an "Indice"/"Sommario" title: the run of lines ending in page numbers.
  lines.forEach((line, i) => {
    if (!tocTitle.test(line.text.trim())) return;
    const run: number[] = [];
    let blanks = 0;
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j] as TocLine;
      if (!next.text.trim()) {
        if (++blanks > 2 && run.length > 0) break;
        continue;
      }
      blanks = 0;
      if (!endsWithPage(next)) break;
      run.push(j);
    }
    if (run.length >= 2) {
      found.add(i);
      for (const j of run) found.add(j);
    }
  });

  // A page whose lines mostly end in page numbers is a contents page.
  const pages = new Map<number, number[]>();
  lines.forEach((line, i) => {
    if (line.page === undefined || !line.text.trim()) return;
    pages.set(line.page, [...(pages.get(line.page) ?? []), i]);
  });
  for (const indices of pages.values()) {
    const tocLike = indices.filter((i) => endsWithPage(lines[i] as TocLine));
    if (indices.length >= 4 && tocLike.length >= indices.length * 0.6) {
      for (const i of tocLike) found.add(i);
      for (const i of indices) if (tocTitle.test(lines[i]?.text.trim() ?? "")) found.add(i);
    }
  }

  // A run of three or more lines, two with leaders, is a contents list even without a title;
  // its lines without leaders (wrapped titles) go with it.
  for (let i = 0; i < lines.length; i++) {
    if (!found.has(i)) continue;
    let j = i;
    while (j + 1 < lines.length && (found.has(j + 1) || endsWithPage(lines[j + 1] as TocLine))) j++;
    const leadersInRun = lines.slice(i, j + 1).filter(isLeader).length;
    if (leadersInRun >= 2) for (let k = i; k <= j; k++) found.add(k);
    i = j;
  }
  return found;
}
