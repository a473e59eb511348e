// Bolt listeners: each turns a Slack event into one call on the Sportello facade and renders what
// comes back. Faults are caught in one place (`guard`): logged with their code, and the person
// gets a short apology where they asked.
import type { App, webApi } from "@slack/bolt";
import type { Answer } from "../../src/answer/types.js";
import { isSportelloError } from "../../src/errors.js";
import { say } from "../../src/prompts.js";
import type { DeliveryAddress, FeedbackKind, Identity, Sportello } from "../../src/service.js";
import { feedbackKinds } from "../../src/service.js";
import { renderSlackHome, seesQueue, weekFigures } from "./home.js";
import { BoundedMap, SeenEvents } from "./memory.js";
import {
  type BlockActions,
  blockActionsSchema,
  homeOpenedSchema,
  type MessageEvent,
  messageEventSchema,
  slashCommandSchema,
} from "./payloads.js";
import {
  actionIds,
  escapeMrkdwn,
  type KnownBlock,
  readSlackText,
  renderFeedbackChoice,
  renderNotice,
  renderPassageModal,
  renderSharedAnswer,
  renderSlackAnswer,
} from "./render.js";

type WebClient = webApi.WebClient;

export const slashCommand = "/sportello";

/** Groups shown in App Home, and how many are read to count the week's figures. */
const homeGroups = 10;
const homeFigureGroups = 200;

export interface HandlerDeps {
  sportello: Sportello;
  log: (line: string) => void;
  /** Runs one piece of work after the ack, counted for a graceful stop. */
  track: (work: Promise<void>) => Promise<void>;
}

interface Place {
  client: WebClient;
  channel: string;
  /** Thread to answer in; undefined for a DM's main conversation. */
  threadTs?: string;
  userId: string;
  teamId?: string;
  isDm: boolean;
}

