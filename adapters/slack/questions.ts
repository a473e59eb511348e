// Questions: mentions in channels, follow-ups in threads the bot answered, direct messages and
// the slash command. Each becomes one `sportello.ask` and one rendered reply.
import type { App, webApi } from "@slack/bolt";
import { type DeliveryAddress, say } from "../../src/index.js";
import { BoundedMap } from "./memory.js";
import { type MessageEvent, messageEventSchema, slashCommandSchema } from "./payloads.js";
import { personOf } from "./person.js";
import { type KnownBlock, readSlackText, renderNotice, renderSlackAnswer } from "./render.js";
import type { SlackRuntime } from "./runtime.js";

type WebClient = webApi.WebClient;

export const slashCommand = "/sportello";

interface Place {
  client: WebClient;
  channel: string;
  /** Thread to answer in; undefined for a DM's main conversation. */
  threadTs?: string;
  userId: string;
  teamId?: string;
  isDm: boolean;
}

export function registerQuestionHandlers(app: App, runtime: SlackRuntime): void {
  const { sportello, log, guard, answers } = runtime;
  /** `${channel}:${thread_ts}` → whether the bot answered in that thread. */
  const threads = new BoundedMap<string, boolean>(20_000);

  async function postInPlace(place: Place, message: { text: string; blocks: KnownBlock[] }) {
    await place.client.chat.postMessage({
      channel: place.channel,
      ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
  }

  /** Refusals and hints only the asker should see: ephemeral in channels, plain in a DM. */
  async function tellPrivately(place: Place, mrkdwn: string) {
    const notice = renderNotice(mrkdwn);
    if (place.isDm) return postInPlace(place, notice);
    await place.client.chat.postEphemeral({
      channel: place.channel,
      user: place.userId,
      ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
      text: notice.text,
      blocks: notice.blocks,
    });
  }

  async function answer(place: Place, rawText: string) {
    const text = readSlackText(rawText);
    if (!text) return tellPrivately(place, say("slack.usage"));
    // ask() checks access (workspace included) and logs a refusal without its text.
    const address: DeliveryAddress = {
      channel: "slack",
      chatId: place.channel,
      ...(place.threadTs ? { threadId: place.threadTs } : {}),
      userId: place.userId,
    };
    const outcome = await sportello.ask(
      {
        text,
        channel: "slack",
        userId: place.userId,
        // The channel id, as access rules name served channels; the thread is in the address.
        conversationId: place.channel,
        ...(place.threadTs ? { threadId: place.threadTs } : {}),
        ...(place.teamId ? { workspaceId: place.teamId } : {}),
      },
      address,
    );
    if (outcome.kind === "refused") {
      return tellPrivately(
        place,
        outcome.reason === "too-long" ? outcome.text : say("slack.refused"),
      );
    }
    await postInPlace(
      place,
      renderSlackAnswer(outcome.answer, { interactionId: outcome.interactionId }),
    );
    if (place.threadTs) threads.set(`${place.channel}:${place.threadTs}`, true);
  }

  function answerGuarded(place: Place, rawText: string, where: string) {
    return guard(
      where,
      () => answer(place, rawText),
      () => postInPlace(place, renderNotice(say("slack.apology"))),
    );
  }

  function isFromABot(event: MessageEvent, botUserId: string | undefined): boolean {
    return (
      event.bot_id !== undefined ||
      event.user === undefined ||
      (botUserId !== undefined && event.user === botUserId)
    );
  }

  // A mention in a channel: answered in the mention's thread (or the thread it was written in).
  app.event("app_mention", async ({ event, client, context }) => {
    const parsed = messageEventSchema.safeParse(event);
    if (!parsed.success) return log("slack: app_mention payload not understood, ignored");
    const mention = parsed.data;
    const person = personOf(context)?.identity;
    if (isFromABot(mention, context.botUserId) || mention.channel.startsWith("D") || !person)
      return;
    const place: Place = {
      client,
      channel: mention.channel,
      threadTs: mention.thread_ts ?? mention.ts,
      userId: person.userId,
      ...(person.workspaceId ? { teamId: person.workspaceId } : {}),
      isDm: false,
    };
    await answerGuarded(place, mention.text, "app_mention");
  });

  /** Whether the bot has answered in a thread: remembered, else asked of Slack once. */
  async function botAnsweredIn(client: WebClient, channel: string, threadTs: string, bot: string) {
    const key = `${channel}:${threadTs}`;
    const known = threads.get(key);
    if (known !== undefined) return known;
    try {
      const replies = await client.conversations.replies({ channel, ts: threadTs, limit: 200 });
      const answered = (replies.messages ?? []).some((m) => m.user === bot);
      threads.set(key, answered);
      return answered;
    } catch (error) {
      // Not knowing is not a fault to apologise for in somebody else's thread: stay silent.
      log(`slack: thread history unavailable (${runtime.describe(error)}), message ignored`);
      return false;
    }
  }

  // Direct messages (every message is a question) and follow-ups in threads the bot answered.
  app.event("message", async ({ event, client, context }) => {
    const parsed = messageEventSchema.safeParse(event);
    if (!parsed.success) return;
    const message = parsed.data;
    // Edits, joins, deletions and other bots' posts are not questions; a reply also sent to the
    // channel ("thread_broadcast") still is.
    if (message.subtype !== undefined && message.subtype !== "thread_broadcast") return;
    const bot = context.botUserId;
    const person = personOf(context)?.identity;
    if (isFromABot(message, bot) || !person) return;
    const teamId = person.workspaceId;
    const userId = person.userId;

    if (message.channel_type === "im") {
      const place: Place = {
        client,
        channel: message.channel,
        ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
        userId,
        ...(teamId ? { teamId } : {}),
        isDm: true,
      };
      return answerGuarded(place, message.text, "direct message");
    }

    const threadTs = message.thread_ts;
    if (!threadTs || threadTs === message.ts || !bot) return;
    // A mention in the thread arrives as app_mention too: answer it there, once.
    if (message.text.includes(`<@${bot}>`)) return;
    const place: Place = {
      client,
      channel: message.channel,
      threadTs,
      userId,
      ...(teamId ? { teamId } : {}),
      isDm: false,
    };
    await guard(
      "thread follow-up",
      async () => {
        if (await botAnsweredIn(client, message.channel, threadTs, bot)) {
          await answer(place, message.text);
        }
      },
      () => postInPlace(place, renderNotice(say("slack.apology"))),
    );
  });

  // /sportello <domanda>: answered ephemerally, with a button to share the answer in the channel.
  app.command(slashCommand, async ({ command, ack, respond, context }) => {
    await ack();
    const parsed = slashCommandSchema.safeParse(command);
    const person = personOf(context)?.identity;
    if (!parsed.success || !person) {
      return log("slack: slash command payload not understood, ignored");
    }
    const { text: raw, channel_id: channel } = parsed.data;
    const { userId, workspaceId: teamId } = person;
    const ephemeral = (message: { text: string; blocks: KnownBlock[] }) =>
      respond({ response_type: "ephemeral", ...message });
    await guard(
      "slash command",
      async () => {
        const text = readSlackText(raw);
        if (!text) return void (await ephemeral(renderNotice(say("slack.usage_command"))));
        // ask() checks access (workspace included) and logs a refusal without its text.
        const outcome = await sportello.ask(
          {
            text,
            channel: "slack",
            userId,
            conversationId: channel,
            ...(teamId ? { workspaceId: teamId } : {}),
          },
          { channel: "slack", chatId: channel, userId },
        );
        if (outcome.kind === "refused") {
          const notice = outcome.reason === "too-long" ? outcome.text : say("slack.refused");
          return void (await ephemeral(renderNotice(notice)));
        }
        answers.set(outcome.interactionId, outcome.answer);
        const id = outcome.interactionId;
        await ephemeral(renderSlackAnswer(outcome.answer, { interactionId: id, shareable: true }));
      },
      () => ephemeral(renderNotice(say("slack.apology"))),
    );
  });
}
