// Pure Block Kit rendering of Sportello's values: answers, passages, notifications. No I/O beyond
// the Italian templates; every limit Slack enforces on a message is respected here.
import type { types } from "@slack/bolt";
import {
  type Answer,
  type Citation,
  type FeedbackKind,
  type OutgoingNotification,
  type RetrievedPassage,
  say,
} from "../../src/index.js";

export type KnownBlock = types.KnownBlock;
export type ModalView = types.ModalView;
type SectionBlock = types.SectionBlock;

/** Slack's documented limits; the Web API answers `invalid_blocks` past any of them. */
export const slackLimits = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  /** chat.postMessage truncates `text` past 40,000 characters. */
  fallbackText: 40_000,
  modalTitle: 24,
} as const;

export const actionIds = {
  feedbackPrefix: "sportello_feedback_",
  sourcePrefix: "sportello_source_",
  share: "sportello_share",
} as const;

export const blockIds = {
  feedback: "sportello_feedback",
  sources: "sportello_sources",
  choice: "sportello_choice",
} as const;

/** At most this many "Mostra fonte" buttons: more would crowd the message. */
const maxSourceButtons = 5;

export interface SlackMessage {
  /** Plain fallback for notifications and screen readers. */
  text: string;
  blocks: KnownBlock[];
}

export interface RenderAnswerOptions {
  /** The interaction the buttons refer to; without it the message has no buttons. */
  interactionId?: number;
  /** Adds "Condividi nel canale" (ephemeral answers to the slash command). */
  shareable?: boolean;
}

/** Slack mrkdwn's control characters: everything else is shown as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Reverses Slack's escaping and flattens its link syntax, to read a user's message as typed. */
export function readSlackText(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, " ")
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, "#$1")
    .replace(/<(?:https?|mailto):[^|>]*\|([^>]*)>/g, "$1")
    .replace(/<((?:https?|mailto):[^>]*)>/g, "$1")
    .replace(/<!([a-z]+)(\|[^>]*)?>/g, "@$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** Markdown's **bold** (used in FAQ files) becomes Slack's *bold*. Input already escaped. */
function markdownToMrkdwn(escaped: string): string {
  return escaped.replace(/\*\*([^*\n]+)\*\*/g, "*$1*");
}

/**
 * Splits mrkdwn into chunks of at most `max` characters, preferring paragraph, then line, then
 * sentence, then word boundaries, and never cutting inside an `&amp;`-style entity. Nothing is
 * dropped: joining the chunks with the separators they were cut at gives back the text.
 */
export function splitMrkdwn(text: string, max: number = slackLimits.sectionText): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const cut = bestCut(window, max);
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}

function bestCut(window: string, max: number): number {
  const floor = Math.floor(max / 2);
  for (const separator of ["\n\n", "\n", ". ", "; ", ", ", " "]) {
    const at = window.lastIndexOf(separator, max - separator.length);
    if (at >= floor) return at + separator.length;
  }
  // No boundary in the second half: cut hard, but not inside an entity such as `&amp;`.
  const entity = window.slice(0, max).match(/&[a-z]{0,4}$/);
  return entity ? max - entity[0].length : max;
}

function section(text: string, blockId?: string): SectionBlock {
  return {
    type: "section",
    text: { type: "mrkdwn", text },
    ...(blockId ? { block_id: blockId } : {}),
  };
}

function context(texts: string[], blockId?: string): KnownBlock {
  return {
    type: "context",
    elements: texts.map((text) => ({ type: "mrkdwn" as const, text })),
    ...(blockId ? { block_id: blockId } : {}),
  };
}

function button(actionId: string, label: string, value: string, style?: "primary" | "danger") {
  return {
    type: "button" as const,
    action_id: actionId,
    text: {
      type: "plain_text" as const,
      text: label.slice(0, slackLimits.buttonText),
      emoji: true,
    },
    value: value.slice(0, slackLimits.buttonValue),
    ...(style ? { style } : {}),
  };
}

export function citationLine(citation: Citation): string {
  const parts = [escapeMrkdwn(citation.documentTitle)];
  if (citation.section) parts.push(escapeMrkdwn(citation.section));
  const where = citation.where ? ` · ${escapeMrkdwn(citation.where)}` : "";
  return `*[${citation.n}]* ${parts.join(" › ")}${where}`;
}

/** Packs lines into at most `maxElements` context texts of at most `maxText` characters. */
function packLines(lines: string[], maxElements: number, maxText: number): string[] {
  const elements: string[] = [];
  for (const line of lines.flatMap((l) => splitMrkdwn(l, maxText))) {
    const last = elements.length - 1;
    const current = elements[last];
    if (current !== undefined && current.length + 1 + line.length <= maxText) {
      elements[last] = `${current}\n${line}`;
    } else if (elements.length < maxElements) {
      elements.push(line);
    } else {
      // Out of elements: the last one takes a visible marker rather than losing lines silently.
      elements[last] = `${(current ?? "").slice(0, maxText - 2)} …`;
    }
  }
  return elements;
}

function fallbackText(plain: string): string {
  const escaped = escapeMrkdwn(plain);
  if (escaped.length <= slackLimits.fallbackText) return escaped;
  return `${escaped.slice(0, slackLimits.fallbackText - 2)} …`;
}