export function registerHandlers(app: App, deps: HandlerDeps): void {
  const { sportello, log } = deps;
  const seen = new SeenEvents();
  /** `${channel}:${thread_ts}` → whether the bot answered in that thread. */
  const threads = new BoundedMap<string, boolean>(20_000);
  /** Answers behind ephemeral replies, for "Condividi" and feedback on them. */
  const answers = new BoundedMap<number, Answer>(1_000);

  function describe(error: unknown): string {
    if (isSportelloError(error)) return `${error.code} ${error.message}`;
    if (error instanceof Error) {
      const code = (error as { code?: unknown }).code;
      return `${typeof code === "string" ? `${code} ` : ""}${error.message}`;
    }
    return String(error);
  }

  /** The one place faults are caught: log the code, apologise where the person asked. */
  function guard(where: string, work: () => Promise<void>, apologise?: () => Promise<unknown>) {
    return deps.track(
      (async () => {
        try {
          await work();
        } catch (error) {
          log(`slack: ${where} failed: ${describe(error)}`);
          if (!apologise) return;
          try {
            await apologise();
          } catch (again) {
            log(`slack: ${where} apology not delivered: ${describe(again)}`);
          }
        }
      })(),
    );
  }

  // Slack retries an event it thinks was not delivered (X-Slack-Retry-Num over HTTP,
  // retry_attempt over Socket Mode), always with the same event_id: process it once.
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === "string" && !seen.firstTime(eventId)) {
      log(`slack: event ${eventId} already processed, retry ignored`);
      return;
    }
    await next();
  });

  function identity(place: Place): Identity {
    return {
      channel: "slack",
      userId: place.userId,
      chatId: place.channel,
      ...(place.teamId ? { workspaceId: place.teamId } : {}),
    };
  }

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
    if (!sportello.access(identity(place)).allowed) {
      return tellPrivately(place, say("slack.refused"));
    }
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
      },
      address,
    );
    if (outcome.kind === "refused") return tellPrivately(place, escapeMrkdwn(outcome.text));
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
  app.event("app_mention", async ({ event, body, client, context }) => {
    const parsed = messageEventSchema.safeParse(event);
    if (!parsed.success) return log("slack: app_mention payload not understood, ignored");
    const mention = parsed.data;
    if (isFromABot(mention, context.botUserId) || mention.channel.startsWith("D")) return;
    const place: Place = {
      client,
      channel: mention.channel,
      threadTs: mention.thread_ts ?? mention.ts,
      userId: mention.user ?? "",
      teamId: mention.team ?? (body as { team_id?: string }).team_id,
      isDm: false,
    };
    await answerGuarded(place, mention.text, "app_mention");
  });

  /** Whether the bot has answered in a thread: remembered, else asked of Slack once. */
  async function botAnsweredIn(client: WebClient, channel: string, threadTs: string, bot: string) {
    const key = `${channel}:${threadTs}`;
    const known = threads.get(key);
    if (known !== undefined) return known;
    const replies = await client.conversations.replies({ channel, ts: threadTs, limit: 200 });
    const answered = (replies.messages ?? []).some((m) => m.user === bot);
    threads.set(key, answered);
    return answered;
  }

  // Direct messages (every message is a question) and follow-ups in threads the bot answered.
  app.event("message", async ({ event, body, client, context }) => {
    const parsed = messageEventSchema.safeParse(event);
    if (!parsed.success) return;
    const message = parsed.data;
    // Edits, joins, deletions and other bots' posts are not questions; a reply also sent to the
    // channel ("thread_broadcast") still is.
    if (message.subtype !== undefined && message.subtype !== "thread_broadcast") return;
    const bot = context.botUserId;
    if (isFromABot(message, bot)) return;
    const teamId = message.team ?? (body as { team_id?: string }).team_id;
    const userId = message.user ?? "";

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
  app.command(slashCommand, async ({ command, ack, respond }) => {
    await ack();
    const parsed = slashCommandSchema.safeParse(command);
    if (!parsed.success) return log("slack: slash command payload not understood, ignored");
    const { text: raw, user_id: userId, channel_id: channel, team_id: teamId } = parsed.data;
    const ephemeral = (message: { text: string; blocks: KnownBlock[] }) =>
      respond({ response_type: "ephemeral", ...message });
    await guard(
      "slash command",
      async () => {
        const text = readSlackText(raw);
        if (!text) return void (await ephemeral(renderNotice(say("slack.usage_command"))));
        const who: Identity = {
          channel: "slack",
          userId,
          chatId: channel,
          ...(teamId ? { workspaceId: teamId } : {}),
        };
        if (!sportello.access(who).allowed) {
          return void (await ephemeral(renderNotice(say("slack.refused"))));
        }
        const outcome = await sportello.ask(
          { text, channel: "slack", userId, conversationId: channel },
          { channel: "slack", chatId: channel, userId },
        );
        if (outcome.kind === "refused") {
          return void (await ephemeral(renderNotice(escapeMrkdwn(outcome.text))));
        }
        answers.set(outcome.interactionId, outcome.answer);
        const id = outcome.interactionId;
        await ephemeral(renderSlackAnswer(outcome.answer, { interactionId: id, shareable: true }));
      },
      () => ephemeral(renderNotice(say("slack.apology"))),
    );
  });

  function parseActions(body: unknown): BlockActions | undefined {
    const parsed = blockActionsSchema.safeParse(body);
    if (!parsed.success) log("slack: block_actions payload not understood, ignored");
    return parsed.success ? parsed.data : undefined;
  }

  function actionIdentity(actions: BlockActions): Identity {
    const teamId = actions.team?.id ?? actions.user.team_id;
    return {
      channel: "slack",
      userId: actions.user.id,
      ...(actions.channel ? { chatId: actions.channel.id } : {}),
      ...(teamId ? { workspaceId: teamId } : {}),
    };
  }

  /** A reply only the clicker sees, next to the message they clicked. */
  async function tellClicker(
    client: WebClient,
    actions: BlockActions,
    respond: ((m: object) => Promise<unknown>) | undefined,
    mrkdwn: string,
  ) {
    const notice = renderNotice(mrkdwn);
    if (respond && actions.response_url) {
      await respond({ response_type: "ephemeral", replace_original: false, ...notice });
    } else if (actions.channel) {
      await client.chat.postEphemeral({
        channel: actions.channel.id,
        user: actions.user.id,
        ...notice,
      });
    }
  }

  // Utile / Non utile / Segnala ai formatori: recorded, then the message shows the choice.
  app.action(new RegExp(`^${actionIds.feedbackPrefix}`), async ({ ack, body, client, respond }) => {
    await ack();
    const actions = parseActions(body);
    const action = actions?.actions[0];
    if (!actions || !action) return;
    const kind = action.action_id.slice(actionIds.feedbackPrefix.length) as FeedbackKind;
    const interactionId = Number(action.value);
    if (!feedbackKinds.includes(kind) || !Number.isSafeInteger(interactionId)) return;
    const apologise = () => tellClicker(client, actions, respond, say("slack.apology"));
    await guard(
      "feedback",
      async () => {
        const outcome = await sportello.feedback({
          interactionId,
          identity: actionIdentity(actions),
          kind,
        });
        if (outcome.kind !== "recorded") {
          return tellClicker(client, actions, respond, escapeMrkdwn(outcome.text));
        }
        await showChoice(client, actions, respond, interactionId, kind);
      },
      apologise,
    );
  });

  async function showChoice(
    client: WebClient,
    actions: BlockActions,
    respond: ((m: object) => Promise<unknown>) | undefined,
    interactionId: number,
    kind: FeedbackKind,
  ) {
    const userId = actions.user.id;
    if (actions.container?.is_ephemeral) {
      // Ephemeral messages cannot be edited with chat.update, and Slack does not send their
      // blocks back: re-render from the answer kept when it was sent.
      const kept = answers.get(interactionId);
      if (kept && respond) {
        const message = renderSlackAnswer(kept, { interactionId, shareable: true });
        const blocks = renderFeedbackChoice(message.blocks, kind, userId);
        await respond({ replace_original: true, text: message.text, blocks });
        return;
      }
      return tellClicker(client, actions, respond, say(`slack.choice_${kind}`));
    }
    if (!actions.message || !actions.channel) return;
    const blocks = (actions.message.blocks ?? []) as KnownBlock[];
    await client.chat.update({
      channel: actions.channel.id,
      ts: actions.message.ts,
      text: actions.message.text ?? "",
      blocks: renderFeedbackChoice(blocks, kind, userId),
    });
  }

  // Mostra fonte: the whole passage in a modal.
  app.action(new RegExp(`^${actionIds.sourcePrefix}`), async ({ ack, body, client, respond }) => {
    await ack();
    const actions = parseActions(body);
    const passageId = actions?.actions[0]?.value;
    if (!actions || !passageId) return;
    await guard(
      "show source",
      async () => {
        if (!sportello.access(actionIdentity(actions)).allowed) {
          return tellClicker(client, actions, respond, say("slack.refused"));
        }
        const retrieved = sportello.passage(passageId);
        if (!retrieved || !actions.trigger_id) {
          return tellClicker(client, actions, respond, say("slack.source_missing"));
        }
        await client.views.open({
          trigger_id: actions.trigger_id,
          view: renderPassageModal(retrieved),
        });
      },
      () => tellClicker(client, actions, respond, say("slack.apology")),
    );
  });

  // Condividi nel canale: the ephemeral answer posted for everyone, the ephemeral one removed.
  app.action(actionIds.share, async ({ ack, body, client, respond }) => {
    await ack();
    const actions = parseActions(body);
    const interactionId = Number(actions?.actions[0]?.value);
    if (!actions?.channel || !Number.isSafeInteger(interactionId)) return;
    const channel = actions.channel.id;
    await guard(
      "share",
      async () => {
        const kept = answers.get(interactionId);
        if (!kept) return tellClicker(client, actions, respond, say("slack.share_expired"));
        const shared = renderSharedAnswer(kept, interactionId, actions.user.id);
        try {
          await client.chat.postMessage({ channel, ...shared, unfurl_links: false });
        } catch (error) {
          log(`slack: share failed: ${describe(error)}`);
          return tellClicker(client, actions, respond, say("slack.share_failed"));
        }
        if (respond) await respond({ delete_original: true });
      },
      () => tellClicker(client, actions, respond, say("slack.apology")),
    );
  });

  // App Home: the queue and the week's figures for trainers and coordinators, a guide otherwise.
  app.event("app_home_opened", async ({ event, body, client }) => {
    const parsed = homeOpenedSchema.safeParse(event);
    if (!parsed.success || (parsed.data.tab && parsed.data.tab !== "home")) return;
    const userId = parsed.data.user;
    const teamId = (body as { team_id?: string }).team_id;
    await guard("app home", async () => {
      const access = sportello.access({
        channel: "slack",
        userId,
        ...(teamId ? { workspaceId: teamId } : {}),
      });
      const staff = seesQueue(access);
      const all = staff ? sportello.topUnanswered(homeFigureGroups) : [];
      const figures = weekFigures(
        all,
        staff ? sportello.publishedFaqs().length : 0,
        staff ? sportello.documents().length : 0,
      );
      const view = renderSlackHome({ access, groups: all.slice(0, homeGroups), figures });
      await client.views.publish({ user_id: userId, view });
    });
  });
}
