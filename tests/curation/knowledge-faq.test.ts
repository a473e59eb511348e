import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, makeConfig, makeTempDir, writeFaqFile } from "./helpers.js";

const faqFile = (id: string, question: string, answer: string, reviewed = "2026-01-10") =>
  `---\nid: ${id}\nquestion: ${question}\nalternatives:\n  - ${question.toLowerCase()}\ntags: [prova]\nreviewed: ${reviewed}\n---\n\n${answer}\n`;

const carla = { channel: "cli" as const, userId: "carla" };
let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe("FAQ files of knowledge/faq", () => {
  it("are imported at start as published version 1, kept in step with the files, and never override trainers' work", async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const config = makeConfig(dir);
    const faqDir = join(config.knowledgeDir, "faq");
    writeFaqFile(
      faqDir,
      "ferie.md",
      faqFile(
        "ferie-navigator",
        "Come si chiedono le ferie come navigator?",
        "Si chiedono al proprio coordinatore regionale.",
      ),
    );
    writeFaqFile(
      faqDir,
      "sala.md",
      faqFile("sala-riunioni", "Come si prenota la sala riunioni?", "Dal calendario condiviso."),
    );
    writeFaqFile(
      faqDir,
      "rotta.md",
      "---\nid: rotta\nquestion: Manca la data?\n---\n\nRisposta.\n",
    );

    const logs: string[] = [];
    let env = createTestApp(dir, { config, log: (line) => logs.push(line) });
    expect(env.app.publishedFaqs().map((f) => [f.id, f.version])).toEqual([
      ["ferie-navigator", 1],
      ["sala-riunioni", 1],
    ]);
    expect(logs.join("\n")).toMatch(/rotta\.md.*reviewed/);
    expect(env.app.curation.faqHistory("ferie-navigator")[0]).toMatchObject({
      action: "importata",
      author: "knowledge/faq",
    });
    const answered = await env.app.ask({
      text: "Come si chiedono le ferie come navigator?",
      channel: "telegram",
      userId: "1001",
    });
    expect(answered.kind === "answered" && answered.answer.faq).toMatchObject({
      id: "ferie-navigator",
      version: 1,
    });
    await env.app.close();

    // Same files: nothing new. A changed file: a draft for trainers to review; the published
    // version keeps answering, and the log says so.
    writeFaqFile(
      faqDir,
      "sala.md",
      faqFile(
        "sala-riunioni",
        "Come si prenota la sala riunioni?",
        "Dal calendario condiviso dell'ufficio, con un giorno di anticipo.",
      ),
    );
    const drafted: string[] = [];
    env = createTestApp(dir, { config, log: (line) => drafted.push(line) });
    expect(env.app.curation.faqHistory("ferie-navigator")).toHaveLength(1);
    expect(env.app.curation.faq("sala-riunioni")).toMatchObject({
      version: 2,
      status: "bozza",
      publishedVersion: 1,
    });
    expect(drafted.join("\n")).toMatch(/sala\.md.*è cambiato: la modifica è una bozza da rivedere/);
    expect(env.app.publishedFaqs().find((f) => f.id === "sala-riunioni")?.answer).toBe(
      "Dal calendario condiviso.",
    );
    env.app.curation.approveFaq("sala-riunioni", carla);
    env.app.curation.publishFaq("sala-riunioni", carla);

    // Trainers change a FAQ in Sportello; a later file change does not override it.
    env.app.curation.editFaq(
      "ferie-navigator",
      { answer: "Si chiedono sul portale del personale." },
      "procedura nuova",
      carla,
    );
    env.app.curation.approveFaq("ferie-navigator", carla);
    env.app.curation.publishFaq("ferie-navigator", carla);
    await env.app.close();
    writeFaqFile(
      faqDir,
      "ferie.md",
      faqFile(
        "ferie-navigator",
        "Come si chiedono le ferie come navigator?",
        "Testo vecchio modificato a mano.",
      ),
    );
    const warnings: string[] = [];
    env = createTestApp(dir, { config, log: (line) => warnings.push(line) });
    expect(env.app.curation.faq("ferie-navigator")?.answer).toBe(
      "Si chiedono sul portale del personale.",
    );
    expect(warnings.join("\n")).toMatch(/ferie\.md.*resta la versione di Sportello/);

    // Exporting writes the store's versions (as <id>.md, replacing the hand-named files); the
    // next start finds nothing to import or warn about.
    rmSync(join(faqDir, "ferie.md"));
    rmSync(join(faqDir, "sala.md"));
    env.app.curation.exportFaqs(faqDir);
    await env.app.close();
    const quiet: string[] = [];
    env = createTestApp(dir, { config, log: (line) => quiet.push(line) });
    expect(quiet.filter((l) => !l.includes("rotta.md"))).toEqual([]);
    expect(env.app.curation.faq("ferie-navigator")?.version).toBe(4);
    await env.app.close();
  });

  it("are read again at the start after a file changed, also when the start before had nothing to say", async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const config = makeConfig(dir);
    const faqDir = join(config.knowledgeDir, "faq");
    const sala = (answer: string) =>
      faqFile("sala-riunioni", "Come si prenota la sala riunioni?", answer);
    writeFaqFile(faqDir, "sala.md", sala("Dal calendario condiviso."));
    let env = createTestApp(dir, { config });
    await env.app.close();
    // Nothing changed: nothing to say, nothing imported again.
    const quiet: string[] = [];
    env = createTestApp(dir, { config, log: (line) => quiet.push(line) });
    expect(quiet).toEqual([]);
    expect(env.app.curation.faqHistory("sala-riunioni")).toHaveLength(1);
    await env.app.close();

    writeFaqFile(faqDir, "sala.md", sala("Dal calendario dell'ufficio."));
    const drafted: string[] = [];
    env = createTestApp(dir, { config, log: (line) => drafted.push(line) });
    expect(drafted.join("\n")).toMatch(/sala\.md.*è cambiato/);
    expect(env.app.curation.faq("sala-riunioni")).toMatchObject({ version: 2, status: "bozza" });
    await env.app.close();
  });

  it("a retired FAQ stops answering at once", async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const config = makeConfig(dir);
    writeFaqFile(
      join(config.knowledgeDir, "faq"),
      "sala.md",
      faqFile("sala-riunioni", "Come si prenota la sala riunioni?", "Dal calendario condiviso."),
    );
    const env = createTestApp(dir, { config });
    const question = {
      text: "Come si prenota la sala riunioni?",
      channel: "telegram" as const,
      userId: "1001",
    };
    expect((await env.app.ask(question)).kind).toBe("answered");
    env.app.curation.retireFaq("sala-riunioni", "sala chiusa", { channel: "cli", userId: "anna" });
    const after = await env.app.ask(question);
    expect(after.kind === "answered" ? after.answer.source : "declined").not.toBe("faq");
    expect(env.app.publishedFaqs()).toEqual([]);
    await env.app.close();
  });

  it("a truncated but valid file does not answer until reviewed, and export replaces files whole", async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const config = makeConfig(dir);
    const faqDir = join(config.knowledgeDir, "faq");
    const full =
      "Si presenta la domanda al Centro per l'impiego entro 30 giorni, con il modulo SR163 firmato e un documento valido.";
    writeFaqFile(faqDir, "naspi.md", faqFile("naspi-domanda", "Come si chiede la NASpI?", full));
    let env = createTestApp(dir, { config });
    await env.app.close();
    // A copy cut short by a full disk or an editor crash: still valid front matter and text.
    writeFaqFile(
      faqDir,
      "naspi.md",
      faqFile("naspi-domanda", "Come si chiede la NASpI?", "Si presenta la domanda al"),
    );
    env = createTestApp(dir, { config });
    const answer = await env.app.ask({
      text: "Come si chiede la NASpI?",
      channel: "telegram",
      userId: "1001",
    });
    expect(answer.kind === "answered" && answer.answer.parts.body).toBe(full);
    expect(env.app.curation.faq("naspi-domanda")).toMatchObject({
      status: "bozza",
      publishedVersion: 1,
    });

    // Export: each file is replaced by a new one (renamed into place), no temporary file left.
    const exportDir = join(dir, "esportate");
    const [path = ""] = env.app.curation.exportFaqs(exportDir);
    const first = statSync(path).ino;
    env.app.curation.exportFaqs(exportDir);
    expect(statSync(path).ino).not.toBe(first);
    expect(readFileSync(path, "utf8")).toContain(full);
    expect(readdirSync(exportDir)).toEqual(["naspi-domanda.md"]);
    await env.app.close();
  });
});
