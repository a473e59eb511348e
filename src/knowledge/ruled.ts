// Tables drawn with ruling lines: the grid that a page's horizontal and vertical rules make
// (cell borders stroked, or cells filled), and the text items each of its cells encloses. Text
// positions alone cannot tell a vertically centred one-line cell from a row of its own; the
// drawn borders can. Pure geometry in layout coordinates (points, y from the bottom of the
// page): pdf.ts reads the rules from the page's drawing, layout.ts writes the cells as rows.
import type { PositionedItem } from "./layout.js";

/** A straight horizontal or vertical rule: at `at` (its y or x), from `from` to `to` along it. */
export interface Rule {
  horizontal: boolean;
  at: number;
  from: number;
  to: number;
}

/** A table found from its rules, with the items of each cell. */
export interface Grid {
  top: number;
  bottom: number;
  left: number;
  right: number;
  /**
   * Rows top to bottom, each with one entry a column: the cell's items (repeated on every row
   * of a cell spanning rows), or null under a cell spanning columns from its left.
   */
  rows: Array<Array<PositionedItem[] | null>>;
  /** The items its rows hold, to be left out of the page's lines (text in its frame stays). */
  items: Set<PositionedItem>;
}

/** Rules this close (points) are one; ends this close to a rule meet it. */
const TOLERANCE = 3;
/** Bands between rules thinner than this hold no text: a double border. */
const MIN_BAND = 4;
/** Shorter strokes are ticks, glyph parts or underlines' ends, not borders. */
const MIN_RULE = 4;
/** A page drawn with more rules than this is a chart or a map: not looked at. */
export const MAX_RULES = 3000;
/** A strip of a column this wide (points) that no text crosses may part it. */
const MIN_GUTTER = 8;
/** Share of a table's cells that hold text, at least. */
const MIN_FILLED = 0.5;
/**
 * A cell across the whole table, at its top or bottom, with more lines than this is text in
 * its frame, not a row...
 */
const MAX_ACROSS_LINES = 3;
/** ...or more characters than this. */
const MAX_ACROSS_CHARS = 160;
/** A grid whose usual cell holds more lines than this is a page laid out in frames. */
const MAX_CELL_LINES = 15;
/** Share of a grid's items that may run across a column border (text set over lines, not a table). */
const MAX_CROSSING = 0.1;

/**
 * Whether a page's text could be a ruled table's: items side by side, their heights
 * overlapping, on at least two rows (cells set vertically centred), two short ones side by side
 * among them (a header's labels, short cells; two columns of prose are long lines side by side).
 * Only such pages have their drawing read, which costs about half as much again as their text.
 */
export function mayHoldTable(items: PositionedItem[]): boolean {
  const sorted = [...items].sort((a, b) => b.y - a.y);
  const short = (item: PositionedItem) => item.str.trim().split(/\s+/).length < 5;
  let rows = 0;
  let labels = false;
  let lastY = Number.POSITIVE_INFINITY;
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] as PositionedItem;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j] as PositionedItem;
      const size = Math.max(a.size, b.size);
      if (a.y - b.y > 0.8 * size) break;
      const gap = Math.max(b.x - (a.x + a.width), a.x - (b.x + b.width));
      if (gap < size) continue;
      if (lastY - a.y > size) {
        rows++;
        lastY = a.y;
      }
      labels ||= short(a) && short(b);
      if (rows >= 2 && labels) return true;
    }
  }
  return false;
}

/** Tables whose rules make a grid of two columns and two rows at least, each holding text. */
export function findGrids(items: PositionedItem[], rules: Rule[]): Grid[] {
  if (rules.length === 0 || rules.length > MAX_RULES || items.length === 0) return [];
  const horizontal = mergeRules(rules.filter((r) => r.horizontal));
  const vertical = mergeRules(rules.filter((r) => !r.horizontal));
  if (horizontal.length < 2 || vertical.length < 1) return [];
  const grids: Grid[] = [];
  const taken = new Set<PositionedItem>();
  const components = connected(horizontal, vertical)
    .map((c) => ({ ...c, box: boxOf(c.horizontal, c.vertical) }))
    .sort((a, b) => area(b.box) - area(a.box));
  for (const component of components) {
    if (component.horizontal.length < 2 || component.vertical.length < 1) continue;
    // A smaller grid inside a larger table (a table nested in a cell) is read with it.
    if (grids.some((g) => overlaps(g, component.box))) continue;
    const grid = gridOf(
      component.horizontal,
      component.vertical,
      items.filter((item) => !taken.has(item)),
    );
    if (!grid) continue;
    for (const item of grid.items) taken.add(item);
    grids.push(grid);
  }
  return grids.sort((a, b) => b.top - a.top);
}

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

