// The FAQ path on real user queries against a real FAQ list: EVALITA 2016 QA4FAQ (406 FAQ of a
// water utility, 1,132 queries written by its users, relevance judgements). Not shipped (its
// licence is CC BY-NC-SA 3.0 IT): get it from https://github.com/evalita2016/data, folder qa4faq
// (faqs_uft8_QA.csv from qa4faq_dev_v3, qa4faq_question, qa4faq_qrel), into one directory.
// Prints how the FAQ ranking places the right FAQ (P@1, P@3) and what the engine replies on a
// FAQ-only knowledge base: the right FAQ as a certain answer, as a probable one (and whether the
// right one is among the FAQ it lists next), a wrong FAQ, or a decline.
// Run: npm run build && node dist/tests/bench/faq-benchmark.js <qa4faq dir>
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createEngine } from "../../src/answer/engine.js";
import type { PublishedFaq } from "../../src/knowledge/types.js";
import { say } from "../../src/prompts.js";
import { SearchIndex } from "../../src/search/index.js";

/** Rows of a ';'-separated file with '"' quoting (RFC 4180 rules with another separator). */
function parseCsv(text: string, separator = ";"): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === separator) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      if (row.some((f) => f.trim())) rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f.trim())) rows.push(row);
  return rows;
}

const dir = resolve(process.argv[2] ?? "../qa4faq");
const [, ...records] = parseCsv(readFileSync(join(dir, "faqs_uft8_QA.csv"), "utf8"));
const faqs: PublishedFaq[] = records
  .filter((r) => r.length >= 3)
  .map(([id, question, answer, tags]) => ({
    id: `faq-${id}`,
    question: (question ?? "").trim(),
    alternatives: [],
    answer: (answer ?? "").trim(),
    sources: [],
    tags: (tags ?? "")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
    region: null,
    reviewed: "2016-07-26",
    version: 1,
  }));
const byId = new Map(faqs.map((f) => [f.id, f]));
const relevant = new Map<string, Set<string>>();
for (const line of readFileSync(join(dir, "qa4faq_qrel"), "utf8").split("\n")) {
  const [query, faq] = line.split("\t");
  if (!query || !faq) continue;
  const set = relevant.get(query) ?? new Set<string>();
  set.add(`faq-${faq.trim()}`);
  relevant.set(query, set);
}
const queries = readFileSync(join(dir, "qa4faq_question"), "utf8")
  .split("\n")
  .map((line) => line.split("\t"))
  .filter(([id, text]) => id && text && relevant.has(id))
  .map(([id, ...text]) => ({ id: id ?? "", text: text.join(" ") }));

// The search alone (BM25 with the engine's fields and weights, before the engine re-ranks the
// FAQ it finds by how much of the question they hold).
const ranking = SearchIndex.build(
  faqs.map((f) => ({
    id: f.id,
    heading: f.question,
    body: [f.answer, ...f.tags].join("\n"),
    region: null,
    documentId: "faq",
  })),
  { headingBoost: 2 },
);
let atOne = 0;
let atThree = 0;
for (const q of queries) {
  const hits = ranking.search(q.text, { limit: 3 }).map((h) => h.id);
  const wanted = relevant.get(q.id) ?? new Set();
  if (hits[0] && wanted.has(hits[0])) atOne++;
  if (hits.some((h) => wanted.has(h))) atThree++;
}

const engine = createEngine({
  corpus: { documents: [], passages: [], fingerprint: "qa4faq" },
  faqs,
});
const counts = { certainRight: 0, certainWrong: 0, probableRight: 0, probableListed: 0 };
let probableWrong = 0;
let declined = 0;
const started = performance.now();
for (const q of queries) {
  const answer = engine.ask(q.text);
  const wanted = relevant.get(q.id) ?? new Set();
  if (answer.status !== "answered" || !answer.faq) {
    declined++;
    continue;
  }
  const right = wanted.has(answer.faq.id);
  const probable = answer.parts.lead !== say("answer.lead_faq");
  if (!probable) {
    if (right) counts.certainRight++;
    else counts.certainWrong++;
  } else if (right) counts.probableRight++;
  else {
    probableWrong++;
    const listed = [...wanted].some((id) => {
      const faq = byId.get(id);
      return faq !== undefined && answer.parts.footer.includes(`«${faq.question}»`);
    });
    if (listed) counts.probableListed++;
  }
}
const elapsed = performance.now() - started;
const n = queries.length;
const pct = (x: number) => `${((100 * x) / n).toFixed(1)} %`;
console.log(`QA4FAQ: ${faqs.length} FAQ, ${n} queries (${(elapsed / n).toFixed(2)} ms each)`);
console.log(`search alone: right FAQ first ${pct(atOne)}, in the first three ${pct(atThree)}`);
console.log(
  `certain answers: right ${pct(counts.certainRight)}, wrong ${pct(counts.certainWrong)}` +
    ` (precision ${((100 * counts.certainRight) / Math.max(1, counts.certainRight + counts.certainWrong)).toFixed(1)} %)`,
);
console.log(
  `probable answers: right ${pct(counts.probableRight)}, wrong ${pct(probableWrong)}` +
    ` (of which the right FAQ listed next ${pct(counts.probableListed)})`,
);
console.log(
  `answered ${pct(counts.certainRight + counts.certainWrong + counts.probableRight + probableWrong)}, declined ${pct(declined)}`,
);
