// The pure Block Kit renderer: what an operator sees, within every limit Slack enforces.
import { describe, expect, it } from "vitest";
import { renderSlackHome, weekFigures } from "../../adapters/slack/home.js";
import {
  escapeMrkdwn,
  readSlackText,
  renderFeedbackChoice,
  renderPassageModal,
  renderSlackAnswer,
  splitMrkdwn,
} from "../../adapters/slack/render.js";
import type { Answer } from "../../src/answer/types.js";
import { passage, prose, slackSportello } from "./answers.js";
import { blockKitProblem } from "./fake-web-api.js";
import { blockTexts } from "./harness.js";

async function answerFor(text: string): Promise<Answer> {
  const outcome = await slackSportello().ask({ text, channel: "slack", userId: "U1" });
  if (outcome.kind === "refused") throw new Error("refused");
  return outcome.answer;
}

describe("escaping and reading Slack text", () => {
  it("escapes only &, < and >", () => {
    expect(escapeMrkdwn("a & b < c > d *e* _f_")).toBe("a &amp; b &lt; c &gt; d *e* _f_");
  });

  it("reads a message as typed: mentions dropped, links and entities unfolded", () => {
    expect(
      readSlackText(
        "<@UBOT> cosa dice <https://anpal.gov.it|il sito> su <#C1|generale> &amp; &lt;GOL&gt;?",
      ),
    ).toBe("cosa dice il sito su #generale & <GOL>?");
  });
});

describe("splitMrkdwn", () => {
  it("keeps every character, cutting at paragraph or sentence boundaries", () => {
    const text = [prose(2500, "Uno"), prose(4500, "Due"), prose(100, "Tre")].join("\n\n");
    const chunks = splitMrkdwn(text, 3000);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(3000);
    expect(chunks.join("").replace(/\s/g, "")).toBe(text.replace(/\s/g, ""));
    expect(chunks[0]).toBe(prose(2500, "Uno"));
    expect(chunks[1]?.endsWith(".")).toBe(true);
  });

  it("never cuts inside an escaped entity when there is no space to cut at", () => {
    const text = escapeMrkdwn("&".repeat(1000)); // 5,000 characters of "&amp;"
    const chunks = splitMrkdwn(text, 3000);
    for (const chunk of chunks) expect(chunk).toMatch(/^(&amp;)+$/);
    expect(chunks.join("")).toBe(text);
  });
});

describe("renderSlackAnswer", () => {
  it("shows the answer, numbered sources, the footer and the buttons", async () => {
    const message = renderSlackAnswer(await answerFor("dati personali"), { interactionId: 7 });
    expect(blockKitProblem(message.blocks, 50)).toBeUndefined();
    const texts = blockTexts(message.blocks);
    expect(texts[0]).toBe(
      "Ecco cosa dicono i documenti:\n\nLe parti trattano i dati personali secondo il Regolamento (UE) 2016/679 [1].",
    );
    expect(texts).toContain(
      "*Fonti*\n*[1]* Convenzione Basilicata › Art. 3 Trattamento dei dati personali · righe 120-140",
    );
    expect(texts).toContain("Verifica sempre il testo completo nella fonte citata.");
    expect(texts).toEqual(
      expect.arrayContaining([
        "👍 Utile",
        "👎 Non utile",
        "🚩 Segnala ai formatori",
        "📄 Mostra fonte",
      ]),
    );
  });

  it("has no buttons without an interaction, and no share button unless asked", async () => {
    const answer = await answerFor("dati personali");
    expect(renderSlackAnswer(answer).blocks.some((b) => b.type === "actions")).toBe(false);
    const texts = blockTexts(renderSlackAnswer(answer, { interactionId: 1 }).blocks);
    expect(texts).not.toContain("📢 Condividi nel canale");
    const shareable = blockTexts(
      renderSlackAnswer(answer, { interactionId: 1, shareable: true }).blocks,
    );
    expect(shareable).toContain("📢 Condividi nel canale");
  });

  it("renders a declined answer with its hint and still offers feedback", async () => {
    const message = renderSlackAnswer(await answerFor("boh"), { interactionId: 3 });
    expect(blockKitProblem(message.blocks, 50)).toBeUndefined();
    expect(blockTexts(message.blocks)[0]).toContain("Non ho trovato");
    expect(blockTexts(message.blocks)).toContain("🚩 Segnala ai formatori");
  });

  it("fits many citations in one context block, numbered one by one", async () => {
    const base = await answerFor("dati personali");
    const citation = base.parts.citations[0];
    if (!citation) throw new Error("fixture without citation");
    const citations = Array.from({ length: 40 }, (_, i) => ({
      ...citation,
      n: i + 1,
      section: `Articolo ${i + 1} ${"x".repeat(200)}`,
    }));
    const answer = { ...base, parts: { ...base.parts, citations } };
    const message = renderSlackAnswer(answer, { interactionId: 1 });
    expect(blockKitProblem(message.blocks, 50)).toBeUndefined();
    const all = blockTexts(message.blocks).join("\n");
    for (const n of [1, 20, 40]) expect(all).toContain(`*[${n}]*`);
    // At most five "Mostra fonte" buttons.
    expect(all.match(/📄 Fonte \d+/g)).toHaveLength(5);
  });

  it("marks the fallback text's markup as text too", async () => {
    const message = renderSlackAnswer(await answerFor("caratteri speciali"));
    expect(message.text).toContain("&lt;!channel&gt;");
  });
});