const area = (b: Box) => (b.right - b.left) * (b.top - b.bottom);
const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.bottom < b.top && b.bottom < a.top;

function boxOf(horizontal: Rule[], vertical: Rule[]): Box {
  const all = [...horizontal, ...vertical];
  const xs = [...vertical.map((r) => r.at), ...horizontal.flatMap((r) => [r.from, r.to])];
  const ys = [...horizontal.map((r) => r.at), ...vertical.flatMap((r) => [r.from, r.to])];
  return all.length === 0
    ? { top: 0, bottom: 0, left: 0, right: 0 }
    : {
        top: Math.max(...ys),
        bottom: Math.min(...ys),
        left: Math.min(...xs),
        right: Math.max(...xs),
      };
}

/** Rules on one line that overlap or nearly touch are one (borders drawn cell by cell). */
function mergeRules(rules: Rule[]): Rule[] {
  const sorted = rules
    .filter((r) => r.to - r.from >= MIN_RULE)
    .sort((a, b) => a.at - b.at || a.from - b.from);
  const out: Rule[] = [];
  let group: Rule[] = [];
  const flush = () => {
    if (group.length === 0) return;
    const at = group.reduce((sum, r) => sum + r.at, 0) / group.length;
    const pieces: Rule[] = [];
    for (const r of group.sort((a, b) => a.from - b.from)) {
      const last = pieces.at(-1);
      if (last && r.from <= last.to + TOLERANCE) last.to = Math.max(last.to, r.to);
      else pieces.push({ horizontal: r.horizontal, at, from: r.from, to: r.to });
    }
    out.push(...pieces);
    group = [];
  };
  for (const rule of sorted) {
    if (group.length > 0 && rule.at - (group[0] as Rule).at > TOLERANCE) flush();
    group.push(rule);
  }
  flush();
  return out;
}

const meets = (h: Rule, v: Rule) =>
  v.at >= h.from - TOLERANCE &&
  v.at <= h.to + TOLERANCE &&
  h.at >= v.from - TOLERANCE &&
  h.at <= v.to + TOLERANCE;

/** Sets of `0 … n-1` joined by `union`; each set's `find` is its smallest member. */
function disjointSets(n: number) {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  return { find, union };
}

/** Where an item is read from: the middle of its width, the middle of its x-height. */
const anchorOf = (item: PositionedItem) => ({
  x: item.x + item.width / 2,
  y: item.y + 0.3 * item.size,
});

/** Groups of rules that touch one another: each may be a table. */
function connected(horizontal: Rule[], vertical: Rule[]) {
  const { find, union } = disjointSets(horizontal.length + vertical.length);
  horizontal.forEach((h, i) => {
    vertical.forEach((v, j) => {
      if (meets(h, v)) union(i, horizontal.length + j);
    });
  });
  const groups = new Map<number, { horizontal: Rule[]; vertical: Rule[] }>();
  [...horizontal, ...vertical].forEach((rule, i) => {
    const root = find(i);
    const group = groups.get(root) ?? { horizontal: [], vertical: [] };
    (rule.horizontal ? group.horizontal : group.vertical).push(rule);
    groups.set(root, group);
  });
  return [...groups.values()];
}

/** Positions within TOLERANCE of one another as one, then bands too thin for text closed. */
function bounds(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const clusters: number[][] = [];
  for (const v of sorted) {
    const last = clusters.at(-1);
    if (last && v - (last[0] as number) <= TOLERANCE) last.push(v);
    else clusters.push([v]);
  }
  const out: number[] = [];
  for (const c of clusters) {
    const at = c.reduce((a, b) => a + b, 0) / c.length;
    if (out.length > 0 && at - (out.at(-1) as number) < MIN_BAND) continue;
    out.push(at);
  }
  return out;
}

