// .html pages: the main content (<main> when there is one) read as blocks. Headings h1–h6, lists,
// tables with their header row; navigation, footers, scripts, styles and forms are dropped.
// Question/answer pairs become FAQ blocks: <dl> terms, <details>/<summary>, headings or bold
// paragraphs ending in "?" (see foldQuestions), and a schema.org FAQPage in JSON-LD.
import {
  type ChildNode,
  type Element,
  elements,
  findAll,
  findFirst,
  isTag,
  isText,
  parseHtml,
  textContent,
} from "./markup.js";
import { foldForMatch } from "./normalize.js";
import {
  blockLines,
  cleanText,
  foldQuestions,
  type Outline,
  type OutlineBlock,
} from "./outline.js";

const dropped = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "nav",
  "footer",
  "aside",
  "form",
  "button",
  "select",
  "textarea",
  "svg",
  "iframe",
  "object",
  "canvas",
  "dialog",
  "menu",
  "head",
]);
const droppedRoles = new Set(["navigation", "contentinfo", "search", "banner", "dialog"]);

const blockTags = new Set([
  "address",
  "article",
  "blockquote",
  "body",
  "caption",
  "center",
  "dd",
  "details",
  "div",
  "dl",
  "dt",
  "fieldset",
  "figcaption",
  "figure",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hgroup",
  "hr",
  "html",
  "li",
  "main",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
]);

function isDropped(element: Element): boolean {
  if (dropped.has(element.name)) return true;
  if (element.attribs.hidden !== undefined || element.attribs["aria-hidden"] === "true")
    return true;
  return droppedRoles.has(element.attribs.role ?? "");
}

const isBlock = (node: ChildNode): node is Element => isTag(node) && blockTags.has(node.name);

/** Visible inline text of nodes; <br> is a space. */
function inline(nodes: ChildNode[]): string {
  return nodes
    .map((node) => {
      if (isText(node)) return node.data;
      if (!isTag(node) || isDropped(node)) return "";
      if (node.name === "br") return " ";
      if (node.name === "img") return "";
      return blockTags.has(node.name) ? ` ${inline(node.children)} ` : inline(node.children);
    })
    .join("");
}

/** True when every piece of text in `nodes` sits inside <strong> or <b>. */
function allStrong(nodes: ChildNode[]): boolean {
  let text = false;
  const check = (list: ChildNode[], strong: boolean): boolean =>
    list.every((node) => {
      if (isText(node)) {
        if (!node.data.trim()) return true;
        text = true;
        return strong;
      }
      if (!isTag(node) || isDropped(node)) return true;
      return check(node.children, strong || node.name === "strong" || node.name === "b");
    });
  return check(nodes, false) && text;
}

const headingLevel = (name: string) => (/^h[1-6]$/.test(name) ? Number(name[1]) : undefined);

class Walker {
  readonly blocks: OutlineBlock[] = [];

  /** Children of a container: runs of inline content are paragraphs, blocks are read in turn. */
  container(element: { children: ChildNode[] }) {
    let run: ChildNode[] = [];
    const flush = () => {
      const text = cleanText(inline(run));
      // Boldness matters only for a question (see foldQuestions): checked only then.
      if (text)
        this.blocks.push({ kind: "paragraph", text, strong: text.endsWith("?") && allStrong(run) });
      run = [];
    };
    for (const node of element.children) {
      if (isTag(node) && isDropped(node)) continue;
      if (isBlock(node)) {
        flush();
        this.block(node);
      } else run.push(node);
    }
    flush();
  }

  block(element: Element) {
    const level = headingLevel(element.name);
    if (level !== undefined) {
      const text = cleanText(inline(element.children));
      if (text) this.blocks.push({ kind: "heading", level, text });
      return;
    }
    switch (element.name) {
      case "ul":
      case "ol":
        this.list(element, 0);
        return;
      case "table":
        this.table(element);
        return;
      case "dl":
        this.definitions(element);
        return;
      case "details":
        this.details(element);
        return;
      case "hr":
        return;
      case "pre": {
        const text = cleanText(textContent(element));
        if (text) this.blocks.push({ kind: "paragraph", text });
        return;
      }
      default:
        this.container(element);
    }
  }

  list(list: Element, depth: number) {
    for (const item of elements(list, "li")) {
      const own = item.children.filter((c) => !(isTag(c) && (c.name === "ul" || c.name === "ol")));
      const text = cleanText(inline(own));
      if (text) this.blocks.push({ kind: "item", text, depth });
      for (const nested of elements(item).filter((c) => c.name === "ul" || c.name === "ol"))
        this.list(nested, depth + 1);
    }
  }

