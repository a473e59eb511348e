// Bolt listeners, wired to the Sportello facade. Faults are caught in one place (`guard`): logged
// with their code, and the person gets a short apology where they asked.
import type { App } from "@slack/bolt";
import { type Answer, isSportelloError, type Sportello } from "../../src/index.js";
import { registerButtonHandlers } from "./buttons.js";
import { type HomeAudience, renderSlackHome, weekFigures } from "./home.js";
import { BoundedMap } from "./memory.js";
import { homeOpenedSchema } from "./payloads.js";
import { personMiddleware, personOf } from "./person.js";
import { registerQuestionHandlers } from "./questions.js";
import type { SlackRuntime } from "./runtime.js";

export { slashCommand } from "./questions.js";

/** Groups shown in App Home, and how many are read to count the week's figures. */
const homeGroups = 10;
const homeFigureGroups = 200;

export interface HandlerDeps {
  sportello: Sportello;
  log: (line: string) => void;
  /** Runs one piece of work after the ack, counted for a graceful stop. */
  track: (work: Promise<void>) => Promise<void>;
}

export function registerHandlers(app: App, deps: HandlerDeps): void {
  const { sportello, log } = deps;

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
  // retry_attempt over Socket Mode), always with the same event_id, for about an hour: process
  // it once, also when the service restarted in between (the store keeps the ids).
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === "string" && !sportello.firstDelivery(`slack:event:${eventId}`, 3600)) {
      log(`slack: event ${eventId} already processed, retry ignored`);
      return;
    }
    await next();
  });
  // Who is writing or clicking, read once for every listener below (`context.person`).
  app.use(personMiddleware(sportello));

  const runtime: SlackRuntime = {
    sportello,
    log,
    guard,
    describe,
    answers: new BoundedMap<number, Answer>(1_000),
  };
  registerQuestionHandlers(app, runtime);
  registerButtonHandlers(app, runtime);

  // App Home: the queue and the week's figures for trainers and coordinators, a guide otherwise.
  app.event("app_home_opened", async ({ event, client, context }) => {
    const parsed = homeOpenedSchema.safeParse(event);
    const person = personOf(context);
    if (!parsed.success || (parsed.data.tab && parsed.data.tab !== "home") || !person) return;
    const userId = parsed.data.user;
    await guard("app home", async () => {
      // Who sees the queue is the policy's call (src/curation/policy.ts), not the adapter's.
      const audience: HomeAudience = !person.allowed()
        ? "refused"
        : sportello.may(person.identity, "unanswered.view")
          ? "queue"
          : "guide";
      const staff = audience === "queue";
      const all = staff ? sportello.topUnanswered(homeFigureGroups) : [];
      const figures = weekFigures(
        all,
        staff ? sportello.publishedFaqs().length : 0,
        staff ? sportello.documents().length : 0,
      );
      const view = renderSlackHome({ audience, groups: all.slice(0, homeGroups), figures });
      await client.views.publish({ user_id: userId, view });
    });
  });
}
