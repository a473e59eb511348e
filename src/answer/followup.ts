// Follow-up questions: a short message that only makes sense after the previous one ("e in
// Piemonte?", "e quanto dura?", "chi la firma?") is read against the previous question of the same
// conversation, and rewritten into a question that stands on its own.
import { findRegionMentions, findRegions, foldForMatching } from "../knowledge/regions.js";
import { say } from "../prompts.js";
import { analyze } from "../search/analysis.js";
import type { Answer } from "./types.js";

/** How long a previous question stays the context of the next one. */
export const FOLLOW_UP_WINDOW_MS = 5 * 60_000;
/** A follow-up is short: longer messages are read as questions of their own. */
const MAX_FOLLOW_UP_WORDS = 7;
/** Conversations remembered at once; the least recently used is forgotten first. */
const MAX_CONVERSATIONS = 10_000;

export interface FollowUpReading {
  /** The question as it was understood, standing on its own. */
  expanded: string;
  /** What the follow-up changed: the region, the question about the same subject, or the subject. */
  kind: "region" | "question" | "subject";
}

/** Words that open a follow-up: "e in Piemonte?", "ma per i navigator?", "invece a Potenza?". */
const CONTINUATION =
  /^\s*(?:e|ed|ma|invece|anche|allora|quindi|e invece|e anche|ma invece)(?:\s+|(?=[’']))/i;

/**
 * Interrogative openings, longest first, so "che cosa" wins over "che" and "da quando" over
 * "quando". Matched on folded text.
 */
const INTERROGATIVES = [
  "per quanto tempo",
  "entro quando",
  "da quando",
  "fino a quando",
  "in che modo",
  "in quale modo",
  "per quale motivo",
  "che cosa",
  "cos'e",
  "cosa",
  "a chi",
  "di chi",
  "con chi",
  "da chi",
  "per chi",
  "chi",
  "quando",
  "quanto",
  "quanta",
  "quanti",
  "quante",
  "qual e",
  "qual'e",
  "quale",
  "quali",
  "come",
  "dove",
  "perche",
  "che",
];
const INTERROGATIVE_RE = new RegExp(
  `^(?:${INTERROGATIVES.map((w) => w.replace(/'/g, "'?").replace(/ /g, "\\s+")).join("|")})\\b`,
);

/** Articles and prepositions that open a noun phrase: the subject of the question starts there. */
const PHRASE_OPENERS = new Set(
  (
    "il lo la i gli le l un uno una un' del dello della dei degli delle dell al allo alla ai agli " +
    "alle all nel nello nella nei negli nelle nell sul sullo sulla sui sugli sulle sull per " +
    "di a da in con su tra fra"
  ).split(" "),
);

/** Copulas and reflexive particles that follow an interrogative and carry no subject. */
const LINKING = new Set(["e", "sono", "si", "ci", "c'e", "ce", "era", "erano", "sara", "saranno"]);

/** Object pronouns that point back at the previous subject: "chi la firma?", "quando lo fanno?". */
const CLITIC = /^(\S+(?:\s+\S+)?\s+)(?:la|lo|li|le|ne|gli)\s+/i;

/**
 * Whether the word after the interrogative is an object pronoun ("chi la firma?") rather than an
 * article ("cos'è la NASpI?", "chi la Regione delega?"): a copula before it or a capital after it
 * make it an article.
 */
function isClitic(text: string): boolean {
  const match = CLITIC.exec(text);
  if (!match) return false;
  const head = interrogativeLength(text);
  if (head === 0 || head < text.search(/\s/)) return false;
  const asking = foldForMatching(text.slice(0, head)).replace(/\s+/g, " ");
  if (/(?:^|\s)(?:cos'?e|qual'?\s?e|che cosa e)$/.test(asking) || /\se$/.test(asking)) return false;
  const next = text.slice(match[0].length);
  return !/^\p{Lu}/u.test(next);
}

/** Characters folded one for one, so positions in the folded text are positions in the text. */
function foldKeepingPositions(text: string): string {
  let out = "";
  for (const ch of text) {
    const folded = foldForMatching(ch);
    out += folded.length === ch.length ? folded : ch;
  }
  return out;
}

function trimQuestion(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[?!.…\s]+$/u, "");
}

function stripContinuation(text: string): { rest: string; continued: boolean } {
  const match = CONTINUATION.exec(text);
  if (!match) return { rest: text.trim(), continued: false };
  return { rest: text.slice(match[0].length).trim(), continued: true };
}

/** Length of the interrogative opening of `text` (0 when it does not open with one). */
function interrogativeLength(text: string): number {
  const match = INTERROGATIVE_RE.exec(foldKeepingPositions(text));
  return match ? match[0].length : 0;
}

/**
 * Splits a question into its asking part ("chi firma", "quanto dura", "cosa prevede") and its
 * subject ("la convenzione per la Basilicata"): the subject starts at the first article or
 * preposition after the interrogative, or right after it when a noun follows directly
 * ("quanti navigator ci sono …").
 */
export function splitQuestion(question: string): { asking: string; subject: string } {
  const text = stripContinuation(trimQuestion(question)).rest;
  const head = interrogativeLength(text);
  if (head === 0) return { asking: "", subject: text };
  const words = text.slice(head).trim().split(" ").filter(Boolean);
  let i = 0;
  while (i < words.length && LINKING.has(foldForMatching(words[i] ?? ""))) i++;
  // A verb right after the interrogative is followed by a noun phrase: "firma la convenzione".
  const next = foldForMatching(words[i + 1] ?? "").replace(/'.*$/, "");
  const current = foldForMatching(words[i] ?? "").replace(/'.*$/, "");
  if (!PHRASE_OPENERS.has(current) && PHRASE_OPENERS.has(next)) i++;
  const asking = [text.slice(0, head).trim(), ...words.slice(0, i)].join(" ").trim();
  return { asking, subject: words.slice(i).join(" ") };
}

/** Every occurrence of `word` as a whole word, in folded text. */
function wholeWord(word: string): RegExp {
  return new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "g");
}

/** `text` with every mention of a region replaced by `region` (or removed when empty). */
function replaceRegions(text: string, region: string): { text: string; replaced: boolean } {
  const folded = foldKeepingPositions(text);
  const spans: Array<[number, number]> = [];
  for (const mention of findRegionMentions(text)) {
    for (const word of new Set(mention.words.split(" ").filter((w) => w.length > 2))) {
      const pattern = wholeWord(word);
      for (const m of folded.matchAll(pattern)) spans.push([m.index, m.index + m[0].length]);
    }
  }
  if (spans.length === 0) return { text, replaced: false };
  spans.sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  for (const [from, to] of spans) {
    if (from < at) continue;
    const between = text.slice(at, from);
    // Adjacent words of one name ("Emilia" "Romagna") become one replacement.
    out += at > 0 && /^[\s-]*$/.test(between) ? "" : withArticleFor(between, region) + region;
    at = to;
  }
  out += text.slice(at);
  return { text: out.replace(/\s+/g, " ").trim(), replaced: true };
}

/** Regions named with "il", "l'" or "le" in Italian; the others take "la". */
const REGION_ARTICLE: Record<string, "il" | "l'" | "le"> = {
  piemonte: "il",
  veneto: "il",
  lazio: "il",
  molise: "il",
  friuliveneziagiulia: "il",
  trentinoaltoadige: "il",
  emiliaromagna: "l'",
  abruzzo: "l'",
  umbria: "l'",
  marche: "le",
};

/** Article forms by preposition: bare, di, a, da, in, su. */
const ARTICLED: Record<string, Record<"la" | "il" | "l'" | "le", string>> = {
  "": { la: "la ", il: "il ", "l'": "l'", le: "le " },
  de: { la: "della ", il: "del ", "l'": "dell'", le: "delle " },
  a: { la: "alla ", il: "al ", "l'": "all'", le: "alle " },
  da: { la: "dalla ", il: "dal ", "l'": "dall'", le: "dalle " },
  ne: { la: "nella ", il: "nel ", "l'": "nell'", le: "nelle " },
  su: { la: "sulla ", il: "sul ", "l'": "sull'", le: "sulle " },
};
const ARTICLE_BEFORE = /\b(de|a|da|ne|su)?(?:(?:ll)?(?:a|e|')|l|i)\s*$|\b(il|la|le|l')\s*$/iu;

/** `before` (the text up to a region's name) with its article fitted to `region`. */
function withArticleFor(before: string, region: string): string {
  const match = /(?:^|\s)((?:de|a|da|ne|su)?(?:lla|lle|ll'|l|l')|il|la|le|l')\s*$/iu.exec(before);
  if (!match || !ARTICLE_BEFORE.test(before)) return before;
  const word = (match[1] ?? "").toLowerCase().replace("’", "'");
  const prep = /^(de|da|ne|su|a)/.exec(word)?.[1] ?? "";
  const forms =
    ARTICLED[word === "la" || word === "le" || word === "il" || word === "l'" ? "" : prep];
  if (!forms) return before;
  const article = REGION_ARTICLE[foldForMatching(region).replace(/[^a-z]+/g, "")] ?? "la";
  const start = match.index + (match[0].length - match[0].trimStart().length);
  return before.slice(0, start) + forms[article];
}

/** Stands for a region name while its phrase is cut out. */
const REGION_MARK = "⟦R⟧";

/** `text` without the words naming a region, and the preposition that introduced them. */
function removeRegionPhrase(text: string): string {
  const marked = replaceRegions(text, REGION_MARK).text;
  return marked
    .replace(
      /(?:\b(?:in|per|nel|nella|nelle|nei|della|delle|dei|del|di|da|a|ad|la|il|le)\s+|\b(?:l|dell|all|nell)['’]\s*)?⟦R⟧/giu,
      " ",
    )
    .replace(/\s+/g, " ")
    .trim();
}

/** A capitalised word after the first, an acronym or a number: what a question is about. */
const NAMES_SOMETHING = /(?:\s\p{Lu}|\p{Lu}{2}|\p{Ll}\p{Lu}|\d)/u;

/** Content terms of `text` once the regions it names are taken out. */
function contentTerms(text: string): string[] {
  let rest = foldKeepingPositions(text);
  for (const mention of findRegionMentions(text)) {
    for (const word of mention.words.split(" ").filter(Boolean)) {
      rest = rest.replace(wholeWord(word), " ");
    }
  }
  return analyze(rest);
}

function asQuestion(text: string): string {
  const trimmed = trimQuestion(text);
  return trimmed ? `${trimmed}?` : trimmed;
}

/**
 * Whether `current` reads as a follow-up of `previous`, and if so the question it stands for.
 * `eager` also accepts a short question without any follow-up marker (used when the question on
 * its own found no answer).
 */
export function readFollowUp(
  current: string,
  previous: string,
  options: { eager?: boolean } = {},
): FollowUpReading | null {
  const text = trimQuestion(current);
  if (!text || !trimQuestion(previous)) return null;
  const wordCount = text.split(" ").length;
  if (wordCount > MAX_FOLLOW_UP_WORDS) return null;
  const { rest, continued } = stripContinuation(text);
  if (!rest) return null;
  const regions = findRegions(rest);
  const terms = contentTerms(rest);
  const asks = interrogativeLength(rest) > 0;
  const clitic = asks && isClitic(rest);

  // "e in Piemonte?", "Piemonte?", "e per l'Emilia-Romagna?": the same question, another region.
  if (regions.length === 1 && terms.length === 0 && !asks) {
    const region = regions[0] as string;
    const swapped = replaceRegions(trimQuestion(previous), region);
    if (swapped.replaced) {
      if (findRegions(swapped.text).every((r) => r === region)) {
        return { expanded: asQuestion(swapped.text), kind: "region" };
      }
      return null;
    }
    return { expanded: asQuestion(`${trimQuestion(previous)} ${rest}`), kind: "region" };
  }

  const marked = continued || clitic || terms.length === 0;
  if (!marked && !options.eager) return null;
  // Without a marker only a bare question reads as a follow-up: an interrogative and one plain
  // word ("quanto dura?", "chi firma?"). A name, an acronym or a number ("cos'è NASpI?",
  // "quanti CPI nel 2019?") or a second content word is a subject of its own.
  if (!marked && (terms.length > 1 || NAMES_SOMETHING.test(rest))) return null;

  const { asking, subject } = splitQuestion(previous);
  const region = regions.length === 1 ? (regions[0] as string) : undefined;
  /** The previous subject, moved to the follow-up's region when it names one. */
  const subjectIn = (phrase: string): string => {
    if (!region) return phrase;
    const moved = replaceRegions(phrase, region);
    return moved.replaced ? moved.text : `${phrase} in ${region}`;
  };

  if (asks) {
    // "e quanto dura?", "chi la firma?": a new question about the previous subject. One with a
    // subject of its own ("e cos'è la NASpI?") is a new question, not a follow-up.
    if (!subject) return null;
    const core = clitic ? rest.replace(CLITIC, "$1") : rest;
    const own = region ? removeRegionPhrase(core) : core;
    const after = own
      .slice(interrogativeLength(own))
      .split(/\s+/)
      .filter((w) => w && !LINKING.has(foldForMatching(w)));
    if (!clitic && after.length > 1) return null;
    return { expanded: asQuestion(`${own} ${subjectIn(subject)}`), kind: "question" };
  }
  // "e il LEP P?", "e per i navigator?": the previous question about another subject.
  if (!asking || !continued) return null;
  return { expanded: asQuestion(`${asking} ${rest}`), kind: "subject" };
}

/** One remembered turn of a conversation. */
export interface PreviousTurn {
  /** The question as it was understood (already expanded when it was a follow-up). */
  question: string;
  interactionId: number;
  at: number;
}

/**
 * The last question of each conversation, in memory, for a few minutes. A conversation is a
 * thread when there is one (anyone in a Slack thread continues it), otherwise a chat and a person
 * (two people in one Telegram group do not continue each other's questions).
 */
export class ConversationMemory {
  readonly #turns = new Map<string, PreviousTurn>();
  readonly #windowMs: number;

  constructor(options: { windowMs?: number } = {}) {
    this.#windowMs = options.windowMs ?? FOLLOW_UP_WINDOW_MS;
  }

  static key(parts: {
    channel: string;
    conversationId?: string | undefined;
    threadId?: string | undefined;
    userId: string;
  }): string {
    const place = parts.conversationId ?? "";
    return parts.threadId !== undefined
      ? `${parts.channel}\u0000${place}\u0000thread\u0000${parts.threadId}`
      : `${parts.channel}\u0000${place}\u0000user\u0000${parts.userId}`;
  }

  /** The previous turn when it is recent enough to be the context of a new question. */
  previous(key: string, now: number): PreviousTurn | undefined {
    const turn = this.#turns.get(key);
    if (!turn) return undefined;
    if (now - turn.at > this.#windowMs) {
      this.#turns.delete(key);
      return undefined;
    }
    return turn;
  }

  remember(key: string, turn: PreviousTurn): void {
    this.#turns.delete(key);
    this.#turns.set(key, turn);
    if (this.#turns.size > MAX_CONVERSATIONS) {
      const oldest = this.#turns.keys().next().value;
      if (oldest !== undefined) this.#turns.delete(oldest);
    }
  }

  get size(): number {
    return this.#turns.size;
  }
}

/** The answer to a question read in its conversation, and how it was read. */
export interface ConversationAnswer<A> {
  answer: A;
  /** The question as searched: the text itself, or its expansion. */
  asked: string;
  followUp: { reading: FollowUpReading; previous: PreviousTurn } | null;
}

/**
 * Answers `text` in the conversation `key`: a clear follow-up is expanded before searching; a
 * bare question ("quanto dura?") that finds nothing on its own is tried once more against the
 * previous question. Any other question is asked once.
 * The caller remembers the turn (it knows the interaction id) with `memory.remember`.
 */
export async function askInConversation<A extends { status: "answered" | "declined" }>(
  ask: (question: string) => A | Promise<A>,
  memory: ConversationMemory,
  key: string,
  text: string,
  now: number,
): Promise<ConversationAnswer<A>> {
  const previous = memory.previous(key, now);
  if (!previous) return { answer: await ask(text), asked: text, followUp: null };
  const reading = readFollowUp(text, previous.question);
  if (reading) {
    return {
      answer: await ask(reading.expanded),
      asked: reading.expanded,
      followUp: { reading, previous },
    };
  }
  const eager = readFollowUp(text, previous.question, { eager: true });
  const alone = await ask(text);
  if (alone.status === "answered" || !eager) return { answer: alone, asked: text, followUp: null };
  const expanded = await ask(eager.expanded);
  if (expanded.status !== "answered") return { answer: alone, asked: text, followUp: null };
  return { answer: expanded, asked: eager.expanded, followUp: { reading: eager, previous } };
}

/** The answer with the follow-up's reading shown first ("Intendi: «… in Piemonte?»"). */
export function withFollowUp(
  answer: Answer,
  asked: string,
  previous: { interactionId: number; question: string },
): Answer {
  const reading = say("answer.follow_up", { question: asked });
  return {
    ...answer,
    text: `${reading}\n${answer.text}`,
    parts: { ...answer.parts, lead: `${reading}\n${answer.parts.lead}` },
    followUpOf: {
      interactionId: previous.interactionId,
      question: previous.question,
      understoodAs: asked,
    },
  };
}