function gridOf(horizontal: Rule[], drawn: Rule[], items: PositionedItem[]): Grid | undefined {
  // The table's edges are its outer rules, or where its rules end when a side is left open.
  const ruled = bounds([
    ...drawn.map((r) => r.at),
    Math.min(...horizontal.map((r) => r.from)),
    Math.max(...horizontal.map((r) => r.to)),
  ]);
  const ys = bounds([
    ...horizontal.map((r) => r.at),
    Math.min(...drawn.map((r) => r.from)),
    Math.max(...drawn.map((r) => r.to)),
  ]).reverse();
  const rowCount = ys.length - 1;
  if (ruled.length < 3 || rowCount < 2) return undefined;
  const left = ruled[0] as number;
  const right = ruled.at(-1) as number;
  const top = ys[0] as number;
  const bottom = ys.at(-1) as number;
  // Columns the rules leave unparted part the cells as a rule would.
  const unruled = unruledColumns(ruled, items, top, bottom);
  const vertical = [
    ...drawn,
    ...unruled.map((at) => ({ horizontal: false, at, from: bottom, to: top })),
  ];
  const xs = bounds([...ruled, ...unruled]);
  const columns = xs.length - 1;

  // Cells: the units between neighbouring bounds, joined where no rule parts them (a cell
  // spanning columns or rows).
  const units = rowCount * columns;
  const { find, union } = disjointSets(units);
  const covers = (rules: Rule[], at: number, along: number) =>
    rules.some(
      (r) =>
        Math.abs(r.at - at) <= TOLERANCE &&
        r.from - TOLERANCE <= along &&
        r.to + TOLERANCE >= along,
    );
  for (let r = 0; r < rowCount; r++) {
    const middle = ((ys[r] as number) + (ys[r + 1] as number)) / 2;
    for (let c = 1; c < columns; c++) {
      if (!covers(vertical, xs[c] as number, middle)) union(r * columns + c - 1, r * columns + c);
    }
  }
  for (let c = 0; c < columns; c++) {
    const middle = ((xs[c] as number) + (xs[c + 1] as number)) / 2;
    for (let r = 1; r < rowCount; r++) {
      if (!covers(horizontal, ys[r] as number, middle))
        union((r - 1) * columns + c, r * columns + c);
    }
  }

  // Items by the middle of their x-height; each to the cell it falls in.
  const inside = items.filter((item) => {
    const { x, y } = anchorOf(item);
    return x > left && x < right && y > bottom && y < top;
  });
  if (inside.length === 0) return undefined;
  // Each cell's first and last column.
  const span = new Map<number, { first: number; last: number }>();
  for (let u = 0; u < units; u++) {
    const root = find(u);
    const c = u % columns;
    const known = span.get(root);
    span.set(root, { first: Math.min(known?.first ?? c, c), last: Math.max(known?.last ?? c, c) });
  }
  const cellItems = new Map<number, PositionedItem[]>();
  let crossing = 0;
  for (const item of inside) {
    const { x, y } = anchorOf(item);
    const c = Math.max(0, xs.findIndex((b) => b > x) - 1);
    const r = Math.max(0, ys.findIndex((b) => b < y) - 1);
    const root = find(r * columns + c);
    // Text running over a column border by a third of its width is not in a cell.
    const { first, last } = span.get(root) ?? { first: c, last: c };
    const cellLeft = xs[first] as number;
    const cellRight = xs[last + 1] as number;
    const outside = Math.max(0, cellLeft - item.x) + Math.max(0, item.x + item.width - cellRight);
    if (outside > item.width / 3) crossing++;
    const list = cellItems.get(root) ?? [];
    list.push(item);
    cellItems.set(root, list);
  }
  if (crossing > MAX_CROSSING * inside.length) return undefined;
  // Frames laying out a page (a sidebar beside the text, a band above it) hold pages of prose.
  const lines = new Map([...cellItems].map(([root, list]) => [root, linesOf(list)]));
  const heights = [...lines.values()].map((cell) => cell.length).sort((a, b) => a - b);
  if ((heights[Math.floor(heights.length / 2)] ?? 0) > MAX_CELL_LINES) return undefined;

  // The smallest step from a line to the next within a cell (superscripts aside): single spacing.
  const steps = [...lines.values()].flatMap((cell) =>
    cell.slice(1).flatMap((line, k) => {
      const above = cell[k] as CellLine;
      const step = above.y - line.y;
      return step >= 0.8 * Math.min(above.size, line.size) ? [step] : [];
    }),
  );
  const pitch = steps.length > 0 ? Math.min(...steps) : 0;
  const spaced = (cell: CellLine[]) =>
    pitch > 0 && cell.slice(1).some((line, k) => (cell[k] as CellLine).y - line.y >= 1.6 * pitch);

  interface Band {
    r: number;
    row: Array<PositionedItem[] | null>;
    owned: number[];
    cells: CellLine[][];
    /** The rows it holds when they are not ruled off (see subRows). */
    split: number | undefined;
    /** Rows it does not rule off, read better from their text alone. */
    loose: boolean;
    /** A paragraph across the whole frame: text above or below the table, a note among rows. */
    prose: boolean;
  }
  const bands: Band[] = [];
  for (let r = 0; r < rowCount; r++) {
    const row: Array<PositionedItem[] | null> = [];
    const owned: number[] = [];
    for (let c = 0; c < columns; c++) {
      const root = find(r * columns + c);
      // Under a cell spanning columns: nothing; a cell spanning rows: its text again.
      if (c > 0 && find(r * columns + c - 1) === root) {
        row.push(null);
        continue;
      }
      const list = cellItems.get(root) ?? [];
      if (Math.floor(root / columns) === r && list.length > 0) owned.push(c);
      row.push(list);
    }
    if (owned.length === 0) continue;
    const cells = owned.map((c) => lines.get(find(r * columns + c)) ?? []);
    const across = owned.length === 1 && row.filter((cell) => cell === null).length >= columns - 2;
    const only = cells[0] ?? [];
    const prose =
      across &&
      (only.length > MAX_ACROSS_LINES ||
        only.reduce((n, line) => n + textOf(line).length, 0) > MAX_ACROSS_CHARS);
    // Entries spaced apart in two columns, or listed side by side.
    const split = subRows(cells);
    const loose = !split && (cells.filter(spaced).length >= 2 || entriesSideBySide(cells));
    bands.push({ r, row, owned, cells, split, loose, prose });
  }
  // Text the frame holds above or below the table (notes, a letterhead) is read as text; loose
  // bands among the rows mean it is not a table.
  const all = bands.length;
  while (bands[0]?.loose || bands[0]?.prose) bands.shift();
  while (bands.at(-1)?.loose || bands.at(-1)?.prose) bands.pop();
  // What is left must still be a table: a header and two rows when text was cut away.
  if (bands.length < (bands.length < all ? 3 : 2) || bands.some((band) => band.loose)) {
    return undefined;
  }
  // Most cells of a table hold text; a chart's bars and gridlines make cells mostly empty.
  const from = (bands[0] as Band).r;
  const to = (bands.at(-1) as Band).r;
  const roots = new Set<number>();
  for (let u = from * columns; u < (to + 1) * columns; u++) roots.add(find(u));
  const filled = [...roots].filter((root) => cellItems.has(root)).length;
  if (filled < MIN_FILLED * roots.size) return undefined;

  const rows: Grid["rows"] = [];
  for (const { row, owned, cells, split } of bands) {
    if (!split) {
      rows.push(row);
      continue;
    }
    // Lines side by side in every cell, as many in each: rows the table does not rule off.
    for (let k = 0; k < split; k++) {
      rows.push(
        row.map((cell, c) => {
          const at = owned.indexOf(c);
          return at < 0 ? cell : (cells[at]?.[k]?.items ?? []);
        }),
      );
    }
  }
  // A header and a row at least, each with two cells of text (a box with a title bar is not).
  if (rows.filter((row) => row.filter((cell) => cell && cell.length > 0).length >= 2).length < 2) {
    return undefined;
  }
  // A table names its columns or its rows; a chart's cells hold only its figures.
  const words = (cell: PositionedItem[] | null | undefined) =>
    /\p{L}{2}/u.test((cell ?? []).map((item) => item.str).join(" "));
  const named =
    (rows[0] ?? []).filter(words).length >= 2 ||
    rows.filter((row) => words(row.find((cell) => cell?.length))).length >= 2;
  if (!named) return undefined;
  // Columns empty on every row are the gaps between a cell's border and its shading.
  const empty = (c: number) => rows.every((row) => !row[c]?.length);
  const keep = Array.from({ length: columns }, (_, c) => c).filter((c) => !empty(c));
  for (const [r, row] of rows.entries()) rows[r] = keep.map((c) => row[c] ?? null);
  const used = new Set(rows.flatMap((row) => row.flatMap((cell) => cell ?? [])));
  const kept = ys.slice(from, to + 2);
  return {
    top: kept[0] ?? top,
    bottom: kept.at(-1) ?? bottom,
    left,
    right,
    rows,
    items: used,
  };
}

