// First run: with no roles configured and the console on 127.0.0.1, start() hands back a one-time
// link that signs the browser in as the local user with every role. Over real HTTP on 127.0.0.1,
// with createConsoleForApp as `sportello serve` calls it.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { isLoopbackAddress } from "../../adapters/web/auth/local-access.js";
import type { OpenedEngine } from "../../src/answer/open.js";
import { say } from "../../src/prompts.js";
import { openSharedEngine } from "./harness.js";
import { type ServeOptions, serveLikeSportello } from "./local-harness.js";

const unanswerable =
  "Qual è la procedura per ottenere la Carta RdC e presso quale ufficio si ritira?";

let shared: Awaited<ReturnType<typeof openSharedEngine>>;
let opened: OpenedEngine;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  shared = await openSharedEngine();
  opened = shared.opened;
});
afterAll(() => shared.cleanup());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(options: ServeOptions = {}) {
  const running = await serveLikeSportello(opened, options);
  cleanups.push(() => running.close());
  return running;
}

/** The path and query of the printed link, for the client. */
function pathOf(link: string): string {
  const parsed = new URL(link);
  return parsed.pathname + parsed.search;
}

function tokenOf(link: string): string {
  return new URL(link).searchParams.get("token") ?? "";
}

describe("the local sign-in link", () => {
  test("with no roles configured, the link signs the browser in as the local user with every role and opens Chiedi", async () => {
    const s = await serve();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(s.localSignInUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/accesso\/locale\?token=[A-Za-z0-9_-]{43}$/,
    );
    const link = s.localSignInUrl ?? "";
    expect(say("web.local.serve_link", { url: link })).toContain(link);

    const browser = s.client();
    const response = await browser.get(pathOf(link));
    expect(response.status).toBe(303);
    expect(response.location).toBe("/chiedi");
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^sportello_console=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/");

    const chat = await browser.follow(response);
    expect(chat.status).toBe(200);
    expect(chat.text).toContain("La tua domanda");
    expect(chat.text).toContain("utente locale · operatore, formatore, coordinatore");
    for (const section of ["/senza-risposta", "/faq", "/andamento", "/documenti"]) {
      expect(chat.text).toContain(`href="${section}"`);
      expect((await browser.get(section)).status, section).toBe(200);
    }
    // The same browser opening the link again just goes back in: nothing to spend.
    expect((await browser.get(pathOf(link))).location).toBe("/chiedi");
  });

  test("the local user asks, drafts, approves and publishes a FAQ; the store records cli:local", async () => {
    const s = await serve();
    const browser = s.client();
    await browser.follow(await browser.get(pathOf(s.localSignInUrl ?? "")));

    // CSRF as usual: a form without the session's token changes nothing.
    expect((await browser.post("/chiedi", { domanda: unanswerable }, { csrf: false })).status).toBe(
      403,
    );
    await browser.post("/chiedi", { domanda: unanswerable });
    expect((await browser.get("/chiedi")).text).toContain("Ho annotato la domanda per i formatori");

    const list = await browser.get("/senza-risposta");
    expect(list.text).toContain(unanswerable);
    const groupId = Number(/href="\/senza-risposta\/(\d+)"/.exec(list.text)?.[1]);
    await browser.get(`/faq/nuova?gruppo=${groupId}`);
    const answer =
      "La Carta RdC si ritira presso gli uffici postali, dopo il messaggio di Poste Italiane.";
    const saved = await browser.post("/faq", {
      id: "ritiro-carta-rdc",
      domanda: unanswerable,
      alternative: "dove si ritira la carta rdc",
      risposta: answer,
      fonte_documento: [""],
      fonte_sezione: [""],
      fonte_pagina: [""],
      regione: "",
      tag: "rdc",
      motivo: "",
      gruppo: String(groupId),
    });
    expect(saved.location).toBe("/faq/ritiro-carta-rdc");
    const draft = await browser.follow(saved);
    expect(draft.text).toContain("Bozza salvata");
    expect(draft.text).toContain(">Approva<");
    const approved = await browser.post("/faq/ritiro-carta-rdc/approva", { versione: "1" });
    expect((await browser.follow(approved)).text).toContain("FAQ approvata");
    const published = await browser.post("/faq/ritiro-carta-rdc/pubblica", { versione: "2" });
    expect((await browser.follow(published)).text).toContain("FAQ pubblicata");
    // The local user asked through the console: told on the next visit to Chiedi.
    expect((await browser.get("/chiedi")).text).toContain("Nuove risposte alle tue domande");

    await browser.post("/chiedi", { domanda: "dove si ritira la carta rdc?" });
    expect((await browser.get("/chiedi")).text).toContain(answer);

    // Every step is recorded as the local CLI user, whose roles are all three.
    const local = { channel: "cli", userId: "local" } as const;
    const author = `utente ${s.sportello.store.sealer.pseudonym(local.channel, local.userId).slice(0, 8)}`;
    const history = s.sportello.curation.faqHistory("ritiro-carta-rdc");
    expect(history.map((v) => v.action)).toEqual(["bozza", "approvata", "pubblicata"]);
    expect(history.map((v) => v.author)).toEqual([author, author, author]);
    expect(s.sportello.access(local)).toEqual({
      allowed: true,
      roles: ["operator", "trainer", "coordinator"],
    });
    // Questions asked through the local sign-in link are the console's, not the terminal's.
    const byChannel = s.sportello.curation.stats().byChannel.map((row) => row.key);
    expect(byChannel).toEqual(["web"]);
  });

  test("the link works once: opened again elsewhere, or with a wrong or missing token, it shows the sign-in page with a notice", async () => {
    const s = await serve();
    const link = s.localSignInUrl ?? "";
    const token = tokenOf(link);

    const form = await s.client().get("/accedi");
    expect(form.text).toContain("Nessun utente della console è configurato");

    const stranger = s.client();
    for (const path of [
      `/accesso/locale?token=${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`,
      "/accesso/locale",
      `/accesso/locale?token=${"x".repeat(5000)}`,
    ]) {
      const refused = await stranger.get(path);
      expect(refused.status, path).toBe(303);
      expect(refused.location, path).toBe("/accedi?locale=non-valido");
      const page = await stranger.follow(refused);
      expect(page.text).toContain("Il link di accesso locale non è valido");
      expect(page.text).toContain('action="/accedi"');
      expect((await stranger.get("/chiedi")).status).toBe(303); // still signed out
    }

    // Wrong tokens did not spend it: the right one still works, once.
    const first = s.client();
    expect((await first.get(pathOf(link))).location).toBe("/chiedi");
    const second = s.client();
    const reused = await second.get(pathOf(link));
    expect(reused.location).toBe("/accedi?locale=usato");
    const notice = await second.follow(reused);
    expect(notice.text).toContain("è già stato usato");
    expect(notice.text).toContain("riavvia «sportello serve»");
    expect((await second.get("/chiedi")).location).toBe("/accedi?dopo=%2Fchiedi");

    // Signing out does not bring the link back; a restart makes a new one and retires the old.
    await first.get("/chiedi");
    await first.post("/esci");
    expect((await first.get(pathOf(link))).location).toBe("/accedi?locale=usato");
    await s.web.stop();
    const restarted = await s.web.start();
    expect(restarted.localSignInUrl).toBeDefined();
    expect(tokenOf(restarted.localSignInUrl ?? "")).not.toBe(token);
    const port = new URL(restarted.url).port;
    const again = await fetch(`http://127.0.0.1:${port}${pathOf(link)}`, { redirect: "manual" });
    expect(again.headers.get("location")).toBe("/accedi?locale=non-valido");
    const fresh = await fetch(`http://127.0.0.1:${port}${pathOf(restarted.localSignInUrl ?? "")}`, {
      redirect: "manual",
    });
    expect(fresh.headers.get("location")).toBe("/chiedi");
  });

  test("with users configured the link does not exist: 404, and passwords are the only way in", async () => {
    const s = await serve({ roles: { coordinators: ["web:carla"] } });
    expect(s.localSignInUrl).toBeUndefined();
    const browser = s.client();
    for (const path of ["/accesso/locale?token=qualsiasi", "/accesso/locale"]) {
      const response = await browser.get(path);
      expect(response.status, path).toBe(404);
      expect(response.text).toContain("Pagina non trovata");
    }
    const form = await browser.get("/accedi");
    expect(form.text).not.toContain("Nessun utente della console è configurato");
    expect((await browser.get("/chiedi")).location).toBe("/accedi?dopo=%2Fchiedi");
  });

  test("on a non-loopback address the link does not exist, even with no roles configured", async () => {
    const s = await serve({ host: "0.0.0.0" });
    expect(s.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    expect(s.localSignInUrl).toBeUndefined();
    const browser = s.client();
    const response = await browser.get("/accesso/locale?token=qualsiasi");
    expect(response.status).toBe(404);
    expect((await browser.get("/accedi")).text).not.toContain(
      "Nessun utente della console è configurato",
    );
  });

  test("loopback means 127.0.0.0/8 and ::1, as the console reports its bound address", () => {
    for (const address of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "::ffff:127.0.0.1"]) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
    for (const address of [
      "0.0.0.0",
      "::",
      "192.168.1.10",
      "10.0.0.1",
      "::ffff:10.0.0.1",
      "localhost",
      "",
    ]) {
      expect(isLoopbackAddress(address), address).toBe(false);
    }
  });
});
