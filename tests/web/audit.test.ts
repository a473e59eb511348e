// The audit trail from the console: sign-ins, curation done in the pages and re-ingestion each
// leave their entries; refused requests leave none; the Registro attività page shows them to
// coordinators only, newest first, escaped.
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { OpenedEngine } from "../../src/answer/open.js";
import type { AuditRecord } from "../../src/curation/curation.js";
import { ConsoleClient } from "./client.js";
import { type Harness, openSharedEngine, passwordOf, startHarness, users } from "./harness.js";
import { serveLikeSportello } from "./local-harness.js";

const unanswerable =
  "Qual è la procedura per ottenere la Carta RdC e presso quale ufficio si ritira?";

let shared: Awaited<ReturnType<typeof openSharedEngine>>;
let opened: OpenedEngine;
let h: Harness;

beforeAll(async () => {
  shared = await openSharedEngine();
  opened = shared.opened;
});
afterAll(() => shared.cleanup());
beforeEach(async () => {
  h = await startHarness(opened);
});
afterEach(async () => {
  await h.close();
});

/** Entries made by people (the start-up import of knowledge/faq is Sportello's own). */
function trail(): AuditRecord[] {
  return h.sportello.curation
    .audit({ limit: 10_000 })
    .entries.filter((e) => e.actor !== "knowledge-file");
}

const pseudonym = (channel: string, user: string) =>
  h.sportello.store.sealer.pseudonym(channel, user);

/** The actions of the rows the Registro attività page shows, top to bottom. */
function rowsOf(html: string): string[] {
  return [...html.matchAll(/<tr data-action="([a-z._]+)"/g)].map((m) => m[1] ?? "");
}

async function declinedGroup(): Promise<number> {
  const asked = await h.sportello.ask({
    text: unanswerable,
    channel: "web",
    userId: users.operator,
  });
  expect(asked.kind).toBe("declined");
  const group = h.sportello.curation.listUnanswered({}).groups[0];
  if (!group) throw new Error("no group");
  return group.id;
}