interface CellLine {
  y: number;
  size: number;
  items: PositionedItem[];
}

/** A cell's lines, top down: its items grouped by baseline. */
function linesOf(items: PositionedItem[]): CellLine[] {
  const out: CellLine[] = [];
  for (const item of [...items].sort((a, b) => b.y - a.y || a.x - b.x)) {
    const last = out.at(-1);
    if (last && last.y - item.y <= Math.max(2, 0.35 * item.size)) last.items.push(item);
    else out.push({ y: item.y, size: item.size, items: [item] });
  }
  return out;
}

/**
 * The number of rows a band of the grid holds when its cells are lines side by side, as many
 * in each cell and on the same baselines (three or more cells, or lines), none going on in
 * lower case as a wrapped cell's would; undefined when the band is one row.
 */
function subRows(cells: CellLine[][]): number | undefined {
  const n = cells[0]?.length ?? 0;
  if (cells.length < 2 || n < 2 || (cells.length < 3 && n < 3)) return undefined;
  for (const cell of cells) {
    if (cell.length !== n) return undefined;
    for (let k = 0; k < n; k++) {
      const line = cell[k] as CellLine;
      if (Math.abs(line.y - ((cells[0] as CellLine[])[k] as CellLine).y) > 2) return undefined;
      const first = [...line.items].sort((a, b) => a.x - b.x)[0]?.str.trim() ?? "";
      if (k > 0 && /^\p{Ll}/u.test(first)) return undefined;
    }
  }
  return n;
}

