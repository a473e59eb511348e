// Pure rendering of Sportello's values as Telegram HTML messages, within Telegram's limits.
// No I/O here: every function takes values and returns the messages to send.
import { type Answer, type Citation, type RetrievedPassage, say } from "../../src/index.js";

/** Telegram rejects messages over 4096 characters, counted on the text after entity parsing. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

export interface InlineButton {
  text: string;
  callback_data: string;
}
export interface InlineKeyboard {
  inline_keyboard: InlineButton[][];
}

/** One message ready for `sendMessage` with `parse_mode: "HTML"`. */
export interface TelegramMessage {
  text: string;
  reply_markup?: InlineKeyboard;
}

export type SpanStyle = "b" | "i" | "code";

/** A run of text with at most one style; rendering escapes it and wraps it in its tag. */
export interface Span {
  text: string;
  style?: SpanStyle;
}

/** A paragraph: blocks are separated by a blank line and are the preferred split points. */
export type Block = Span[];

/** Escapes the three characters Telegram's HTML parse mode reserves. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function renderSpan(span: Span): string {
  const escaped = escapeHtml(span.text);
  return span.style ? `<${span.style}>${escaped}</${span.style}>` : escaped;
}

function blockText(block: Block): string {
  return block.map((span) => span.text).join("");
}

/** The spans of `block` covering the characters [start, end) of its text. */
function sliceBlock(block: Block, start: number, end: number): Block {
  const out: Block = [];
  let offset = 0;
  for (const span of block) {
    const spanEnd = offset + span.text.length;
    const from = Math.max(start, offset);
    const to = Math.min(end, spanEnd);
    if (from < to) {
      const piece: Span = { text: span.text.slice(from - offset, to - offset) };
      if (span.style) piece.style = span.style;
      out.push(piece);
    }
    offset = spanEnd;
  }
  return out;
}

function trimBlock(block: Block): Block {
  const text = blockText(block);
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  return start >= end ? [] : sliceBlock(block, start, end);
}

const sentenceEnd = /[.!?;:…][»")\]]?\s/g;

/**
 * Where to cut `text` so that the first part has at most `max` characters: a line break, else
 * the end of a sentence, else a space, else a hard cut that does not split a surrogate pair.
 */
function findCut(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  const minUseful = Math.floor(max / 3);
  const newline = window.lastIndexOf("\n");
  if (newline > minUseful) return newline;
  let sentence = -1;
  for (const match of window.matchAll(sentenceEnd)) {
    const cut = match.index + match[0].length - 1;
    if (cut <= max) sentence = cut;
  }
  if (sentence > minUseful) return sentence;
  const space = window.lastIndexOf(" ");
  if (space > minUseful) return space;
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

/** Splits one block into blocks of at most `max` visible characters. */
function splitBlock(block: Block, max: number): Block[] {
  const pieces: Block[] = [];
  let rest = trimBlock(block);
  while (blockText(rest).length > max) {
    const text = blockText(rest);
    const cut = findCut(text, max);
    const head = trimBlock(sliceBlock(rest, 0, cut));
    if (head.length > 0) pieces.push(head);
    rest = trimBlock(sliceBlock(rest, cut, text.length));
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

const BLOCK_SEPARATOR = "\n\n";

/**
 * Packs blocks into as few messages as fit, each at most `max` visible characters. Blocks are
 * kept whole when they fit; a longer block is cut at a line, sentence or word boundary, and a
 * cut inside a styled span closes the tag in one message and reopens it in the next, so every
 * message is valid HTML on its own.
 */
export function renderBlocks(blocks: Block[], max = TELEGRAM_MESSAGE_LIMIT): string[] {
  const messages: string[] = [];
  let current: Block[] = [];
  let currentLength = 0;
  const flush = () => {
    if (current.length > 0)
      messages.push(current.map((b) => b.map(renderSpan).join("")).join(BLOCK_SEPARATOR));
    current = [];
    currentLength = 0;
  };
  for (const block of blocks) {
    for (const piece of splitBlock(block, max)) {
      const length = blockText(piece).length;
      const added = current.length === 0 ? length : length + BLOCK_SEPARATOR.length;
      if (currentLength + added > max) flush();
      currentLength += current.length === 0 ? length : length + BLOCK_SEPARATOR.length;
      current.push(piece);
    }
  }
  flush();
  return messages;
}

/** Attaches `keyboard` to the last message, where the reader's eye ends. */
export function toMessages(texts: string[], keyboard?: InlineKeyboard): TelegramMessage[] {
  return texts.map((text, i) =>
    keyboard && i === texts.length - 1 ? { text, reply_markup: keyboard } : { text },
  );
}

function citationLine(citation: Citation): Span[] {
  const spans: Span[] = [{ text: `${citation.n}. ` }, { text: citation.documentTitle, style: "i" }];
  if (citation.section) spans.push({ text: ` › ${citation.section}` });
  if (citation.where) spans.push({ text: `, ${citation.where}` });
  return spans;
}

function paragraphs(text: string): Block[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => [{ text: p }]);
}

export interface RenderAnswerOptions {
  /** Keyboard under the answer (feedback buttons); put on the last message. */
  keyboard?: InlineKeyboard;
  maxLength?: number;
}

/**
 * An answer as Telegram messages: the lead and the answer first, then the numbered citations
 * (document › section, page), then the footer; split over several messages when too long.
 */
export function renderTelegramAnswer(
  answer: Answer,
  options: RenderAnswerOptions = {},
): TelegramMessage[] {
  const { lead, body, citations, footer } = answer.parts;
  const blocks: Block[] = [];
  if (lead.trim())
    blocks.push([{ text: lead.trim(), style: answer.status === "answered" ? "b" : undefined }]);
  blocks.push(...paragraphs(body));
  if (citations.length > 0) {
    const list: Block = [{ text: say("telegram.sources_heading"), style: "b" }];
    for (const citation of citations) list.push({ text: "\n" }, ...citationLine(citation));
    blocks.push(list);
  }
  const closing: Block = [];
  if (footer.trim()) closing.push({ text: footer.trim(), style: "i" });
  if (citations.length > 0) {
    if (closing.length > 0) closing.push({ text: "\n" });
    closing.push({ text: say("telegram.sources_hint", { max: citations.length }), style: "i" });
  }
  if (closing.length > 0) blocks.push(closing);
  if (blocks.length === 0) blocks.push([{ text: answer.text || say("telegram.empty_answer") }]);
  return toMessages(
    renderBlocks(
      blocks.map((b) => b.map((s) => (s.style ? s : { text: s.text }))),
      options.maxLength,
    ),
    options.keyboard,
  );
}

/** The full passage behind a citation, for `/fonte N`. */
export function renderPassage(n: number, retrieved: RetrievedPassage): string[] {
  const title = retrieved.document.shortTitle ?? retrieved.document.title;
  const header: Block = [
    { text: say("telegram.source_heading", { n }), style: "b" },
    { text: "\n" },
    { text: title, style: "i" },
  ];
  if (retrieved.location) header.push({ text: `\n${retrieved.location}` });
  return renderBlocks([header, ...paragraphs(retrieved.passage.text)]);
}

/** Plain Italian text (notifications, notices) as escaped messages. */
export function renderPlain(text: string): string[] {
  return renderBlocks(paragraphs(text));
}
