// The console over HTTP (app.request) on the real service: every page and action guarded, the
// curation loop driven from the pages, hostile input kept as text.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { OpenedEngine } from "../../src/answer/open.js";
import { rolesFor } from "../../src/curation/policy.js";
import { maxQuestionLength } from "../../src/service.js";
import { ConsoleClient } from "./client.js";
import { type Harness, openSharedEngine, passwordOf, startHarness, users } from "./harness.js";
import { consoleRoutes, type RouteCase } from "./routes.js";

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

const trainerActor = { channel: "web" as const, userId: users.trainer };
const coordinatorActor = { channel: "web" as const, userId: users.coordinator };

/** A FAQ drafted by the trainer, approved and published by the coordinator. */
function publishFaq(faq: { id: string; question: string; answer: string; tags: string[] }): void {
  const { curation } = h.sportello;
  curation.draftFaq(faq, trainerActor);
  curation.approveFaq(faq.id, coordinatorActor);
  curation.publishFaq(faq.id, coordinatorActor);
}

/** An unanswered group (from a declined question) and a draft FAQ to act on. */
async function seed(): Promise<{ group: number; faq: string; document: string }> {
  const asked = await h.sportello.ask({
    text: unanswerable,
    channel: "web",
    userId: users.operator,
  });
  expect(asked.kind).toBe("declined");
  const group = h.sportello.curation.listUnanswered({}).groups[0];
  if (!group) throw new Error("no group");
  const faq = h.sportello.curation.draftFaq(
    {
      id: "prova-accesso",
      question: "Domanda di prova per l'accesso?",
      answer: "Risposta di prova.",
    },
    { channel: "web", userId: users.trainer },
  );
  return { group: group.id, faq: faq.id, document: "convenzione-basilicata" };
}

/** What the refused requests must not have changed. */
function snapshot() {
  const curation = h.sportello.curation;
  return JSON.stringify({
    groups: curation.listUnanswered({}).groups.map((g) => [g.id, g.status, g.count]),
    faqs: curation.listFaqs().map((f) => [f.id, f.status, f.version]),
    questions: curation.stats().totals.questions,
  });
}

async function send(client: ConsoleClient, route: RouteCase, options: { csrf?: boolean } = {}) {
  return route.method === "GET"
    ? client.get(route.path)
    : client.post(route.path, route.form ?? {}, options);
}

describe("access", () => {
  test("every page and action is refused without a session", async () => {
    const routes = consoleRoutes(await seed());
    const before = snapshot();
    for (const route of routes) {
      const client = new ConsoleClient(h.web.app);
      const response = await send(client, route);
      if (route.method === "GET") {
        expect(response.status, route.path).toBe(303);
        expect(response.location, route.path).toMatch(/^\/accedi\?dopo=/);
      } else {
        expect(response.status, route.path).toBe(401);
        expect(response.text).toContain("Accedi di nuovo");
      }
    }
    expect(snapshot()).toBe(before);
  });

  test("every page and action is refused to a role that may not use it", async () => {
    const routes = consoleRoutes(await seed());
    const before = snapshot();
    const operator = await h.signedIn(users.operator);
    const trainer = await h.signedIn(users.trainer);
    let refusals = 0;
    for (const route of routes) {
      const allowed = rolesFor(route.action, "coordinator");
      for (const [client, role] of [
        [operator, "operator"],
        [trainer, "trainer"],
      ] as const) {
        const roles = role === "operator" ? ["operator"] : ["operator", "trainer"];
        if (roles.some((r) => allowed.includes(r as never))) continue;
        await client.get("/chiedi"); // a fresh CSRF token: the refusal must come from the role
        const response = await send(client, route);
        expect(response.status, `${role} ${route.method} ${route.path}`).toBe(403);
        expect(response.text).toContain("Il tuo ruolo non consente questa operazione");
        refusals++;
      }
    }
    expect(refusals).toBeGreaterThan(20);
    expect(snapshot()).toBe(before);
  });

  test("every action is refused without the CSRF token, or with another session's", async () => {
    const routes = consoleRoutes(await seed()).filter((r) => r.method === "POST");
    const before = snapshot();
    const coordinator = await h.signedIn(users.coordinator);
    const other = await h.signedIn(users.coordinator);
    for (const route of routes) {
      const missing = await coordinator.post(route.path, route.form ?? {}, { csrf: false });
      expect(missing.status, route.path).toBe(403);
      expect(missing.text).toContain("Il modulo è scaduto");
      const foreign = await coordinator.post(route.path, {
        ...(route.form ?? {}),
        _csrf: other.csrf ?? "",
      });
      expect(foreign.status, route.path).toBe(403);
    }
    expect(snapshot()).toBe(before);
  });

  test("every page opens for a coordinator", async () => {
    const routes = consoleRoutes(await seed()).filter((r) => r.method === "GET");
    const coordinator = await h.signedIn(users.coordinator);
    for (const route of routes) {
      const response = await coordinator.get(route.path);
      expect(response.status, route.path).toBe(200);
    }
  });

  test("the navigation shows an operator only the chat, a coordinator every section", async () => {
    const operator = await h.signedIn(users.operator);
    const page = await operator.get("/chiedi");
    expect(page.text).toContain('href="/chiedi"');
    expect(page.text).not.toContain('href="/senza-risposta"');
    expect(page.text).not.toContain('href="/faq"');
    const coordinator = await h.signedIn(users.coordinator);
    const full = await coordinator.get("/chiedi");
    for (const href of ["/chiedi", "/senza-risposta", "/faq", "/andamento", "/documenti"]) {
      expect(full.text).toContain(`href="${href}"`);
    }
  });

  test("a form over 1 MB is refused before it is read", async () => {
    const coordinator = await h.signedIn(users.coordinator);
    await coordinator.get("/faq/nuova");
    const before = snapshot();
    const response = await coordinator.post("/faq", { domanda: "x".repeat(2_000_000) });
    expect(response.status).toBe(413);
    expect(response.text).toContain("supera 1 MB");
    expect(snapshot()).toBe(before);
  });

  test("pages carry a strict CSP, refuse framing and are never cached", async () => {
    const coordinator = await h.signedIn(users.coordinator);
    const response = await coordinator.get("/faq");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const css = await coordinator.get("/static/console.css");
    expect(css.headers.get("content-type")).toContain("text/css");
  });
});

