// The pure renderer: escaping, citations, and splitting within Telegram's limits, every piece
// checked with the same HTML parser the fake Bot API server applies.
import { describe, expect, it } from "vitest";
import { CALLBACK_DATA_LIMIT, CallbackCodec } from "../../adapters/telegram/callback-data.js";
import { type Block, renderBlocks, renderTelegramAnswer } from "../../adapters/telegram/render.js";
import type { Answer } from "../../src/answer/types.js";
import { longBody } from "./answers.js";
import { parseTelegramHtml } from "./telegram-html.js";

function answer(parts: Partial<Answer["parts"]>, status: Answer["status"] = "answered"): Answer {
  const full = {
    lead: "Ecco cosa dicono i documenti:",
    body: "",
    citations: [],
    footer: "",
    ...parts,
  };
  return {
    status,
    source: status === "answered" ? "documents" : null,
    confidence: 0.7,
    text: full.body,
    parts: full,
    faq: null,
    passages: [],
    reason: null,
    region: null,
    fingerprint: "x",
    latencyMs: 1,
  };
}

function visible(html: string): string {
  const parsed = parseTelegramHtml(html);
  if (!parsed.ok) throw new Error(`${parsed.error} in ${html.slice(0, 200)}`);
  return parsed.text;
}

describe("renderTelegramAnswer", () => {
  it("escapes everything and numbers the citations as document › section, page", () => {
    const [message, ...rest] = renderTelegramAnswer(
      answer({
        body: "Usa <b>sempre</b> il modulo A&B > C.",
        citations: [
          {
            n: 1,
            passageId: "a",
            documentId: "d",
            documentTitle: "Allegato <A>",
            section: "Art. 3 & 4",
            where: "p. 4",
          },
          {
            n: 2,
            passageId: "b",
            documentId: "e",
            documentTitle: "Manuale",
            section: "",
            where: "righe 1-9",
          },
        ],
        footer: "Verifica le fonti.",
      }),
    );
    expect(rest).toEqual([]);
    expect(visible(message?.text ?? "")).toBe(
      [
        "Ecco cosa dicono i documenti:",
        "Usa <b>sempre</b> il modulo A&B > C.",
        "Fonti\n1. Allegato <A> › Art. 3 & 4, p. 4\n2. Manuale, righe 1-9",
        "Verifica le fonti.\nScrivi /fonte N (da 1 a 2) per leggere il passaggio completo.",
      ].join("\n\n"),
    );
    expect(message?.text).toContain("<i>Allegato &lt;A&gt;</i> › Art. 3 &amp; 4");
  });

  it("shows a declined answer without sources or hint", () => {
    const messages = renderTelegramAnswer(
      answer({ lead: "Non ho trovato una risposta.", footer: "Prova a riformulare." }, "declined"),
    );
    expect(messages.map((m) => visible(m.text))).toEqual([
      "Non ho trovato una risposta.\n\nProva a riformulare.",
    ]);
  });

  it("splits a long answer into valid messages under 4,096 characters, keyboard on the last", () => {
    const keyboard = { inline_keyboard: [[{ text: "👍 Utile", callback_data: "x" }]] };
    const messages = renderTelegramAnswer(answer({ body: longBody(), footer: "Fine." }), {
      keyboard,
    });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(visible(m.text).length).toBeLessThanOrEqual(4096);
    expect(messages.map((m) => Boolean(m.reply_markup))).toEqual(
      messages.map((_, i) => i === messages.length - 1),
    );
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    expect(words(messages.map((m) => visible(m.text)).join(" "))).toEqual(
      words(["Ecco cosa dicono i documenti:", longBody(), "Fine."].join(" ")),
    );
  });

  it("cuts inside a styled run by closing and reopening the tag, never inside an entity", () => {
    const text = `${"Parola & <altra> ".repeat(400)}fine.`;
    const blocks: Block[] = [[{ text: "Titolo", style: "b" }, { text: " " }, { text, style: "i" }]];
    const messages = renderBlocks(blocks, 1000);
    expect(messages.length).toBeGreaterThan(6);
    for (const m of messages) {
      const shown = visible(m);
      expect(shown.length).toBeLessThanOrEqual(1000);
      expect(m).not.toMatch(/&[a-z]*$/);
    }
    expect(messages.slice(1).every((m) => m.startsWith("<i>") && m.endsWith("</i>"))).toBe(true);
    expect(messages.map(visible).join(" ")).toBe(`Titolo ${text}`.replace(/\s+$/, ""));
  });

  it("hard-cuts a text without spaces without splitting a surrogate pair", () => {
    const emoji = "😀".repeat(3000);
    const messages = renderBlocks([[{ text: emoji }]], 4096);
    for (const m of messages) {
      expect(m.length).toBeLessThanOrEqual(4096);
      expect(m).toMatch(/^(😀)+$/u);
    }
    expect(messages.join("")).toBe(emoji);
  });
});

describe("callback data", () => {
  const codec = new CallbackCodec("123:token");

  it("fits in 64 bytes and round-trips for the chat it was sent to", () => {
    const data = codec.feedback("segnala", Number.MAX_SAFE_INTEGER, "-1001234567890");
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
    expect(codec.parse(data, "-1001234567890")).toEqual({
      kind: "feedback",
      feedback: "segnala",
      interactionId: Number.MAX_SAFE_INTEGER,
    });
  });

  it("rejects data replayed in another chat, altered, or signed with another token", () => {
    const data = codec.feedback("utile", 42, "1001");
    expect(codec.parse(data, "1002")).toBeUndefined();
    expect(codec.parse(data.replace(":42:", ":43:"), "1001")).toBeUndefined();
    expect(codec.parse(data.replace("fb1:u", "fb1:n"), "1001")).toBeUndefined();
    expect(new CallbackCodec("999:other").parse(data, "1001")).toBeUndefined();
    expect(codec.parse(`${data}x`, "1001")).toBeUndefined();
    expect(codec.parse("x".repeat(65), "1001")).toBeUndefined();
    expect(codec.parse(undefined, "1001")).toBeUndefined();
  });
});