/** The answer as a Slack message: text sections, numbered sources, footer and buttons. */
export function renderSlackAnswer(answer: Answer, options: RenderAnswerOptions = {}): SlackMessage {
  const { lead, body, citations, footer } = answer.parts;

  const tail: KnownBlock[] = [];
  if (citations.length > 0) {
    const lines = [say("slack.citations_heading"), ...citations.map(citationLine)];
    tail.push(context(packLines(lines, slackLimits.contextElements, slackLimits.contextText)));
  }
  if (footer.trim()) {
    tail.push(context(packLines([escapeMrkdwn(footer.trim())], 1, slackLimits.contextText)));
  }
  if (options.interactionId !== undefined) {
    tail.push(...feedbackBlocks(answer, options.interactionId, options.shareable === true));
  }

  const prose = [lead, body]
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => markdownToMrkdwn(escapeMrkdwn(part)))
    .join("\n\n");
  const chunks = splitMrkdwn(prose || escapeMrkdwn(answer.text));
  const budget = slackLimits.messageBlocks - tail.length;
  let sections = chunks;
  if (chunks.length > budget) {
    // Past 50 blocks Slack refuses the message: show what fits and say plainly what is missing.
    sections = chunks.slice(0, budget - 1);
    const omitted = chunks.slice(budget - 1).reduce((sum, chunk) => sum + chunk.length, 0);
    sections.push(say("slack.truncated", { omitted }));
  }

  return {
    text: fallbackText(answer.text),
    blocks: [...sections.map((chunk) => section(chunk)), ...tail],
  };
}

function feedbackBlocks(answer: Answer, interactionId: number, shareable: boolean): KnownBlock[] {
  const id = String(interactionId);
  const feedback = [
    button(`${actionIds.feedbackPrefix}utile`, say("slack.button_useful"), id),
    button(`${actionIds.feedbackPrefix}non_utile`, say("slack.button_not_useful"), id),
    button(`${actionIds.feedbackPrefix}segnala`, say("slack.button_report"), id),
  ];
  if (shareable) feedback.push(button(actionIds.share, say("slack.button_share"), id, "primary"));
  const blocks: KnownBlock[] = [
    { type: "actions", block_id: blockIds.feedback, elements: feedback },
  ];

  const cited = answer.parts.citations.slice(0, maxSourceButtons);
  if (cited.length > 0) {
    const sources = cited.map((citation) =>
      button(
        `${actionIds.sourcePrefix}${citation.n}`,
        cited.length === 1
          ? say("slack.button_source")
          : say("slack.button_source_n", { n: citation.n }),
        citation.passageId,
      ),
    );
    blocks.push({ type: "actions", block_id: blockIds.sources, elements: sources });
  }
  return blocks;
}

/** The message after a feedback click: the feedback buttons give way to the choice made. */
export function renderFeedbackChoice(
  blocks: KnownBlock[],
  kind: FeedbackKind,
  userId: string,
): KnownBlock[] {
  const line = say(`slack.choice_${kind}`, { user: userId });
  const kept = blocks.filter(
    (block) => block.block_id !== blockIds.feedback && block.block_id !== blockIds.choice,
  );
  const choice = context([line], blockIds.choice);
  // The choice goes where the buttons were: before "Mostra fonte", after the sources.
  const at = kept.findIndex((block) => block.block_id === blockIds.sources);
  if (at === -1) return [...kept, choice].slice(-slackLimits.messageBlocks);
  return [...kept.slice(0, at), choice, ...kept.slice(at)];
}

/** A shared copy of an ephemeral answer: same content, no share button, who shared it. */
export function renderSharedAnswer(
  answer: Answer,
  interactionId: number,
  userId: string,
): SlackMessage {
  const message = renderSlackAnswer(answer, { interactionId });
  const sharedBy = context([say("slack.shared_by", { user: userId })]);
  const blocks =
    message.blocks.length < slackLimits.messageBlocks
      ? [sharedBy, ...message.blocks]
      : message.blocks;
  return { text: message.text, blocks };
}

/** The modal opened by "Mostra fonte": document, location and the whole passage. */
export function renderPassageModal(retrieved: RetrievedPassage): ModalView {
  const title = retrieved.document.shortTitle ?? retrieved.document.title;
  const head: KnownBlock[] = [
    section(say("slack.source_heading", { title: escapeMrkdwn(title) })),
    context([say("slack.source_location", { location: escapeMrkdwn(retrieved.location) })]),
    { type: "divider" },
  ];
  const chunks = splitMrkdwn(escapeMrkdwn(retrieved.passage.text));
  const budget = slackLimits.viewBlocks - head.length;
  let sections = chunks;
  if (chunks.length > budget) {
    sections = chunks.slice(0, budget - 1);
    const omitted = chunks.slice(budget - 1).reduce((sum, chunk) => sum + chunk.length, 0);
    sections.push(say("slack.truncated", { omitted }));
  }
  return {
    type: "modal",
    title: { type: "plain_text", text: say("slack.source_title").slice(0, slackLimits.modalTitle) },
    close: { type: "plain_text", text: say("slack.source_close").slice(0, slackLimits.modalTitle) },
    blocks: [...head, ...sections.map((chunk) => section(chunk))],
  };
}

/** A message from the curation loop ("La tua domanda … ora ha una risposta"). */
export function renderNotification(notification: OutgoingNotification): SlackMessage {
  const chunks = splitMrkdwn(markdownToMrkdwn(escapeMrkdwn(notification.text)));
  const blocks: KnownBlock[] = [
    context([say("slack.notification_context")]),
    ...chunks.slice(0, slackLimits.messageBlocks - 1).map((chunk) => section(chunk)),
  ];
  return { text: fallbackText(notification.text), blocks };
}

/** A short reply with no buttons (usage, refusals, apologies). */
export function renderNotice(mrkdwn: string): SlackMessage {
  return { text: mrkdwn, blocks: splitMrkdwn(mrkdwn).map((chunk) => section(chunk)) };
}