describe("the curation loop from the pages", () => {
  test("a question declined in the chat box becomes a group; a FAQ created from it and published answers the next ask()", async () => {
    const operator = await h.signedIn(users.operator);
    await operator.get("/chiedi");
    await operator.post("/chiedi", { domanda: unanswerable });
    const chat = await operator.get("/chiedi");
    expect(chat.text).toContain("Ho annotato la domanda per i formatori");

    const trainer = await h.signedIn(users.trainer);
    const list = await trainer.get("/senza-risposta");
    expect(list.text).toContain(unanswerable);
    const groupId = Number(/href="\/senza-risposta\/(\d+)"/.exec(list.text)?.[1]);
    const group = await trainer.get(`/senza-risposta/${groupId}`);
    expect(group.text).toContain("Crea FAQ da questo gruppo");
    const editor = await trainer.get(`/faq/nuova?gruppo=${groupId}`);
    expect(editor.text).toContain(`value="${unanswerable}"`);
    expect(editor.text).toContain(`name="gruppo" value="${groupId}"`);

    const answer =
      "La Carta RdC si ritira presso gli uffici postali, dopo il messaggio di Poste Italiane.";
    const saved = await trainer.post("/faq", {
      id: "ritiro-carta-rdc",
      domanda: unanswerable,
      alternative: "dove si ritira la carta rdc\ncome ottengo la carta del reddito di cittadinanza",
      risposta: answer,
      fonte_documento: ["", ""],
      fonte_sezione: ["", ""],
      fonte_pagina: ["", ""],
      regione: "",
      tag: "rdc, carta",
      motivo: "",
      gruppo: String(groupId),
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe("/faq/ritiro-carta-rdc");
    const draft = await trainer.follow(saved);
    expect(draft.text).toContain("Bozza salvata");
    expect(draft.text).not.toContain(">Approva<"); // a trainer does not approve under "coordinator"

    const coordinator = await h.signedIn(users.coordinator);
    const page = await coordinator.get("/faq/ritiro-carta-rdc");
    expect(page.text).toContain(">Approva<");
    expect(
      (await coordinator.post("/faq/ritiro-carta-rdc/approva", { versione: "1" })).status,
    ).toBe(303);
    const approved = await coordinator.get("/faq/ritiro-carta-rdc");
    expect(approved.text).toContain("FAQ approvata");
    expect(
      (await coordinator.post("/faq/ritiro-carta-rdc/pubblica", { versione: "2" })).status,
    ).toBe(303);
    expect((await coordinator.get("/faq/ritiro-carta-rdc")).text).toContain("FAQ pubblicata");

    const outcome = await h.sportello.ask({
      text: unanswerable,
      channel: "telegram",
      userId: "42",
    });
    expect(outcome.kind).toBe("answered");
    if (outcome.kind !== "answered") return;
    expect(outcome.answer.source).toBe("faq");
    expect(outcome.answer.faq?.id).toBe("ritiro-carta-rdc");
    expect(outcome.answer.parts.body).toContain(answer);

    await operator.post("/chiedi", { domanda: "dove si ritira la carta rdc?" });
    expect((await operator.get("/chiedi")).text).toContain(answer);
    const resolved = await trainer.get(`/senza-risposta/${groupId}`);
    expect(resolved.text).toContain("risolta con FAQ");
  });

  test("an answer given with uncertainty is listed 'da verificare' with the FAQ offered, and confirmed from its page", async () => {
    // Words the documents never use: they decline, and the FAQ is offered as probable.
    publishFaq({
      id: "sala-zefiro",
      question: "Come si prenota la sala riunioni Zefiro?",
      answer: "La sala Zefiro si prenota dal portale interno Orione, con un giorno di anticipo.",
      tags: ["zefiro", "orione"],
    });
    const question = "portale orione anticipo zefiro";
    const asked = await h.sportello.ask({ text: question, channel: "telegram", userId: "42" });
    expect(asked.kind === "answered" && asked.answer.uncertain).toBe(true);
    await h.sportello.ask({ text: unanswerable, channel: "telegram", userId: "42" });

    const trainer = await h.signedIn(users.trainer);
    const list = await trainer.get("/senza-risposta?tipo=da-verificare");
    expect(list.text).toContain(question);
    expect(list.text).not.toContain(unanswerable);
    expect(list.text).toContain("1 da verificare");
    expect(list.text).toContain("1 gruppo aperto senza risposta");
    expect(list.text).toContain("1 gruppo aperto da verificare");
    expect((await trainer.get("/senza-risposta?tipo=senza-risposta")).text).not.toContain(question);
    const groupId = Number(/href="\/senza-risposta\/(\d+)"/.exec(list.text)?.[1]);
    const page = await trainer.get(`/senza-risposta/${groupId}`);
    expect(page.text).toContain("Risposte da verificare");
    expect(page.text).toContain(`FAQ proposta: <a href="/faq/sala-zefiro">`);
    expect(page.text).toContain("Crea FAQ da questo gruppo");

    const confirmed = await trainer.post(`/senza-risposta/${groupId}/conferma`, {});
    expect(confirmed.status).toBe(303);
    const after = await trainer.follow(confirmed);
    expect(after.text).toContain("Domanda confermata");
    expect(after.text).toContain("risolta con FAQ");
    const again = await h.sportello.ask({ text: question, channel: "telegram", userId: "42" });
    expect(again.kind === "answered" && again.answer.uncertain).toBe(false);
    expect(again.kind === "answered" && again.answer.faq?.id).toBe("sala-zefiro");
  });

  test("an answer to verify offers one-click confirmation of each FAQ its asker was shown; confirming another makes it the certain answer", async () => {
    const faqs = [
      {
        id: "pass-vega",
        question: "Come si ottiene il pass per il parcheggio Vega?",
        answer: "Il pass per il parcheggio Vega si chiede alla portineria Altair.",
        tags: ["vega", "altair"],
      },
      {
        id: "pass-vega-ospiti",
        question: "Chi rilascia il pass ospiti del parcheggio Vega?",
        answer: "Il pass ospiti del parcheggio Vega lo rilascia la portineria Altair in giornata.",
        tags: ["vega", "altair", "ospiti"],
      },
    ];
    for (const faq of faqs) publishFaq(faq);
    const question = "portineria altair vega";
    const asked = await h.sportello.ask({ text: question, channel: "telegram", userId: "42" });
    if (asked.kind !== "answered") throw new Error(asked.kind);
    expect(asked.answer.uncertain).toBe(true);
    const offered = asked.answer.faq?.id ?? "";
    const other = faqs.find((f) => f.id !== offered);
    if (!other) throw new Error("no other FAQ");
    expect(asked.answer.alsoOffered?.map((f) => f.id)).toContain(other.id);

    const trainer = await h.signedIn(users.trainer);
    const list = await trainer.get("/senza-risposta?tipo=da-verificare");
    const groupId = Number(
      new RegExp(`href="/senza-risposta/(\\d+)"[^<]*>${question}`).exec(list.text)?.[1],
    );
    const page = await trainer.get(`/senza-risposta/${groupId}`);
    expect(page.text).toContain("Indicate anche:");
    expect(page.text).toContain(`<a href="/faq/${other.id}">${other.question}</a>`);
    const buttons = [...page.text.matchAll(/name="conferma" value="(\d+):([^"]+)"/g)];
    expect(buttons.map((b) => b[2])).toEqual([offered, other.id]);
    expect(page.text).toContain(`Conferma con «${other.question}»`);

    const confirmed = await trainer.post(`/senza-risposta/${groupId}/conferma`, {
      conferma: `${buttons[1]?.[1]}:${other.id}`,
    });
    expect(confirmed.status).toBe(303);
    const after = await trainer.follow(confirmed);
    expect(after.text).toContain("Domanda confermata");
    expect(after.text).toContain("risolta con FAQ");
    const again = await h.sportello.ask({ text: question, channel: "telegram", userId: "42" });
    expect(again.kind === "answered" && again.answer.faq?.id).toBe(other.id);
    expect(again.kind === "answered" && again.answer.uncertain).toBe(false);
  });

  test("the publish form says of each queued question whether it had no answer or one to verify", async () => {
    const curation = h.sportello.curation;
    publishFaq({
      id: "armadio-lyra",
      question: "Dove si trova la chiave dell'armadio Lyra?",
      answer: "La chiave dell'armadio Lyra è custodita dalla segreteria Deneb.",
      tags: ["lyra", "deneb"],
    });
    const toVerify = "armadio custodito deneb lyra";
    const asked = await h.sportello.ask({ text: toVerify, channel: "telegram", userId: "42" });
    expect(asked.kind === "answered" && asked.answer.uncertain).toBe(true);
    await h.sportello.ask({ text: unanswerable, channel: "telegram", userId: "42" });
    const groupOf = (category: "uncertain" | "unanswered") =>
      curation.listUnanswered({ category }).groups[0]?.id ?? 0;
    const target = groupOf("uncertain");
    curation.mergeGroups(target, [groupOf("unanswered")], trainerActor);
    curation.draftFaq(
      {
        groupId: target,
        id: "chiavi-ufficio",
        question: "Chi custodisce le chiavi dell'ufficio?",
        answer: "Le chiavi le custodisce la segreteria Deneb.",
      },
      trainerActor,
    );
    curation.approveFaq("chiavi-ufficio", coordinatorActor);

    const coordinator = await h.signedIn(users.coordinator);
    const page = await coordinator.get("/faq/chiavi-ufficio");
    const form = page.text.slice(page.text.indexOf('id="pubblica"'));
    expect(form).toContain(`${toVerify} <span class="badge uncertain">da verificare</span>`);
    expect(form).toContain(`<span class="badge declined">senza risposta</span>`);
  });

  test("a published FAQ edited and published again from the console answers with the new text", async () => {
    const coordinator = await h.signedIn(users.coordinator);
    const id = "firmatari-convenzione-basilicata";
    const page = await coordinator.get(`/faq/${id}/modifica`);
    const version = /name="versione" value="(\d+)"/.exec(page.text)?.[1] ?? "";
    const newAnswer =
      "Firmano il Dirigente Generale della Regione Basilicata e l'Amministratore unico di Anpal Servizi (testo aggiornato).";
    const saved = await coordinator.post(`/faq/${id}`, {
      versione: version,
      domanda: "Chi firma la convenzione tra Anpal Servizi e la Regione Basilicata?",
      alternative: "chi firma la convenzione per la regione basilicata",
      risposta: newAnswer,
      fonte_documento: ["convenzione-basilicata", ""],
      fonte_sezione: ["Firme", ""],
      fonte_pagina: ["", ""],
      regione: "Basilicata",
      tag: "convenzione, basilicata",
      motivo: "Testo più chiaro",
    });
    expect(saved.status).toBe(303);
    const v = Number(version);
    await coordinator.post(`/faq/${id}/approva`, { versione: String(v + 1) });
    await coordinator.post(`/faq/${id}/pubblica`, { versione: String(v + 2) });
    const outcome = await h.sportello.ask({
      text: "chi firma la convenzione per la regione basilicata?",
      channel: "slack",
      userId: "U1",
    });
    expect(outcome.kind).toBe("answered");
    if (outcome.kind === "answered")
      expect(outcome.answer.parts.body).toContain("testo aggiornato");
    const history = await coordinator.get(`/faq/${id}/versioni`);
    expect(history.text).toContain("Testo più chiaro");
    expect(history.text).toMatch(/class="add">\+ [^<]*testo aggiornato/);
    expect(history.text).toMatch(/class="del">− /);
  });

  test("a retired FAQ stops answering", async () => {
    const coordinator = await h.signedIn(users.coordinator);
    const id = "firmatari-convenzione-basilicata";
    const page = await coordinator.get(`/faq/${id}`);
    const version = /name="versione" value="(\d+)"/.exec(page.text)?.[1] ?? "";
    const retired = await coordinator.post(`/faq/${id}/ritira`, {
      versione: version,
      motivo: "superata",
    });
    expect(retired.status).toBe(303);
    expect((await coordinator.follow(retired)).text).toContain("FAQ ritirata");
    const outcome = await h.sportello.ask({
      text: "chi firma la convenzione per la regione basilicata?",
      channel: "cli",
      userId: "local",
    });
    if (outcome.kind !== "refused") expect(outcome.answer.faq?.id).not.toBe(id);
  });

  test("an action on a version the person did not see is refused and changes nothing", async () => {
    await seed();
    const coordinator = await h.signedIn(users.coordinator);
    await coordinator.get("/faq/prova-accesso");
    h.sportello.curation.editFaq(
      "prova-accesso",
      { answer: "Cambiata da un altro formatore." },
      "altro",
      {
        channel: "web",
        userId: users.otherTrainer,
      },
    );
    const response = await coordinator.post("/faq/prova-accesso/approva", { versione: "1" });
    expect(response.status).toBe(303);
    expect((await coordinator.follow(response)).text).toContain(
      "Nel frattempo qualcuno ha cambiato la FAQ «prova-accesso»",
    );
    expect(h.sportello.curation.faq("prova-accesso")?.status).toBe("bozza");
  });

  test("a trainer cannot approve a FAQ (coordinator policy), and curation's own errors reach the page", async () => {
    await seed();
    const trainer = await h.signedIn(users.trainer);
    await trainer.get("/faq/prova-accesso");
    expect((await trainer.post("/faq/prova-accesso/approva", { versione: "1" })).status).toBe(403);
    const coordinator = await h.signedIn(users.coordinator);
    await coordinator.get("/faq/prova-accesso");
    // Publishing a draft that is not approved: curation refuses, the page says why.
    const response = await coordinator.post("/faq/prova-accesso/pubblica", { versione: "1" });
    const page = await coordinator.follow(response);
    expect(page.text).toMatch(/class="flash error"/);
    expect(h.sportello.curation.faq("prova-accesso")?.status).toBe("bozza");
  });

  test("a group dismissed with a reason stays dismissed when the question comes again", async () => {
    const { group } = await seed();
    const trainer = await h.signedIn(users.trainer);
    await trainer.get(`/senza-risposta/${group}`);
    const empty = await trainer.post(`/senza-risposta/${group}/scarta`, { motivo: "" });
    expect((await trainer.follow(empty)).text).toContain("Scrivi il motivo");
    await trainer.post(`/senza-risposta/${group}/scarta`, {
      motivo: "Non riguarda i servizi per il lavoro",
    });
    const page = await trainer.get(`/senza-risposta/${group}`);
    expect(page.text).toContain("Non riguarda i servizi per il lavoro");
    expect(page.text).toContain(">scartata<");
    await h.sportello.ask({ text: unanswerable, channel: "web", userId: users.operator });
    const again = h.sportello.curation.unansweredGroup(group);
    expect(again?.status).toBe("scartata");
    expect(again?.count).toBe(2);
  });

  test("the list filters by status and channel and sorts by count or recency", async () => {
    const ask = (text: string, channel: "web" | "cli", userId: string) =>
      h.sportello.ask({ text, channel, userId });
    await ask(unanswerable, "web", users.operator);
    await ask("Quanto costa il biglietto del treno per Milano?", "cli", "local");
    await ask("Quanto costa il biglietto del treno per Milano??", "cli", "local");
    const trainer = await h.signedIn(users.trainer);
    const byCount = await trainer.get("/senza-risposta");
    expect(byCount.text.indexOf("biglietto")).toBeLessThan(byCount.text.indexOf("Carta RdC"));
    const web = await trainer.get("/senza-risposta?canale=web");
    expect(web.text).toContain("Carta RdC");
    expect(web.text).not.toContain("biglietto");
    const dismissed = await trainer.get("/senza-risposta?stato=scartata");
    expect(dismissed.text).toContain("Nessun gruppo corrisponde");
    const odd = await trainer.get("/senza-risposta?stato=%3Cscript%3E&canale=fax&da=-4&dal=ieri");
    expect(odd.status).toBe(200);
    const csv = await trainer.get("/senza-risposta.csv?canale=cli");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text).toContain("biglietto");
    expect(csv.text).not.toContain("Carta RdC");
  });
});

describe("chat", () => {
  test("an answer shows its citations and the feedback buttons; non utile puts it in the queue", async () => {
    const operator = await h.signedIn(users.operator);
    await operator.get("/chiedi");
    await operator.post("/chiedi", {
      domanda: "Come vengono trattati i dati personali nella convenzione con la Basilicata?",
    });
    const page = await operator.get("/chiedi");
    expect(page.text).toMatch(/<ol class="citations"/);
    expect(page.text).toContain('value="non_utile"');
    const id = /name="interazione" value="(\d+)"/.exec(page.text)?.[1] ?? "";
    const response = await operator.post("/chiedi/feedback", {
      interazione: id,
      giudizio: "non_utile",
      commento: "manca il riferimento",
    });
    expect((await operator.follow(response)).text).toContain("Il tuo giudizio: non utile");
    expect(h.sportello.curation.listUnanswered({}).total).toBe(1);
    const forged = await operator.post("/chiedi/feedback", {
      interazione: "999",
      giudizio: "utile",
    });
    expect((await operator.follow(forged)).text).toContain("Non trovo questa risposta");
  });

  test("a short follow-up is read against the previous question and says how", async () => {
    const operator = await h.signedIn(users.operator);
    await operator.get("/chiedi");
    await operator.post("/chiedi", { domanda: "Quanti navigator lavorano in Emilia-Romagna?" });
    await operator.post("/chiedi", { domanda: "e in Piemonte?" });
    const page = await operator.get("/chiedi");
    expect(page.text).toContain("Intendi: «Quanti navigator lavorano in Piemonte?»");
  });
});

describe("hostile input", () => {
  const script = `<script>alert("x")</script><img src=x onerror=alert(1)>"'&`;
  const big = `${script} ${"<b>molto</b> testo ".repeat(5600)}`;

  function expectEscaped(html: string) {
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<b>molto</b>");
    expect(html).toContain("&lt;script&gt;alert(");
  }

  test("every form field keeps HTML, scripts and 100 KB of text as text", async () => {
    expect(big.length).toBeGreaterThan(100_000);
    const { group } = await seed();

    // Chat box and feedback comment.
    const operator = await h.signedIn(users.operator);
    await operator.get("/chiedi");
    await operator.post("/chiedi", {
      domanda: `chi firma la convenzione per la regione basilicata? ${script}`,
    });
    expectEscaped((await operator.get("/chiedi")).text);
    // The markup's words are searched too, so that question may be declined: the feedback
    // below goes on an answered one.
    await operator.post("/chiedi", {
      domanda: "chi firma la convenzione per la regione basilicata?",
    });
    const answered = await operator.get("/chiedi");
    expectEscaped(answered.text);
    const interaction = /name="interazione" value="(\d+)"/.exec(answered.text)?.[1] ?? "";
    const tooLong = await operator.post("/chiedi/feedback", {
      interazione: interaction,
      giudizio: "segnala",
      commento: big,
    });
    const refusedComment = await operator.follow(tooLong);
    expect(refusedComment.text).toContain("Il commento supera 2000 caratteri");
    expectEscaped(refusedComment.text);
    const rated = await operator.post("/chiedi/feedback", {
      interazione: interaction,
      giudizio: "segnala",
      commento: script,
    });
    const ratedPage = await operator.follow(rated);
    expect(ratedPage.text).toContain("Il tuo giudizio: segnalata");
    expectEscaped(ratedPage.text);
    // 100 KB is over the longest question: a polite note, nothing searched or logged; the
    // longest question allowed goes through.
    await operator.post("/chiedi", { domanda: big });
    const overLimit = await operator.get("/chiedi");
    expect(overLimit.text).toContain("La domanda è troppo lunga");
    await operator.post("/chiedi", { domanda: big.slice(0, maxQuestionLength) });
    const chat = await operator.get("/chiedi");
    expectEscaped(chat.text);

    // The hostile question is now an unanswered group, shown in the list and on its page.
    const trainer = await h.signedIn(users.trainer);
    const list = await trainer.get("/senza-risposta");
    expectEscaped(list.text);
    // The group holding the longest question (with the short hostile one, when grouped together).
    const hostileGroup = h.sportello.curation
      .listUnanswered({})
      .groups.find((g) =>
        h.sportello.curation
          .unansweredGroup(g.id)
          ?.phrasings.some((p) => p.text.length > 1_000 && p.text.includes("<script>")),
      );
    expect(hostileGroup).toBeDefined();
    expectEscaped((await trainer.get(`/senza-risposta/${hostileGroup?.id}`)).text);
    expectEscaped((await trainer.get(`/faq/nuova?gruppo=${hostileGroup?.id}`)).text);

    // Dismissal reason.
    await trainer.get(`/senza-risposta/${group}`);
    await trainer.post(`/senza-risposta/${group}/scarta`, { motivo: script });
    expect(h.sportello.curation.unansweredGroup(group)?.dismissReason).toBe(script);
    expectEscaped((await trainer.get(`/senza-risposta/${group}`)).text);

    // Every field of the FAQ editor.
    await trainer.get("/faq/nuova");
    const badId = await trainer.post("/faq", { id: script, domanda: script, risposta: big });
    expect(badId.status).toBe(400);
    expectEscaped(badId.text);
    const saved = await trainer.post("/faq", {
      id: "ostile",
      domanda: `${script} domanda`,
      alternative: `${script} prima\n${script} seconda`,
      risposta: big,
      fonte_documento: [script, ""],
      fonte_sezione: [script, ""],
      fonte_pagina: ["", ""],
      regione: script,
      tag: `${script}, etichetta`,
      motivo: script,
    });
    expect(saved.status).toBe(303);
    const stored = h.sportello.curation.faq("ostile");
    expect(stored?.answer).toBe(big.trim());
    expect(stored?.region).toBe(script);
    expect(stored?.sources[0]?.section).toBe(script);
    for (const path of [
      "/faq/ostile",
      "/faq/ostile/modifica",
      "/faq/ostile/versioni",
      "/faq?q=script",
    ]) {
      expectEscaped((await trainer.get(path)).text);
    }
    const badPage = await trainer.post("/faq/ostile", {
      versione: "1",
      domanda: "domanda",
      risposta: "risposta",
      fonte_documento: ["convenzione-basilicata"],
      fonte_pagina: [script],
    });
    expect(badPage.status).toBe(400);
    expectEscaped(badPage.text);

    // Approval and retirement reasons, shown in the history.
    const coordinator = await h.signedIn(users.coordinator);
    await coordinator.get("/faq/ostile");
    await coordinator.post("/faq/ostile/approva", { versione: "1" });
    await coordinator.post("/faq/ostile/pubblica", { versione: "2" });
    await coordinator.post("/faq/ostile/ritira", { versione: "3", motivo: script });
    expectEscaped((await coordinator.get("/faq/ostile/versioni")).text);
    expectEscaped((await coordinator.get("/andamento")).text);

    // Search box, filters and the sign-in form echo what they were given, escaped.
    expectEscaped((await coordinator.get(`/faq?q=${encodeURIComponent(script)}`)).text);
    const signIn = new ConsoleClient(h.web.app);
    await signIn.get("/accedi");
    const refused = await signIn.post("/accedi", { utente: script, password: "x" });
    expect(refused.status).toBe(401);
    expectEscaped(refused.text);
  });
});

describe("Andamento and Documenti", () => {
  test("Andamento shows the day's questions, the rates and a CSV export", async () => {
    await seed();
    await h.sportello.ask({
      text: "chi firma la convenzione per la regione basilicata?",
      channel: "web",
      userId: users.operator,
    });
    const coordinator = await h.signedIn(users.coordinator);
    const page = await coordinator.get("/andamento");
    expect(page.text).toContain("<svg");
    expect(page.text).toContain("Domande al giorno");
    expect(page.text).toMatch(/<div class="value">2<\/div>/);
    expect(page.text).toContain("50%");
    const csv = await coordinator.get("/andamento.csv?periodo=tutto");
    expect(csv.headers.get("content-disposition")).toContain("attachment");
    const day = new Date().toISOString().slice(0, 10);
    expect(csv.text).toContain(`giorno,${day},2,1,1,0,0.5000`);
    expect(csv.text.split("\r\n")[0]).toBe(
      "sezione,chiave,domande,con_risposta,senza_risposta,rifiutate,tasso_risposta,utili,non_utili",
    );
  });

  test("Andamento lists the uncovered topics, filtered by channel", async () => {
    await seed();
    const coordinator = await h.signedIn(users.coordinator);
    const topics = (text: string) => text.split('id="argomenti"')[1]?.split("</section>")[0] ?? "";
    const all = topics((await coordinator.get("/andamento")).text);
    expect(all).toContain("Argomenti senza risposta e senza FAQ");
    expect(all).toContain(`<td>${unanswerable}</td>`);
    expect(all).toMatch(/<td class="num">1<\/td><td class="num">1<\/td>/);
    const telegram = topics((await coordinator.get("/andamento?canale=telegram")).text);
    expect(telegram).toContain("Nessun argomento scoperto");
    expect(telegram).not.toContain(unanswerable);
  });

  test("Documenti lists the corpus with its passages and shows a re-ingestion's progress", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await h.close();
    h = await startHarness(opened, { applyCorpus: () => gate });
    const coordinator = await h.signedIn(users.coordinator);
    const list = await coordinator.get("/documenti");
    expect(list.text).toContain("Convenzione");
    const document = await coordinator.get("/documenti/convenzione-basilicata");
    const count = h
      .corpus()
      .passages.filter((p) => p.documentId === "convenzione-basilicata").length;
    expect(document.text).toContain(`Passaggi (${count})`);
    expect(document.text).toContain("Donato Viggiano");

    const trainer = await h.signedIn(users.trainer);
    await trainer.get("/documenti/convenzione-basilicata");
    expect((await trainer.post("/documenti/convenzione-basilicata/reindicizza")).status).toBe(403);

    const started = await coordinator.post("/documenti/convenzione-basilicata/reindicizza");
    expect(started.status).toBe(303);
    const running = await coordinator.follow(started);
    expect(running.text).toContain("Reindicizzazione in corso");
    expect(running.text).toContain('http-equiv="refresh"');
    release();
    await h.reingestSettled();
    const done = await coordinator.get("/documenti/convenzione-basilicata");
    expect(done.text).toContain(`Reindicizzazione completata: ${count} passaggi`);
    expect(done.text).not.toContain('http-equiv="refresh"');
  });
});

