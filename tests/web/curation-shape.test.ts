// The console's side of curation you can trust: split from the group page, a publish form that
// resolves only the ticked questions, and the console asker told on their next visit to Chiedi.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { OpenedEngine } from "../../src/answer/open.js";
import { type Harness, openSharedEngine, startHarness, users } from "./harness.js";

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

const carta = "Dove si ritira la Carta RdC per il beneficiario?";
const poste = "La Carta RdC del beneficiario si ritira alle Poste?";
const printer = "Come si configura la stampante dell'ufficio del navigator?";

describe("curation in the console", () => {
  test("split, publish with confirmed questions, and the console asker's notice", async () => {
    const olga = await h.signedIn(users.operator);
    await olga.get("/chiedi");
    for (const text of [carta, poste]) {
      const asked = await olga.post("/chiedi", { domanda: text });
      expect(asked.status).toBe(303);
    }
    const tina = await h.signedIn(users.trainer);
    const { groups } = h.sportello.curation.listUnanswered();
    expect(groups).toHaveLength(1);
    const group = groups[0]?.id ?? 0;
    // Asked through the console: logged as web, with an address for the notice.
    const page = await tina.get(`/senza-risposta/${group}`);
    expect(page.text).toContain("console web");
    expect(page.text).toContain("Tina Formatrice");
    const items = h.sportello.curation.unansweredGroup(group)?.phrasings ?? [];
    const posteItem = items.find((p) => p.text === poste)?.item ?? 0;

    const split = await tina.post(`/senza-risposta/${group}/dividi`, {
      domande: String(posteItem),
    });
    expect(split.status).toBe(303);
    const created = Number(/\/senza-risposta\/(\d+)/.exec(split.location ?? "")?.[1]);
    expect(created).not.toBe(group);
    expect((await tina.follow(split)).text).toContain(poste);
    // Back together, so that the publish form has one question of each kind to offer.
    const moved = await tina.post(`/senza-risposta/${created}/sposta`, {
      domande: String(posteItem),
      verso: String(group),
    });
    expect(moved.status).toBe(303);
    expect(h.sportello.curation.unansweredGroup(group)?.count).toBe(2);

    const faq = h.sportello.curation.draftFaq(
      { groupId: group, id: "ritiro-carta", question: carta },
      { channel: "web", userId: users.trainer },
    );
    h.sportello.curation.editFaq(
      faq.id,
      { answer: "La Carta RdC si ritira negli uffici di Poste Italiane." },
      "risposta",
      { channel: "web", userId: users.trainer },
    );
    const approved = h.sportello.curation.approveFaq(faq.id, {
      channel: "web",
      userId: users.coordinator,
    });

    const carla = await h.signedIn(users.coordinator);
    const form = await carla.get(`/faq/${faq.id}`);
    expect(form.text).toContain("Pubblica e risolvi le domande in coda");
    expect(form.text).toContain(poste);
    const cartaItem = items.find((p) => p.text === carta)?.item ?? 0;
    // The coordinator leaves the Poste question unticked.
    const published = await carla.post(`/faq/${faq.id}/pubblica`, {
      versione: String(approved.version),
      conferma: "1",
      risolve: [String(cartaItem)],
    });
    expect(published.status).toBe(303);
    const rest = h.sportello.curation.unansweredGroup(group);
    expect(rest?.status).toBe("aperta");
    expect(rest?.phrasings.map((p) => p.text)).toEqual([poste]);

    // Olga sees a badge in the header of any page, then the notice on Chiedi, once.
    const elsewhere = await olga.get("/pagina-che-non-esiste");
    expect(elsewhere.text).toContain("1 nuova risposta");
    const chiedi = await olga.get("/chiedi");
    expect(chiedi.text).toContain("Nuove risposte alle tue domande");
    expect(chiedi.text).toContain("La Carta RdC si ritira negli uffici di Poste Italiane.");
    const again = await olga.get("/chiedi");
    expect(again.text).not.toContain("Nuove risposte alle tue domande");
    expect(again.text).not.toContain("nuova risposta");
  });

  test("an unrelated question is not offered when publishing", async () => {
    const olga = await h.signedIn(users.operator);
    await olga.get("/chiedi");
    await olga.post("/chiedi", { domanda: printer });
    await olga.post("/chiedi", { domanda: carta });
    const cartaGroup = h.sportello.curation
      .listUnanswered()
      .groups.find((g) => g.label === carta)?.id;
    const faq = h.sportello.curation.draftFaq(
      { groupId: cartaGroup, id: "ritiro-carta", question: carta, answer: "Alle Poste." },
      { channel: "web", userId: users.trainer },
    );
    h.sportello.curation.approveFaq(faq.id, { channel: "web", userId: users.coordinator });
    const candidates = h.sportello.curation.publishCandidates(faq.id).map((c) => c.text);
    expect(candidates).toEqual([carta]);
  });

  test("the FAQ editor proposes an answer from the passages and takes picked passages as sources", async () => {
    const olga = await h.signedIn(users.operator);
    await olga.get("/chiedi");
    const question = "Chi firma la convenzione per la Regione Basilicata e quando scade la delega?";
    await olga.post("/chiedi", { domanda: question });
    const group = h.sportello.curation.listUnanswered().groups[0]?.id;
    expect(group).toBeDefined();
    const tina = await h.signedIn(users.trainer);
    const editor = await tina.get(`/faq/nuova?gruppo=${group}`);
    expect(editor.text).toContain("Passaggi che rispondono");
    const picked = /name="fonte_passaggio" value="([^"]+)"/.exec(editor.text)?.[1] ?? "";
    expect(picked).not.toBe("");
    const saved = await tina.post("/faq", {
      id: "firma-convenzione",
      domanda: question,
      risposta: "La firma il Dirigente Generale del Dipartimento.",
      fonte_passaggio: [picked],
      gruppo: String(group),
    });
    expect(saved.status).toBe(303);
    const hit = h.sportello.passage(picked);
    expect(h.sportello.curation.faq("firma-convenzione")?.sources[0]?.document).toBe(
      hit?.document.id,
    );
  });
});
