// The role policy is the same in every way in: one table of people and actions, walked through
// the console, Telegram, Slack and the CLI on one real service. Each channel is asked only what
// it offers; what each person sees or may do must be what src/curation/policy.ts says.
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerCurationCommands } from "../../adapters/cli/curation-commands.js";
import { openCuration } from "../../src/app.js";
import { type ApprovalPolicy, type CurationAction, may } from "../../src/curation/policy.js";
import { isSportelloError } from "../../src/errors.js";
import type { Role } from "../../src/service.js";
import { type HttpHarness, startHttpHarness, viewTexts } from "../slack/harness.js";
import { privateChat, type Running, startBot } from "../telegram/harness.js";
import { type Harness, openSharedEngine, startHarness, users } from "../web/harness.js";

interface Person {
  name: string;
  roles: Role[];
  telegram: number;
  slack: string;
  /** A console account; none for someone without a role (they cannot sign in at all). */
  web: string | null;
  cli: string;
}

const people: Person[] = [
  { name: "nobody", roles: [], telegram: 9100, slack: "UNESSUNO", web: null, cli: "cli:nessuno" },
  {
    name: "operator",
    roles: ["operator"],
    telegram: 9101,
    slack: "UOPERATORE",
    web: users.operator,
    cli: "cli:oscar",
  },
  {
    name: "trainer",
    roles: ["operator", "trainer"],
    telegram: 9102,
    slack: "UFORMATORE",
    web: users.trainer,
    cli: "cli:tea",
  },
  {
    name: "coordinator",
    roles: ["operator", "trainer", "coordinator"],
    telegram: 9103,
    slack: "UCOORDINATORE",
    web: users.coordinator,
    cli: "cli:cora",
  },
];

const declined = "Come si prenota la sala mensa del terzo piano per la festa di fine anno";

interface World {
  h: Harness;
  bot: Running;
  slack: HttpHarness;
  /** A fresh draft written by a trainer outside the table (so nobody here is its author). */
  freshDraft(): string;
}

/** Whether `person` was let through, asked the way one channel asks. */
type Probe = (world: World, person: Person) => Promise<boolean>;

async function cli(world: World, ...args: string[]): Promise<boolean> {
  const program = new Command("sportello").exitOverride().configureOutput({
    writeOut: () => {},
    writeErr: () => {},
  });
  registerCurationCommands(program, {
    open: () => openCuration({ config: world.h.config, log: () => {} }),
    write: () => {},
  });
  try {
    await program.parseAsync(args, { from: "user" });
    return true;
  } catch (error) {
    if (isSportelloError(error) && error.code === "FORBIDDEN") return false;
    throw error;
  }
}

async function viaConsole(world: World, person: Person, method: "GET" | "POST", path: string) {
  if (!person.web) return false;
  const client = await world.h.signedIn(person.web);
  await client.get("/chiedi"); // a CSRF token for the form
  const response =
    method === "GET" ? await client.get(path) : await client.post(path, { versione: "1" });
  if (response.status === 403) return false;
  expect(response.status, `${person.name} ${method} ${path}`).toBeLessThan(400);
  return true;
}

const probes: Record<
  "console" | "telegram" | "slack" | "cli",
  Partial<Record<CurationAction, Probe>>