describe("server", () => {
  test("start() listens on 127.0.0.1 and stop() closes", async () => {
    const { createConsole } = await import("../../adapters/web/console.js");
    const { fileCredentialStore } = await import("../../adapters/web/auth/passwords.js");
    const web = createConsole({
      sportello: h.sportello,
      curation: h.sportello.curation,
      credentials: fileCredentialStore(`${h.dir}/none.json`),
      port: 0,
    });
    const { url } = await web.start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const response = await fetch(`${url}chiedi`, { redirect: "manual" });
    expect(response.status).toBe(303);
    await web.stop();
    await expect(fetch(url)).rejects.toThrow();
  });

  test("createConsoleForApp serves the configured users over real HTTP, cookie and all", async () => {
    const { createConsoleForApp } = await import("../../adapters/web/index.js");
    const web = createConsoleForApp({
      app: h.sportello,
      config: h.config,
      corpus: () => opened.corpus,
      overrides: { port: 0 },
    });
    const { url } = await web.start();
    try {
      const form = await fetch(`${url}accedi`);
      const cookie = (form.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
      const signIn = await fetch(`${url}accedi`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          _csrf: csrf,
          utente: users.trainer,
          password: passwordOf(users.trainer),
        }),
      });
      expect(signIn.status).toBe(303);
      const session = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      const documents = await fetch(`${url}documenti/convenzione-basilicata`, {
        headers: { cookie: session },
      });
      expect(documents.status).toBe(200);
      expect(await documents.text()).toContain("Donato Viggiano");
    } finally {
      await web.stop();
    }
  });
});
