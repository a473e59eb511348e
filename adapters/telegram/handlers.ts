// The bot's behaviour as grammY middleware: turns Telegram updates into calls on the Sportello
// facade and sends back what the renderer makes of the results. No business rules here.
import { Composer, type Context, type Middleware, type NextFunction } from "grammy";
import type { Message } from "grammy/types";
import {
  type Citation,
  type DeliveryAddress,
  type FeedbackKind,
  type Identity,
  isSportelloError,
  type PromptKey,
  type PublishedFaq,
  type Sportello,
  say,
} from "../../src/index.js";
import { BoundedMap } from "./bounded-map.js";
import { type CallbackCodec, shortKey } from "./callback-data.js";
import type { RateLimiter } from "./rate-limit.js";
import {
  type Block,
  type InlineKeyboard,
  renderBlocks,
  renderPassage,
  renderPlain,
  renderTelegramAnswer,
  type TelegramMessage,
  toMessages,
} from "./render.js";

export interface HandlerDeps {
  sportello: Sportello;
  codec: CallbackCodec;
  rateLimiter: RateLimiter;
  log: (line: string) => void;
}

/** The citations of the last answer each person received in each chat, for `/fonte N`. */
type LastAnswers = BoundedMap<string, Citation[]>;

/** What the person middleware puts on every update that reaches a handler. */
export interface PersonFlavor {
  person: {
    identity: Identity;
    /** The per-user rate limit; false (after one polite notice per window) when over it. */
    admit(): Promise<boolean>;
    /** The access check; false (after one polite refusal per person and chat) when refused. */
    allowed(): Promise<boolean>;
    /** One polite refusal per person and chat; afterwards the bot stays silent for them. */
    refuse(text: string): Promise<void>;
  };
}

export type PersonContext = Context & PersonFlavor;

/** Commands that need both the rate limit and access before their handler runs. */
const gatedCommands = ["start", "aiuto", "help", "fonte", "faq", "pendenti"];

function identityOf(ctx: Context): Identity | undefined {
  if (!ctx.from || !ctx.chat) return undefined;
  return { channel: "telegram", userId: String(ctx.from.id), chatId: String(ctx.chat.id) };
}

function personKey(identity: Identity): string {
  return `${identity.chatId}:${identity.userId}`;
}

function isGroup(ctx: Context): boolean {
  return ctx.chat?.type === "group" || ctx.chat?.type === "supergroup";
}

/** Sends messages in order; in groups the first one replies to the message that asked. */
export async function sendMessages(
  ctx: Context,
  messages: TelegramMessage[],
  replyTo?: number,
): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return;
  for (const [i, message] of messages.entries()) {
    await ctx.api.sendMessage(chatId, message.text, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
      ...(i === 0 && replyTo !== undefined
        ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
        : {}),
    });
  }
}

async function sendText(ctx: Context, text: string): Promise<void> {
  const replyTo = isGroup(ctx) ? ctx.message?.message_id : undefined;
  await sendMessages(ctx, toMessages(renderPlain(text)), replyTo);
}

function feedbackKeyboard(
  codec: CallbackCodec,
  interactionId: number,
  chatId: string,
): InlineKeyboard {
  const button = (kind: FeedbackKind, label: PromptKey) => ({
    text: say(label),
    callback_data: codec.feedback(kind, interactionId, chatId),
  });
  return {
    inline_keyboard: [
      [
        button("utile", "telegram.button_useful"),
        button("non_utile", "telegram.button_not_useful"),
      ],
      [button("segnala", "telegram.button_report")],
    ],
  };
}

/**
 * The question addressed to the bot in a group message, or undefined when the message is part
 * of the conversation among people: a mention of the bot (removed from the text) or a reply to
 * one of the bot's messages.
 */
export function groupQuestion(
  message: Message,
  bot: { id: number; username: string },
): string | undefined {
  const text = message.text ?? "";
  const handle = `@${bot.username}`.toLowerCase();
  for (const entity of message.entities ?? []) {
    const piece = text.slice(entity.offset, entity.offset + entity.length);
    const mentionsBot =
      (entity.type === "mention" && piece.toLowerCase() === handle) ||
      (entity.type === "text_mention" && entity.user.id === bot.id);
    if (mentionsBot) {
      return `${text.slice(0, entity.offset)} ${text.slice(entity.offset + entity.length)}`
        .replace(/\s+/g, " ")
        .replace(/^[\s,:;-]+/, "")
        .trim();
    }
  }
  if (message.reply_to_message?.from?.id === bot.id) return text.trim();
  return undefined;
}

