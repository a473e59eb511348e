// Chiedi: the same ask() and feedback() as the bots, as the signed-in user (web:NAME, or cli:local
// after the local sign-in link).
import type { Hono } from "hono";
import { type FeedbackKind, feedbackKinds, maxQuestionLength, may } from "../../../src/index.js";
import { rememberTurn } from "../auth/sessions.js";
import type { ConsoleDeps, ConsoleEnv } from "../context.js";
import { actorOf, field, guard, page, redirect, redirectWithFlash } from "../http.js";
import { t } from "../text.js";
import { ChatPage } from "../views/chat.js";

const maxCommentLength = 2000;

export function chatRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.get("/chiedi", guard(deps, "ask"), (c) => {
    const { session } = actorOf(c);
    const linkDocuments =
      Boolean(deps.documents) && may(session.roles, "documents.view", deps.approval);
    // Answers to this person's earlier console questions: shown now, so delivered.
    const notices = deps.curation?.consoleNotices(session.user ?? "") ?? [];
    for (const notice of notices) deps.curation?.markNotificationDelivered(notice.id);
    session.notices = 0;
    return page(
      c,
      <ChatPage
        session={session}
        approval={deps.approval}
        linkDocuments={linkDocuments}
        notices={notices}
      />,
    );
  });

  app.post("/chiedi", guard(deps, "ask"), async (c) => {
    const { session, actor } = actorOf(c);
    const text = field(c.get("form"), "domanda");
    if (!text) return redirectWithFlash(c, "/chiedi", "error", t("chat.empty"));
    // Asked through the web (also after the local sign-in link, which acts as the CLI user);
    // the address lets the console tell the asker when a FAQ answers the question.
    const outcome = await deps.sportello.ask(
      {
        text,
        channel: actor.channel,
        userId: actor.userId,
        conversationId: `console:${actor.userId}`,
        ...(actor.channel !== "web" ? { via: "web" as const } : {}),
      },
      { channel: "web", chatId: `console:${actor.userId}`, userId: actor.userId },
    );
    // The session keeps what the page shows again, never more than a question can be.
    const shown = text.length > maxQuestionLength ? `${text.slice(0, 200)}…` : text;
    rememberTurn(session, { question: shown, outcome });
    return redirect(c, "/chiedi#ultima");
  });

  app.post("/chiedi/feedback", guard(deps, "ask"), async (c) => {
    const { session, actor } = actorOf(c);
    const form = c.get("form");
    const kind = field(form, "giudizio");
    const interactionId = Number(field(form, "interazione"));
    // Only answers given in this session: an id typed by hand cannot rate someone else's answer.
    const turn = session.chat.find(
      (item) => item.outcome.kind !== "refused" && item.outcome.interactionId === interactionId,
    );
    if (!turn || !feedbackKinds.includes(kind as FeedbackKind)) {
      return redirectWithFlash(c, "/chiedi", "error", t("chat.feedback_unknown"));
    }
    const comment = field(form, "commento");
    if (comment.length > maxCommentLength) {
      return redirectWithFlash(
        c,
        "/chiedi#ultima",
        "error",
        t("chat.comment_too_long", { max: maxCommentLength }),
      );
    }
    const outcome = await deps.sportello.feedback({
      interactionId,
      identity: actor,
      kind: kind as FeedbackKind,
      comment: comment || undefined,
    });
    if (outcome.kind === "recorded") turn.feedback = kind as FeedbackKind;
    return redirectWithFlash(
      c,
      "/chiedi#ultima",
      outcome.kind === "recorded" ? "ok" : "error",
      outcome.text,
    );
  });

  app.post("/chiedi/svuota", guard(deps, "ask"), (c) => {
    const { session } = actorOf(c);
    session.chat = [];
    return redirect(c, "/chiedi");
  });
}