/** A line's text as read left to right. */
const textOf = (line: CellLine) =>
  [...line.items]
    .sort((a, b) => a.x - b.x)
    .map((item) => item.str)
    .join(" ")
    .trim();

/**
 * Two cells of one band starting on one baseline, with two later lines each on the same
 * baselines, all starting anew (a capital, a figure): entries listed side by side in three rows
 * or more that the table does not rule off, where wrapped text cannot be told from the next row
 * by position. (One such line is a header's group name over its column's.)
 */
function entriesSideBySide(cells: CellLine[][]): boolean {
  const starts = cells.map((cell) =>
    cell.slice(1).flatMap((line) => (/^[\p{Lu}\d]/u.test(textOf(line)) ? [line.y] : [])),
  );
  const near = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && Math.abs(a - b) <= 2;
  // Rows' entries start together at the band's top; centred cells of unequal heights do not.
  return starts.some((ys, i) =>
    starts.some(
      (other, j) =>
        j !== i &&
        near(cells[i]?.[0]?.y, cells[j]?.[0]?.y) &&
        ys.filter((y) => other.some((o) => near(o, y))).length >= 2,
    ),
  );
}

/**
 * Strips inside a ruled column that no item crosses, with text on both sides on the same line
 * on two lines or more: columns of a table ruled only in places. (A list marker and its text
 * are not two columns: both sides hold words.)
 */
function unruledColumns(xs: number[], items: PositionedItem[], top: number, bottom: number) {
  const out: number[] = [];
  const inside = items.filter((item) => {
    const { y } = anchorOf(item);
    return y > bottom && y < top;
  });
  for (let c = 0; c + 1 < xs.length; c++) {
    const from = xs[c] as number;
    const to = xs[c + 1] as number;
    const column = inside
      .filter((item) => anchorOf(item).x > from && anchorOf(item).x < to)
      .sort((a, b) => a.x - b.x);
    if (column.length < 4) continue;
    let reach = Number.NEGATIVE_INFINITY;
    for (const item of column) {
      const gap = { from: reach, to: item.x };
      reach = Math.max(reach, item.x + item.width);
      if (gap.to - gap.from < MIN_GUTTER || gap.from <= from + 2) continue;
      const wordy = (i: PositionedItem) => i.str.trim().length >= 2;
      const before = column.filter((i) => wordy(i) && i.x + i.width <= gap.from + 0.5);
      const after = column.filter((i) => wordy(i) && i.x >= gap.to - 0.5);
      const lines = before.filter((b) => after.some((a) => Math.abs(a.y - b.y) <= 2));
      if (new Set(lines.map((b) => Math.round(b.y))).size >= 2) out.push((gap.from + gap.to) / 2);
    }
  }
  return out;
}