describe("Registro attività", () => {
  test("is for coordinators only: refused without a session and to other roles, linked only for coordinators", async () => {
    const anonymous = new ConsoleClient(h.web.app);
    const away = await anonymous.get("/registro");
    expect(away.status).toBe(303);
    expect(away.location).toBe("/accedi?dopo=%2Fregistro");
    for (const user of [users.operator, users.trainer]) {
      const client = await h.signedIn(user);
      const refused = await client.get("/registro");
      expect(refused.status, user).toBe(403);
      expect(refused.text).toContain("Il tuo ruolo non consente questa operazione");
      expect((await client.get("/chiedi")).text).not.toContain('href="/registro"');
    }
    const coordinator = await h.signedIn(users.coordinator);
    const chat = await coordinator.get("/chiedi");
    expect(chat.text).toContain('<a href="/registro">Registro attività</a>');
    const page = await coordinator.get("/registro");
    expect(page.status).toBe(200);
    expect(page.text).toContain("<h1>Registro attività</h1>");
    expect(page.text).toContain("ruoli: operatore, formatore, coordinatore");
  });

  test("records each sign-in at once, failed and throttled attempts once per name with their count, under a pseudonym", async () => {
    await h.signedIn(users.coordinator);
    expect(trail().map((e) => [e.action, e.actor, e.who, e.detail])).toEqual([
      [
        "console.signin",
        pseudonym("web", users.coordinator),
        "Carla Coordinatrice (web:carla)",
        { roles: ["operator", "trainer", "coordinator"] },
      ],
    ]);

    const stranger = new ConsoleClient(h.web.app);
    expect((await stranger.signIn("intruso-98765", "qualunque")).status).toBe(401);
    // Five wrong passwords for Tina, then this browser has to wait before the next is checked.
    const guesser = new ConsoleClient(h.web.app);
    for (let i = 0; i < 5; i++) {
      expect((await guesser.signIn(users.trainer, `sbagliata-${i}`)).status).toBe(401);
    }
    expect((await guesser.signIn(users.trainer, passwordOf(users.trainer))).status).toBe(429);

    // The first attempt of each name and kind at once; the rest when the window closes (or the
    // console stops).
    const once = (action: string, user: string) => [
      action,
      pseudonym("web", user),
      { attempts: 1 },
    ];
    expect(
      trail()
        .reverse()
        .map((e) => [e.action, e.actor, e.detail]),
    ).toEqual([
      [
        "console.signin",
        pseudonym("web", users.coordinator),
        { roles: ["operator", "trainer", "coordinator"] },
      ],
      once("console.signin_failed", "intruso-98765"),
      once("console.signin_failed", users.trainer),
      once("console.signin_throttled", users.trainer),
    ]);
    await h.web.stop();
    const entries = trail().reverse();
    expect(entries.at(-1)?.action).toBe("console.signin_failed");
    expect(entries.at(-1)?.actor).toBe(pseudonym("web", users.trainer));
    expect(entries.at(-1)?.detail).toMatchObject({ attempts: 4 });
    expect(entries).toHaveLength(5);
    expect(entries[1]?.who).toMatch(/^utente [0-9a-f]{8}$/);

    // Closed here so that every page is on disk; the harness's close afterwards is harmless.
    await h.sportello.close();
    const path = h.config.dbPath;
    const bytes =
      readFileSync(path).toString("latin1") +
      readFileSync(`${path}-wal`, { flag: "a+" }).toString("latin1");
    expect(bytes).not.toContain("intruso-98765");
    expect(bytes).toContain(pseudonym("web", "intruso-98765"));
  });

  test("a sign-in that cannot be recorded does not happen", async () => {
    // Another connection makes every audit insert fail, as a full disk would.
    const db = new Database(h.config.dbPath);
    db.exec(
      "CREATE TRIGGER audit_broken BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disco pieno'); END",
    );
    db.close();
    const client = new ConsoleClient(h.web.app);
    const response = await client.signIn(users.coordinator, passwordOf(users.coordinator));
    expect(response.status).toBe(500);
    expect(response.text).toContain("Qualcosa non ha funzionato");
    const after = await client.get("/registro");
    expect(after.status).toBe(303);
    expect(after.location).toMatch(/^\/accedi/);
  });

  test("shows a dismissal and a FAQ publication made in the pages, newest first, escaped", async () => {
    const group = await declinedGroup();
    const trainer = await h.signedIn(users.trainer);
    await trainer.get(`/senza-risposta/${group}`);
    const dismissed = await trainer.post(`/senza-risposta/${group}/scarta`, {
      motivo: "<script>alert('x')</script> fuori tema",
    });
    expect(dismissed.status).toBe(303);

    h.sportello.curation.draftFaq(
      { id: "prova-registro", question: "Domanda di prova?", answer: "Risposta di prova." },
      { channel: "web", userId: users.trainer },
    );
    const coordinator = await h.signedIn(users.coordinator);
    await coordinator.get("/faq/prova-registro");
    expect((await coordinator.post("/faq/prova-registro/approva", { versione: "1" })).status).toBe(
      303,
    );
    await coordinator.get("/faq/prova-registro");
    expect((await coordinator.post("/faq/prova-registro/pubblica", { versione: "2" })).status).toBe(
      303,
    );

    const actions = trail().map((e) => [e.action, e.who, e.target]);
    expect(actions).toEqual([
      ["faq.publish", "Carla Coordinatrice (web:carla)", "prova-registro"],
      ["faq.approve", "Carla Coordinatrice (web:carla)", "prova-registro"],
      ["console.signin", "Carla Coordinatrice (web:carla)", null],
      ["faq.draft", "Tina Formatrice (web:tina)", "prova-registro"],
      ["group.dismiss", "Tina Formatrice (web:tina)", String(group)],
      ["console.signin", "Tina Formatrice (web:tina)", null],
    ]);

    const page = await coordinator.get("/registro");
    expect(rowsOf(page.text).filter((a) => a !== "faq.import")).toEqual([
      "faq.publish",
      "faq.approve",
      "console.signin",
      "faq.draft",
      "group.dismiss",
      "console.signin",
    ]);
    expect(page.text).toContain("FAQ pubblicata");
    expect(page.text).toContain('<a href="/faq/prova-registro">prova-registro</a>');
    expect(page.text).toContain(`<a href="/senza-risposta/${group}">gruppo n. ${group}</a>`);
    expect(page.text).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; fuori tema");
    expect(page.text).not.toContain("<script>alert");

    const publishes = await coordinator.get("/registro?azione=faq.publish");
    expect(rowsOf(publishes.text)).toEqual(["faq.publish"]);
    expect(publishes.text).toContain("versione: 3 · motivo: pubblicata");
    const dismissals = await coordinator.get("/registro?azione=group");
    expect(rowsOf(dismissals.text)).toEqual(["group.dismiss"]);
  });

  test("a refused or invalid action adds no entry", async () => {
    const group = await declinedGroup();
    h.sportello.curation.draftFaq(
      { id: "prova-registro", question: "Domanda di prova?", answer: "Risposta di prova." },
      { channel: "web", userId: users.trainer },
    );
    const trainer = await h.signedIn(users.trainer);
    const operator = await h.signedIn(users.operator);
    const before = trail().length;
    await trainer.get(`/senza-risposta/${group}`);
    // Wrong role, no CSRF token, no reason, unknown group, a step curation refuses.
    expect((await operator.post(`/senza-risposta/${group}/scarta`, { motivo: "x" })).status).toBe(
      403,
    );
    expect(
      (await trainer.post(`/senza-risposta/${group}/scarta`, { motivo: "x" }, { csrf: false }))
        .status,
    ).toBe(403);
    expect((await trainer.post(`/senza-risposta/${group}/scarta`, { motivo: "" })).status).toBe(
      303,
    );
    expect((await trainer.post("/senza-risposta/9999/scarta", { motivo: "x" })).status).toBe(303);
    expect((await trainer.post("/faq/prova-registro/approva", { versione: "1" })).status).toBe(403);
    expect((await trainer.post("/documenti/convenzione-basilicata/reindicizza")).status).toBe(403);
    expect(trail()).toHaveLength(before);
    expect(h.sportello.curation.unansweredGroup(group)?.status).toBe("aperta");
  });

  test("records a re-ingestion started by a coordinator, with the document", async () => {
    const coordinator = await h.signedIn(users.coordinator);
    await coordinator.get("/documenti/convenzione-basilicata");
    const started = await coordinator.post("/documenti/convenzione-basilicata/reindicizza");
    expect(started.status).toBe(303);
    await h.reingestSettled();
    const [entry] = trail();
    expect(entry).toMatchObject({
      action: "knowledge.reingest",
      actor: pseudonym("web", users.coordinator),
      target: "convenzione-basilicata",
    });
    const page = await coordinator.get("/registro?azione=knowledge");
    expect(rowsOf(page.text)).toEqual(["knowledge.reingest"]);
    expect(page.text).toContain(
      '<a href="/documenti/convenzione-basilicata">convenzione-basilicata</a>',
    );
  });

  test("filters by day; made-up filters show everything instead of failing", async () => {
    const coordinator = await h.signedIn(users.coordinator);
    const all = rowsOf((await coordinator.get("/registro")).text);
    expect(all).toContain("console.signin");
    for (const query of ["azione=%3Cscript%3E", "azione=faq.delete", "dal=2026-02-30", "da=-5"]) {
      const page = await coordinator.get(`/registro?${query}`);
      expect(page.status, query).toBe(200);
      expect(rowsOf(page.text), query).toEqual(all);
    }
    const future = await coordinator.get("/registro?dal=2999-01-01");
    expect(rowsOf(future.text)).toEqual([]);
    expect(future.text).toContain("Nessuna voce corrisponde ai filtri scelti.");
  });
});

describe("the local sign-in link", () => {
  test("is recorded once, as the local user", async () => {
    const s = await serveLikeSportello(opened);
    try {
      const link = new URL(s.localSignInUrl ?? "");
      const browser = s.client();
      expect((await browser.get(link.pathname + link.search)).status).toBe(303);
      // Opened again by someone else: refused, and not recorded as a sign-in.
      expect((await s.client().get(link.pathname + link.search)).status).toBe(303);
      const entries = s.sportello.curation
        .audit({ action: "console" })
        .entries.map((e) => [e.action, e.who]);
      expect(entries).toEqual([["console.local_link", "cli:local"]]);
      expect((await browser.get("/registro")).text).toContain(
        "accesso alla console con il link locale",
      );
    } finally {
      await s.close();
    }
  });
});