export function createHandlers(deps: HandlerDeps): Composer<Context> {
  const { sportello, codec, rateLimiter, log } = deps;
  const lastAnswers: LastAnswers = new BoundedMap(5_000);
  const refusedOnce = new BoundedMap<string, true>(10_000);
  const composer = new Composer<PersonContext>();

  /**
   * The one preamble of every handler: who is writing, their rate limit and their access. It
   * puts `ctx.person` on the update; the commands in `gatedCommands` pass both checks here,
   * questions leave access to `sportello.ask`, and the hints check access on their own.
   */
  async function person(ctx: Context, next: NextFunction): Promise<void> {
    const identity = identityOf(ctx);
    if (!identity) {
      if (ctx.callbackQuery)
        await ctx.answerCallbackQuery({ text: say("telegram.callback_stale") });
      return;
    }
    const key = personKey(identity);
    const refuse = async (text: string) => {
      if (refusedOnce.has(key)) return;
      refusedOnce.set(key, true);
      await sendText(ctx, text);
    };
    const flavor: PersonFlavor["person"] = {
      identity,
      refuse,
      async admit() {
        const decision = rateLimiter.check(identity.userId);
        if (decision.allowed) return true;
        if (decision.notify) {
          await sendText(
            ctx,
            say("telegram.rate_limited", { seconds: decision.retryAfterSeconds }),
          );
        }
        return false;
      },
      async allowed() {
        if (sportello.access(identity).allowed) return true;
        await refuse(say("telegram.refused"));
        return false;
      },
    };
    Object.assign(ctx, { person: flavor });
    if (ctx.hasCommand(gatedCommands)) {
      if (!(await flavor.admit()) || !(await flavor.allowed())) return;
    }
    await next();
  }

  async function answerQuestion(ctx: PersonContext, text: string): Promise<void> {
    const { identity } = ctx.person;
    const message = ctx.message;
    if (!message || !(await ctx.person.admit())) return;
    const chatId = identity.chatId ?? String(message.chat.id);
    const typing = ctx.api.sendChatAction(message.chat.id, "typing").catch((err: unknown) => {
      log(`telegram: sendChatAction failed (${err instanceof Error ? err.message : String(err)})`);
    });
    const address: DeliveryAddress = {
      channel: "telegram",
      chatId,
      threadId: String(message.message_id),
      userId: identity.userId,
    };
    const outcome = await sportello.ask(
      {
        text,
        channel: "telegram",
        userId: identity.userId,
        conversationId: chatId,
        // A forum topic is a thread: its members continue each other's questions.
        ...(message.is_topic_message && message.message_thread_id !== undefined
          ? { threadId: String(message.message_thread_id) }
          : {}),
      },
      address,
    );
    await typing;
    if (outcome.kind === "refused") {
      // A refusal is said once per person; "too long" every time, it is about this message.
      if (outcome.reason === "too-long") await sendText(ctx, outcome.text);
      else await ctx.person.refuse(outcome.text);
      return;
    }
    lastAnswers.set(personKey(identity), outcome.answer.parts.citations);
    const keyboard =
      outcome.kind === "answered"
        ? feedbackKeyboard(codec, outcome.interactionId, chatId)
        : undefined;
    const messages = renderTelegramAnswer(outcome.answer, keyboard ? { keyboard } : {});
    await sendMessages(ctx, messages, isGroup(ctx) ? message.message_id : undefined);
  }

  composer.command(["start", "aiuto", "help"], async (ctx) => {
    if (ctx.message?.text?.startsWith("/start")) {
      await sendMessages(ctx, toMessages(renderBlocks(startBlocks(sportello))));
    } else {
      await sendText(ctx, say("telegram.help"));
    }
  });

  composer.command("domanda", async (ctx) => {
    const question = ctx.match.trim();
    if (!question) {
      if (await ctx.person.allowed()) await sendText(ctx, say("telegram.domanda_usage"));
      return;
    }
    await answerQuestion(ctx, question);
  });

  composer.command("fonte", async (ctx) => {
    const arg = ctx.match.trim();
    if (!/^\d{1,3}$/.test(arg)) return sendText(ctx, say("telegram.fonte_usage"));
    const citations = lastAnswers.get(personKey(ctx.person.identity));
    if (!citations) return sendText(ctx, say("telegram.fonte_no_answer"));
    if (citations.length === 0) return sendText(ctx, say("telegram.fonte_no_sources"));
    const n = Number(arg);
    const citation = citations.find((c) => c.n === n);
    if (!citation)
      return sendText(ctx, say("telegram.fonte_out_of_range", { max: citations.length }));
    const retrieved = sportello.passage(citation.passageId);
    if (!retrieved) return sendText(ctx, say("telegram.fonte_missing"));
    await sendMessages(
      ctx,
      toMessages(renderPassage(n, retrieved)),
      isGroup(ctx) ? ctx.message?.message_id : undefined,
    );
  });

  composer.command("faq", async (ctx) => {
    const topics = faqTopics(sportello.publishedFaqs());
    if (topics.size === 0) return sendText(ctx, say("telegram.faq_none"));
    const keyboard: InlineKeyboard = {
      inline_keyboard: [...topics.keys()]
        .slice(0, 40)
        .map((topic) => [
          { text: buttonLabel(topic), callback_data: codec.faqTopic(shortKey(topic)) },
        ]),
    };
    await sendMessages(ctx, toMessages(renderPlain(say("telegram.faq_topics")), keyboard));
  });

  composer.command("pendenti", async (ctx) => {
    const { identity } = ctx.person;
    // Who sees the queue is the policy's call (src/curation/policy.ts), not the adapter's.
    if (!sportello.may(identity, "unanswered.view")) {
      return sendText(ctx, say("telegram.pendenti_refused"));
    }
    const groups = sportello.topUnanswered(10);
    if (groups.length === 0) return sendText(ctx, say("telegram.pendenti_none"));
    const list: Block = [{ text: say("telegram.pendenti_heading"), style: "b" }];
    for (const [i, group] of groups.entries()) {
      const line = say("telegram.pendenti_line", {
        n: i + 1,
        label: group.label,
        count: group.count,
        lastSeen: group.lastSeen.slice(0, 10),
        status: group.uncertain
          ? say("telegram.pendenti_status_uncertain", {
              status: group.status.replace("_", " "),
              count: group.uncertain,
            })
          : group.status.replace("_", " "),
      });
      list.push({ text: `\n${line}` });
      const example = group.examples[0];
      if (example)
        list.push({ text: `\n${say("telegram.pendenti_example", { example })}`, style: "i" });
    }
    await sendMessages(
      ctx,
      toMessages(renderBlocks([list])),
      isGroup(ctx) ? ctx.message?.message_id : undefined,
    );
  });

  composer.on("callback_query:data", async (ctx) => {
    const { identity } = ctx.person;
    const chatId = ctx.callbackQuery.message?.chat.id;
    const action =
      chatId === undefined ? undefined : codec.parse(ctx.callbackQuery.data, String(chatId));
    if (!action) {
      await ctx.answerCallbackQuery({ text: say("telegram.callback_stale") });
      return;
    }
    if (action.kind === "feedback") {
      const outcome = await sportello.feedback({
        interactionId: action.interactionId,
        identity,
        kind: action.feedback,
      });
      await ctx.answerCallbackQuery({ text: outcome.text });
      // In a private chat the buttons have done their job; in a group others may still vote.
      if (outcome.kind === "recorded" && ctx.chat?.type === "private") {
        await ctx
          .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
          .catch((err: unknown) => {
            log(
              `telegram: could not remove the feedback buttons (${err instanceof Error ? err.message : String(err)})`,
            );
          });
      }
      return;
    }
    if (!sportello.access(identity).allowed) {
      await ctx.answerCallbackQuery({ text: say("telegram.refused").slice(0, 190) });
      return;
    }
    const topics = faqTopics(sportello.publishedFaqs());
    if (action.kind === "faq-topic") {
      const topic = [...topics.keys()].find((t) => shortKey(t) === action.topicKey);
      const faqs = topic === undefined ? undefined : topics.get(topic);
      if (topic === undefined || !faqs) {
        await ctx.answerCallbackQuery({ text: say("telegram.callback_stale") });
        return;
      }
      await ctx.answerCallbackQuery();
      const keyboard: InlineKeyboard = {
        inline_keyboard: faqs
          .slice(0, 40)
          .map((faq) => [
            { text: buttonLabel(faq.question), callback_data: codec.faqEntry(shortKey(faq.id)) },
          ]),
      };
      await sendMessages(
        ctx,
        toMessages(renderPlain(say("telegram.faq_topic_heading", { topic })), keyboard),
      );
      return;
    }
    const faq = sportello.publishedFaqs().find((f) => shortKey(f.id) === action.faqKey);
    if (!faq) {
      await ctx.answerCallbackQuery({ text: say("telegram.callback_stale") });
      return;
    }
    await ctx.answerCallbackQuery();
    await sendMessages(ctx, toMessages(renderBlocks(faqBlocks(faq, sportello))));
  });

  composer.on("message:text", async (ctx) => {
    const text = ctx.message.text;
    if (ctx.chat.type === "private") {
      if (text.startsWith("/")) {
        if (await ctx.person.allowed()) await sendText(ctx, say("telegram.unknown_command"));
        return;
      }
      await answerQuestion(ctx, text);
      return;
    }
    if (!isGroup(ctx) || ctx.from.is_bot) return;
    const question = groupQuestion(ctx.message, { id: ctx.me.id, username: ctx.me.username });
    if (question === undefined) return;
    if (!question) {
      await sendText(ctx, say("telegram.domanda_usage"));
      return;
    }
    await answerQuestion(ctx, question);
  });

  composer.on("message", async (ctx) => {
    if (ctx.chat.type !== "private") return;
    if (await ctx.person.allowed()) await sendText(ctx, say("telegram.not_text"));
  });

  // `person` sets `ctx.person` before any handler runs, so the outer composer may hand the
  // update on as a PersonContext.
  const outer = new Composer<Context>(person);
  outer.use(composer as unknown as Middleware<Context>);
  return outer;
}