describe("renderFeedbackChoice", () => {
  it("replaces the feedback buttons with the choice, keeping the answer and the source button", async () => {
    const { blocks } = renderSlackAnswer(await answerFor("dati personali"), { interactionId: 7 });
    const updated = renderFeedbackChoice(blocks, "non_utile", "U42");
    const texts = blockTexts(updated);
    expect(texts).not.toContain("👍 Utile");
    expect(texts).toContain("📄 Mostra fonte");
    expect(texts).toContain(
      "☑️ <@U42> ha segnato questa risposta come *non utile*: i formatori la rivedranno.",
    );
    // Clicking again on an already updated message does not stack choices.
    const twice = renderFeedbackChoice(updated, "utile", "U42");
    expect(blockTexts(twice).filter((t) => t.includes("<@U42> ha"))).toHaveLength(1);
    expect(blockKitProblem(twice, 50)).toBeUndefined();
  });
});

describe("renderPassageModal", () => {
  it("shows a very long passage within a modal's 100 blocks", () => {
    const long = { ...passage, passage: { ...passage.passage, text: prose(400_000) } };
    const view = renderPassageModal(long);
    expect(blockKitProblem(view.blocks, 100)).toBeUndefined();
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(blockTexts(view.blocks).at(-1)).toMatch(/caratteri non mostrati/);
  });
});

describe("renderSlackHome", () => {
  const group = (i: number) => ({
    id: i,
    label: `gruppo ${i} ${"parola ".repeat(400)}`,
    count: 1,
    firstSeen: "2026-01-01",
    lastSeen: "2026-01-02",
    examples: ["esempio uno", "esempio due"],
    status: "aperta" as const,
  });

  it("stays within 100 blocks and 3,000 characters per section for big groups", () => {
    const groups = Array.from({ length: 60 }, (_, i) => group(i));
    const view = renderSlackHome({
      audience: "queue",
      groups,
      figures: weekFigures(groups, 3, 4, new Date("2026-01-05")),
    });
    expect(blockKitProblem(view.blocks, 100)).toBeUndefined();
    expect(blockTexts(view.blocks).join("\n")).toContain("Come funziona");
  });

  it("says how many of a group's questions are answers to verify", () => {
    const view = renderSlackHome({
      audience: "queue",
      groups: [
        { ...group(1), label: "carta rdc", uncertain: 2 },
        { ...group(2), label: "naspi" },
      ],
      figures: weekFigures([], 0, 0, new Date("2026-01-05")),
    });
    const text = blockTexts(view.blocks).join("\n");
    expect(text).toContain("stato: aperta, 2 da verificare");
    expect(text.match(/da verificare/g)).toHaveLength(1);
  });

  it("counts only groups seen in the last seven days as this week's", () => {
    const figures = weekFigures(
      [
        { ...group(1), count: 4, lastSeen: "2026-03-09" },
        { ...group(2), count: 9, lastSeen: "2026-02-01", status: "risolta" },
      ],
      5,
      6,
      new Date("2026-03-10"),
    );
    expect(figures).toEqual({
      unansweredWeek: 4,
      groupsWeek: 1,
      openGroups: 1,
      faqs: 5,
      documents: 6,
    });
  });
});
