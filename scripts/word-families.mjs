// Generates src/search/word-families.ts: groups of Snowball stems of words that derive from one
// another (formare, formazione, formatore, formativo; regione, regionale), for query expansion.
// Source: the morph-it lexicon as packaged by italian-words-dict, italian-verbs-dict and
// italian-adjectives-dict 3.4.0 (code Apache-2.0, data CC BY-SA 2.0, © Marco Baroni and Eros
// Zanchetta). They are not dependencies of the project: install them anywhere and pass that
// folder.
//
// Run: npm run build
//      npm i --prefix /tmp/morph -E italian-words-dict@3.4.0 italian-verbs-dict@3.4.0 italian-adjectives-dict@3.4.0
//      node scripts/word-families.mjs /tmp/morph/node_modules && npx biome format --write src/search/word-families.ts
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ANALYSIS_VERSION, termOfWord } from "../dist/src/search/analysis.js";

const modules = resolve(process.argv[2] ?? "node_modules");
const read = (name, file) => JSON.parse(readFileSync(join(modules, name, "dist", file), "utf8"));
const nouns = read("italian-words-dict", "words.json");
const verbs = read("italian-verbs-dict", "verbs.json");
const adjectives = read("italian-adjectives-dict", "adjectives.json");

const fold = (word) =>
  word
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
const isWord = (word) => /^\p{L}+$/u.test(word);
const lemmas = new Set(
  [...Object.keys(nouns), ...Object.keys(verbs), ...Object.keys(adjectives)]
    .map(fold)
    .filter(isWord),
);
/** Past participles (masculine singular) to their verb: iscritto → iscrivere. */
const participleOf = new Map();
for (const [verb, forms] of Object.entries(verbs)) {
  const participle = forms.part?.past?.S;
  if (typeof participle === "string") participleOf.set(fold(participle), fold(verb));
}

// Strict derivational suffixes: a word ending in the suffix derives from the base made by the
// replacement, when that base is a lemma of the lexicon (first replacement that is one wins).
const RULES = [
  ["azione", ["are"]],
  ["izione", ["ire"]],
  ["uzione", ["uire"]],
  ["amento", ["are"]],
  ["imento", ["ire", "ere"]],
  ["atore", ["are"]],
  ["atrice", ["are"]],
  ["itore", ["ire", "ere"]],
  ["itrice", ["ire", "ere"]],
  ["ativo", ["are"]],
  ["itivo", ["ire"]],
  ["ionale", ["ione"]],
  ["iale", ["io", "ia"]],
  ["ale", ["e", "o", "a"]],
  ["abilita", ["abile"]],
  ["ibilita", ["ibile"]],
  ["ita", ["o", "e"]],
  ["abile", ["are"]],
  ["ibile", ["ire", "ere"]],
  ["anza", ["ante", "are"]],
  ["enza", ["ente", "ere", "ire"]],
  ["ante", ["are"]],
  ["ente", ["ere", "ire"]],
];
/** -zione from a past participle in -to/-tto: iscrizione ← iscritto, assunzione ← assunto. */
const PARTICIPLE_RULES = [
  ["zione", ["tto", "to"]],
  ["sione", ["sso", "so"]],
];
const MIN_BASE = 3;

function baseOf(word) {
  for (const [suffix, replacements] of RULES) {
    if (!word.endsWith(suffix) || word.length - suffix.length < MIN_BASE) continue;
    const head = word.slice(0, -suffix.length);
    const base = replacements.map((r) => head + r).find((b) => b !== word && lemmas.has(b));
    if (base) return base;
  }
  for (const [suffix, replacements] of PARTICIPLE_RULES) {
    if (!word.endsWith(suffix) || word.length - suffix.length < MIN_BASE) continue;
    const head = word.slice(0, -suffix.length);
    const verb = replacements.map((r) => participleOf.get(head + r)).find(Boolean);
    if (verb) return verb;
  }
  return undefined;
}

const base = new Map();
for (const word of lemmas) {
  const found = baseOf(word);
  if (found) base.set(word, found);
}
function rootOf(word) {
  let root = word;
  for (let step = 0; step < 4 && base.has(root); step++) root = base.get(root);
  return root;
}
const families = new Map();
for (const word of base.keys()) {
  const root = rootOf(word);
  const family = families.get(root) ?? new Set([root]);
  family.add(word);
  families.set(root, family);
}
/**
 * The inflected forms of a lemma. A form that is itself a lemma keeps only that lemma ("stato"
 * is a noun, not a form of "stare"), so that it does not tie unrelated words together.
 */
function formsOf(lemma) {
  const forms = [lemma];
  const collect = (value) => {
    if (typeof value === "string") forms.push(fold(value));
    else if (value && typeof value === "object") for (const v of Object.values(value)) collect(v);
  };
  const original = lemmaSpelling.get(lemma) ?? [];
  for (const spelt of original) {
    const verb = verbs[spelt];
    // The forms documents use: participles, gerund, present and past third persons.
    if (verb)
      collect([
        verb.part,
        verb.ger,
        verb.ind?.pres?.S3,
        verb.ind?.pres?.P3,
        verb.ind?.past?.S3,
        verb.ind?.past?.P3,
      ]);
    collect(nouns[spelt]);
    collect(adjectives[spelt]);
  }
  return forms.filter((form) => isWord(form) && (form === lemma || !lemmas.has(form)));
}
const lemmaSpelling = new Map();
for (const spelt of [...Object.keys(nouns), ...Object.keys(verbs), ...Object.keys(adjectives)]) {
  const list = lemmaSpelling.get(fold(spelt)) ?? [];
  if (!list.includes(spelt)) list.push(spelt);
  lemmaSpelling.set(fold(spelt), list);
}
for (const verb of Object.keys(verbs).map(fold)) {
  if (!families.has(verb) && !base.has(verb)) families.set(verb, new Set([verb]));
}

const groups = new Set();
for (const family of families.values()) {
  const words = [...family].flatMap(formsOf);
  const stems = [...new Set(words.map(termOfWord).filter((t) => t.length >= 3))].sort();
  if (stems.length >= 2) groups.add(stems.join(" "));
}
const lines = [...groups].sort();
const out = `// Generated by scripts/word-families.mjs from the morph-it lexicon (CC BY-SA 2.0, © Marco
// Baroni and Eros Zanchetta; via italian-words-dict, italian-verbs-dict and
// italian-adjectives-dict 3.4.0): groups of Snowball stems of words derived from one another by
// strict suffix rules. Do not edit; regenerate when the analysis changes.

/** The analysis the stems were made with: a test checks that it is still the current one. */
export const WORD_FAMILIES_ANALYSIS = ${ANALYSIS_VERSION};

/** One family per line, its stems separated by spaces. */
export const WORD_FAMILIES = ${JSON.stringify(lines.join("\n"))};
`;
writeFileSync(resolve(import.meta.dirname, "../src/search/word-families.ts"), out);
console.log(`${lines.length} families, ${out.length} characters`);