> = {
  console: {
    "unanswered.view": (w, p) => viaConsole(w, p, "GET", "/senza-risposta"),
    "faq.view": (w, p) => viaConsole(w, p, "GET", "/faq"),
    "faq.draft": (w, p) => viaConsole(w, p, "GET", "/faq/nuova"),
    "suggestions.review": (w, p) => viaConsole(w, p, "GET", "/faq/suggerimenti"),
    "stats.view": (w, p) => viaConsole(w, p, "GET", "/andamento"),
    "audit.view": (w, p) => viaConsole(w, p, "GET", "/registro"),
    "faq.approve": async (w, p) => {
      const id = w.freshDraft();
      await viaConsole(w, p, "POST", `/faq/${id}/approva`);
      return w.h.sportello.curation.faq(id)?.status === "approvata";
    },
  },
  telegram: {
    // /pendenti: the queue, or a refusal.
    "unanswered.view": async (w, p) => {
      const chat = privateChat({ id: p.telegram, first_name: p.name });
      const reply = w.bot.nextMessage(chat.id);
      await w.bot.api.sendText(chat, { id: p.telegram, first_name: p.name }, "/pendenti");
      return (await reply).text.includes(declined);
    },
  },
  slack: {
    // The App Home tab: the queue, or the guide.
    "unanswered.view": async (w, p) => {
      const before = w.slack.api.callsTo("views.publish").length;
      await w.slack.sendEvent({
        type: "app_home_opened",
        user: p.slack,
        channel: "DHOME",
        tab: "home",
        event_ts: "1690000000.1",
      });
      const calls = await w.slack.api.waitFor("views.publish", () => true, before + 1);
      return viewTexts(calls[before]).includes(declined);
    },
  },
  cli: {
    "unanswered.view": (w, p) => cli(w, "unanswered", "list", "--as", p.cli),
    "faq.view": (w, p) => cli(w, "faq", "list", "--as", p.cli),
    "faq.draft": (w, p) =>
      cli(w, "faq", "draft", "--question", `Domanda di prova di ${p.name}?`, "--as", p.cli),
    "suggestions.review": (w, p) => cli(w, "faq", "suggestions", "--as", p.cli),
    "stats.view": (w, p) => cli(w, "stats", "--as", p.cli),
    "audit.view": (w, p) => cli(w, "audit", "--as", p.cli),
    "faq.approve": (w, p) => cli(w, "faq", "approve", w.freshDraft(), "--as", p.cli),
  },
};

let shared: Awaited<ReturnType<typeof openSharedEngine>>;
beforeAll(async () => {
  shared = await openSharedEngine();
});
afterAll(() => shared.cleanup());

describe.each(["coordinator", "second-trainer"] as const)("approval: %s", (approval) => {
  let world: World;

  beforeAll(async () => {
    const named = (role: Role) =>
      people
        .filter((p) => p.roles.at(-1) === role)
        .flatMap((p) => [`telegram:${p.telegram}`, `slack:${p.slack}`, p.cli]);
    const h = await startHarness(shared.opened, {
      approval: approval satisfies ApprovalPolicy,
      moreRoles: {
        operators: named("operator"),
        trainers: named("trainer"),
        coordinators: named("coordinator"),
      },
    });
    await h.sportello.ask({ text: declined, channel: "telegram", userId: "42" });
    let drafts = 0;
    world = {
      h,
      bot: await startBot({ sportello: h.sportello }),
      slack: await startHttpHarness(h.sportello),
      freshDraft: () =>
        h.sportello.curation.draftFaq(
          {
            id: `bozza-${++drafts}`,
            question: `Domanda numero ${drafts}?`,
            answer: "Una risposta completa.",
          },
          { channel: "web", userId: users.otherTrainer },
        ).id,
    };
  }, 60_000);

  afterAll(async () => {
    await world.bot.stop();
    await world.slack.stop();
    await world.h.close();
  });

  it("the queue was seeded", () => {
    expect(world.h.sportello.topUnanswered(5).flatMap((g) => g.examples)).toContain(declined);
  });

  for (const [channel, actions] of Object.entries(probes)) {
    for (const [action, probe] of Object.entries(actions) as [CurationAction, Probe][]) {
      it(`${channel}: ${action} follows the policy for every role`, async () => {
        const seen: Record<string, boolean> = {};
        const expected: Record<string, boolean> = {};
        for (const person of people) {
          seen[person.name] = await probe(world, person);
          expected[person.name] = may(person.roles, action, approval);
        }
        expect(seen).toEqual(expected);
      });
    }
  }
});
