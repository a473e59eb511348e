// `sportello chat`: the console chat on the local corpus, through the same service as the bots,
// so questions are logged, declined ones reach the trainers, and feedback is recorded.
import { createInterface } from "node:readline";
import {
  type FeedbackKind,
  listInItalian,
  localCliUser,
  type SportelloApp,
  say,
} from "../../src/index.js";
import { renderTerminalAnswer } from "./render.js";

const feedbackKeys: Record<string, FeedbackKind> = {
  "+": "utile",
  "-": "non_utile",
  "!": "segnala",
};
const exitWords = new Set(["esci", "exit", "quit", "fine", "ciao"]);

export async function runChat(
  app: SportelloApp,
  passages: number,
  userId = localCliUser,
): Promise<void> {
  const documents = app.documents();
  const regions = [...new Set(documents.map((d) => d.region ?? "nazionale"))];
  const out = (text: string) => process.stdout.write(`${text}\n`);
  out(
    say("cli.chat_welcome", {
      documents: documents.length,
      passages,
      regions: listInItalian(regions),
    }),
  );
  const pending = app.pendingCliNotifications(userId);
  if (pending.length > 0) {
    out(`\n${say("cli.chat_notifications", { count: pending.length })}`);
    for (const notification of pending) {
      out(`\n${notification.text}`);
      app.markNotificationDelivered(notification.id);
    }
  }

  // The async iterator buffers lines, so questions piped in all at once are all answered.
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY,
  });
  const prompt = () => process.stdout.write(`\n${say("cli.chat_prompt")}`);
  let lastInteraction: number | null = null;
  try {
    prompt();
    for await (const line of rl) {
      const text = line.trim();
      if (exitWords.has(text.toLowerCase())) break;
      const feedback = feedbackKeys[text];
      if (feedback && lastInteraction !== null) {
        const outcome = await app.feedback({
          interactionId: lastInteraction,
          identity: { channel: "cli", userId },
          kind: feedback,
        });
        out(outcome.text);
      } else if (text) {
        const outcome = await app.ask(
          { text, channel: "cli", userId, conversationId: "console" },
          { channel: "cli", chatId: "console", userId },
        );
        if (outcome.kind === "refused") {
          out(outcome.text);
        } else {
          lastInteraction = outcome.interactionId;
          out(`\n${renderTerminalAnswer(outcome.answer)}`);
          if (outcome.kind === "answered") out(`\n${say("cli.chat_feedback_hint")}`);
        }
      }
      prompt();
    }
  } finally {
    rl.close();
    out(`\n${say("cli.chat_bye")}`);
  }
}
