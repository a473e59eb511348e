// Buttons under an answer: Utile / Non utile / Segnala ai formatori, Mostra fonte, and
// Condividi nel canale on the slash command's ephemeral answers.
import type { App, webApi } from "@slack/bolt";
import { type FeedbackKind, feedbackKinds, say } from "../../src/index.js";
import { type BlockActions, blockActionsSchema } from "./payloads.js";
import { personOf } from "./person.js";
import {
  actionIds,
  escapeMrkdwn,
  type KnownBlock,
  renderFeedbackChoice,
  renderNotice,
  renderPassageModal,
  renderSharedAnswer,
  renderSlackAnswer,
} from "./render.js";
import type { SlackRuntime } from "./runtime.js";

type WebClient = webApi.WebClient;

export function registerButtonHandlers(app: App, runtime: SlackRuntime): void {
  const { sportello, log, guard, describe, answers } = runtime;

  function parseActions(body: unknown): BlockActions | undefined {
    const parsed = blockActionsSchema.safeParse(body);
    if (!parsed.success) log("slack: block_actions payload not understood, ignored");
    return parsed.success ? parsed.data : undefined;
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
  app.action(new RegExp(`^${actionIds.feedbackPrefix}`), async (args) => {
    const { ack, body, client, respond, context } = args;
    await ack();
    const actions = parseActions(body);
    const action = actions?.actions[0];
    const person = personOf(context);
    if (!actions || !action || !person) return;
    const kind = action.action_id.slice(actionIds.feedbackPrefix.length) as FeedbackKind;
    const interactionId = Number(action.value);
    if (!feedbackKinds.includes(kind) || !Number.isSafeInteger(interactionId)) return;
    const apologise = () => tellClicker(client, actions, respond, say("slack.apology"));
    await guard(
      "feedback",
      async () => {
        const outcome = await sportello.feedback({
          interactionId,
          identity: person.identity,
          kind,
        });
        if (outcome.kind !== "recorded") {
          return tellClicker(client, actions, respond, escapeMrkdwn(outcome.text));
        }
        await showChoice(client, actions, respond, interactionId, kind, outcome.text);
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
    confirmation: string,
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
      return tellClicker(client, actions, respond, escapeMrkdwn(confirmation));
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
  app.action(new RegExp(`^${actionIds.sourcePrefix}`), async (args) => {
    const { ack, body, client, respond, context } = args;
    await ack();
    const actions = parseActions(body);
    const passageId = actions?.actions[0]?.value;
    const person = personOf(context);
    if (!actions || !passageId || !person) return;
    await guard(
      "show source",
      async () => {
        if (!person.allowed()) {
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
}