  table(table: Element) {
    const rows: Element[] = [];
    const collect = (node: Element) => {
      for (const part of elements(node)) {
        if (part.name === "tr") rows.push(part);
        else if (["thead", "tbody", "tfoot"].includes(part.name)) collect(part);
      }
    };
    collect(table);
    const grid = rows.map((row) =>
      elements(row)
        .filter((cell) => cell.name === "td" || cell.name === "th")
        .flatMap((cell) => {
          const span = Math.min(Math.max(Number(cell.attribs.colspan ?? 1) || 1, 1), 50);
          return [cleanText(inline(cell.children)), ...Array<string>(span - 1).fill("")];
        }),
    );
    const columns = Math.max(0, ...grid.map((r) => r.length));
    // A layout table (one column, or cells holding headings or tables) is read as content.
    const layout =
      columns <= 1 ||
      rows.some((row) =>
        elements(row).some((cell) =>
          ["table", "h1", "h2", "h3", "h4", "h5", "h6"].some((tag) => findFirst(cell, tag)),
        ),
      );
    if (layout) {
      for (const row of rows) for (const cell of elements(row)) this.container(cell);
      return;
    }
    const first = rows[0];
    const headed =
      first !== undefined &&
      ((first.parent as Element | null)?.name === "thead" ||
        elements(first).every((cell) => cell.name === "th"));
    const filled = grid.filter((r) => r.some(Boolean));
    if (filled.length === 0) return;
    const caption = findFirst(table, "caption");
    if (caption) {
      const text = cleanText(inline(caption.children));
      if (text) this.blocks.push({ kind: "paragraph", text });
    }
    const header = headed || (filled.length > 1 && columns >= 3) ? (filled[0] ?? null) : null;
    this.blocks.push({ kind: "table", header, rows: header ? filled.slice(1) : filled });
  }

  /** <dt>/<dd> pairs: the term is the question, its descriptions the answer. */
  definitions(list: Element) {
    let question: string | undefined;
    let answer: string[] = [];
    const emit = () => {
      if (question && answer.length) this.blocks.push({ kind: "faq", question, answer });
      else if (question) this.blocks.push({ kind: "paragraph", text: question });
      question = undefined;
      answer = [];
    };
    const parts = elements(list).flatMap((c) => (c.name === "div" ? elements(c) : [c]));
    for (const part of parts) {
      if (part.name === "dt") {
        emit();
        question = cleanText(inline(part.children)) || undefined;
      } else if (part.name === "dd") {
        answer.push(...this.linesOf(part));
      }
    }
    emit();
  }

  details(element: Element) {
    const summary = elements(element, "summary")[0];
    const question = summary ? cleanText(inline(summary.children)) : "";
    const rest = { children: element.children.filter((c) => c !== summary) };
    const answer = this.linesOf(rest);
    if (question && answer.length) this.blocks.push({ kind: "faq", question, answer });
    else this.container(rest);
  }

  /** The text lines of some content read apart (an answer). */
  linesOf(content: { children: ChildNode[] }): string[] {
    const walker = new Walker();
    walker.container(content);
    return walker.blocks.flatMap(blockLines);
  }
}

interface JsonFaq {
  question: string;
  answer: string;
}

/** Question/answer pairs of every schema.org FAQPage found in JSON-LD scripts. */
function jsonLdFaqs(scripts: Element[]): JsonFaq[] {
  const found: JsonFaq[] = [];
  const isType = (value: unknown, type: string) =>
    value === type || (Array.isArray(value) && value.includes(type));
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== "object") return;
    const node = value as Record<string, unknown>;
    if (isType(node["@type"], "FAQPage")) {
      const entities = node.mainEntity;
      for (const entity of Array.isArray(entities) ? entities : [entities]) {
        if (!entity || typeof entity !== "object") continue;
        const question = (entity as Record<string, unknown>).name;
        const accepted =
          (entity as Record<string, unknown>).acceptedAnswer ??
          (entity as Record<string, unknown>).suggestedAnswer;
        const answer = (Array.isArray(accepted) ? accepted[0] : accepted) as
          | Record<string, unknown>
          | undefined;
        if (typeof question === "string" && typeof answer?.text === "string") {
          found.push({ question, answer: answer.text });
        }
      }
    }
    for (const key of ["@graph", "mainEntity", "hasPart"]) {
      if (key in node && !isType(node["@type"], "FAQPage")) visit(node[key]);
    }
  };
  for (const script of scripts) {
    if (!/ld\+json/i.test(script.attribs.type ?? "")) continue;
    try {
      visit(JSON.parse(textContent(script)));
    } catch {
      // A broken JSON-LD block is ignored: the visible page still loads.
    }
  }
  return found;
}

/** The charset a page declares in its first bytes, or utf-8. */
export function declaredCharset(bytes: Uint8Array): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 2048));
  const match = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  return match?.[1]?.toLowerCase() ?? "utf-8";
}

/** The outline of an HTML page. */
export function readHtml(html: string): Outline {
  const document = parseHtml(html);
  const scripts = findAll(document, "script");
  const titleElement = findFirst(document, "title");
  const root =
    findFirst(document, "main") ??
    findAll(document, "div").find((d) => d.attribs.role === "main") ??
    findFirst(document, "body") ??
    document;
  const walker = new Walker();
  walker.container(root);
  const blocks = foldQuestions(walker.blocks);
  const known = new Set(
    blocks.flatMap((b) =>
      b.kind === "faq"
        ? [foldForMatch(b.question)]
        : b.kind === "heading"
          ? [foldForMatch(b.text)]
          : [],
    ),
  );
  for (const faq of jsonLdFaqs(scripts)) {
    const question = cleanText(faq.question);
    if (!question || known.has(foldForMatch(question))) continue;
    known.add(foldForMatch(question));
    const answer = walker.linesOf(parseHtml(faq.answer));
    if (answer.length) blocks.push({ kind: "faq", question, answer });
  }
  const title = titleElement ? cleanText(textContent(titleElement)) : "";
  return { title: title || null, blocks };
}
