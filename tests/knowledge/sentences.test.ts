// Sentence ends in administrative Italian: legal references and titles are not sentence ends,
// neither where a long paragraph is cut into passages nor where the answer picks its sentence.
import { describe, expect, it } from "vitest";
import { splitSentences } from "../../src/answer/excerpt.js";
import { textToLines } from "../../src/knowledge/load.js";
import { segmentDocument } from "../../src/knowledge/segment.js";
import { splitAtSentenceEnds } from "../../src/knowledge/sentences.js";

const ANY = /\S/u;

describe("sentence ends", () => {
  it('does not cut after "L.", "n.", "art.", "D.Lgs.", "c." or a title', () => {
    const text =
      "Il collocamento mirato segue la L. 68/99 e il D.Lgs. 150/2015, art. 18 c. 2. " +
      "La convenzione n. 3 è firmata dal prof. Maurizio Del Conte. Segue il piano.";
    expect(splitAtSentenceEnds(text, ANY)).toEqual([
      "Il collocamento mirato segue la L. 68/99 e il D.Lgs. 150/2015, art. 18 c. 2.",
      "La convenzione n. 3 è firmata dal prof. Maurizio Del Conte.",
      "Segue il piano.",
    ]);
  });

  it("keeps a titled name in one sentence when the answer picks sentences", () => {
    expect(
      splitSentences("Anpal Servizi è rappresentata dal prof. Maurizio Del Conte. Altro."),
    ).toEqual(["Anpal Servizi è rappresentata dal prof. Maurizio Del Conte.", "Altro."]);
  });

  it('never starts a passage with the number of a law cut from its "L."', () => {
    const filler =
      "Le attività di accompagnamento al lavoro sono svolte dagli operatori dei centri. ";
    const paragraph = `${filler.repeat(13)}Il servizio applica la L. 68/99 sul collocamento mirato. ${filler.repeat(13)}`;
    const passages = segmentDocument("legge", textToLines(paragraph));
    expect(passages.length).toBeGreaterThan(1);
    for (const passage of passages) expect(passage.text).not.toMatch(/^68\/99/);
    expect(passages.some((p) => p.text.includes("la L. 68/99 sul collocamento"))).toBe(true);
  });
});