/** Telegram shows long button labels cut anyway; keep them readable. */
function buttonLabel(text: string): string {
  return text.length <= 60 ? text : `${text.slice(0, 59)}…`;
}

/** Published FAQ grouped by their first tag, topics sorted by name. */
function faqTopics(faqs: PublishedFaq[]): Map<string, PublishedFaq[]> {
  const byTopic = new Map<string, PublishedFaq[]>();
  for (const faq of faqs) {
    const topic = faq.tags[0]?.trim() || say("telegram.faq_other_topic");
    const list = byTopic.get(topic) ?? [];
    list.push(faq);
    byTopic.set(topic, list);
  }
  return new Map([...byTopic.entries()].sort(([a], [b]) => a.localeCompare(b, "it")));
}

function faqBlocks(faq: PublishedFaq, sportello: Sportello): Block[] {
  const blocks: Block[] = [[{ text: faq.question, style: "b" }]];
  for (const paragraph of faq.answer.split(/\n\s*\n/)) {
    if (paragraph.trim()) blocks.push([{ text: paragraph.trim() }]);
  }
  if (faq.sources.length > 0) {
    const titles = new Map(sportello.documents().map((d) => [d.id, d.shortTitle ?? d.title]));
    const list: Block = [{ text: say("telegram.faq_sources_heading"), style: "b" }];
    for (const [i, source] of faq.sources.entries()) {
      list.push(
        { text: `\n${i + 1}. ` },
        { text: titles.get(source.document) ?? source.document, style: "i" },
      );
      if (source.section) list.push({ text: ` › ${source.section}` });
      if (source.page)
        list.push({ text: `, ${say("telegram.faq_source_page", { page: source.page })}` });
    }
    blocks.push(list);
  }
  return blocks;
}

function startBlocks(sportello: Sportello): Block[] {
  const documents = sportello.documents();
  const list: Block = [{ text: say("telegram.start_documents_heading"), style: "b" }];
  for (const doc of documents) {
    const region = doc.region ?? say("telegram.start_national");
    list.push({ text: `\n${say("telegram.start_document_line", { title: doc.title, region })}` });
  }
  const regions = [...new Set(documents.flatMap((d) => (d.region ? [d.region] : [])))].sort();
  return [
    [{ text: say("telegram.start_intro") }],
    list,
    [
      {
        text:
          regions.length > 0
            ? say("telegram.start_regions", { regions: regions.join(", ") })
            : say("telegram.start_no_regions"),
      },
    ],
    [{ text: say("telegram.start_outro") }],
  ];
}

/** A log line for an error: its stable code when it is one of ours, never the user's text. */
export function describeError(err: unknown): string {
  if (isSportelloError(err)) return `code=${err.code} ${err.message}`;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
