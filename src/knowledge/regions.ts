// Finds the Italian region a question is about, so that a question about a region the corpus
// does not cover is declined instead of answered from another region's document. Names,
// demonyms and the main cities are matched on accent-folded, lower-case text.

interface RegionPattern {
  name: string;
  /** Alternatives matched as whole words on folded text. */
  forms: string[];
  /** Alternatives matched on the text as written, capital letter included. */
  properForms?: string[];
}

// Demonyms are written as stems with their Italian endings (o/a/i/e) spelled out, so that
// "navigator campani" and "cpi piemontesi" are recognised as well as the region's name.
const regionPatterns: RegionPattern[] = [
  {
    name: "Abruzzo",
    forms: ["abruzzo", "abruzzes[ei]", "l'aquila", "pescara", "chieti", "teramo"],
  },
  { name: "Basilicata", forms: ["basilicata", "lucani[ae]?", "lucan[oaie]", "matera"] },
  {
    name: "Calabria",
    forms: [
      "calabria",
      "calabres[ei]",
      "catanzaro",
      "reggio calabria",
      "cosenza",
      "crotone",
      "vibo valentia",
    ],
  },
  {
    name: "Campania",
    forms: [
      "campania",
      "campan[oi]",
      "napoli",
      "napoletan[oaie]",
      "salerno",
      "caserta",
      "avellino",
      "benevento",
    ],
  },
  {
    name: "Emilia-Romagna",
    forms: [
      "emilia[ -]?romagna",
      "emilia",
      "romagna",
      "emilian[oaie]",
      "romagnol[oaie]",
      "e-r",
      "bologna",
      "bolognes[ei]",
      "modena",
      "parma",
      "reggio emilia",
      "ferrara",
      "ravenna",
      "rimini",
      "forli",
      "piacenza",
      "cesena",
    ],
  },
  {
    name: "Friuli-Venezia Giulia",
    forms: [
      "friuli(?:[ -]venezia[ -]giulia)?",
      "friulan[oaie]",
      "trieste",
      "udine",
      "pordenone",
      "gorizia",
    ],
  },
  { name: "Lazio", forms: ["lazio", "lazial[ei]", "frosinone", "rieti", "viterbo"] },
  {
    name: "Liguria",
    forms: ["liguria", "ligur[ei]", "genova", "genoves[ei]", "la spezia", "savona", "imperia"],
  },
  {
    name: "Lombardia",
    forms: [
      "lombardia",
      "lombard[oaie]",
      "milano",
      "milanes[ei]",
      "bergamo",
      "brescia",
      "como",
      "varese",
      "monza",
      "pavia",
      "cremona",
      "mantova",
      "lecco",
      "lodi",
      "sondrio",
    ],
  },
  {
    name: "Marche",
    // "marche" is also a common noun ("le marche da bollo"): the region is written "Marche".
    properForms: ["Marche"],
    // …but after "regione" it can only be the region.
    forms: ["regione marche", "marchigian[oaie]", "ancona", "pesaro", "macerata", "ascoli piceno"],
  },
  { name: "Molise", forms: ["molise", "molisan[oaie]", "campobasso", "isernia"] },
  {
    name: "Piemonte",
    forms: [
      "piemonte",
      "piemontes[ei]",
      "torino",
      "torines[ei]",
      "novara",
      "alessandria",
      "cuneo",
      "asti",
      "biella",
      "vercelli",
      "verbania",
    ],
  },
  {
    name: "Puglia",
    forms: [
      "puglia",
      "puglies[ei]",
      "bari",
      "barese",
      "lecce",
      "taranto",
      "foggia",
      "brindisi",
      "barletta",
    ],
  },
  {
    name: "Sardegna",
    forms: ["sardegna", "sard[oaie]", "cagliari", "sassari", "nuoro", "oristano"],
  },
  {
    name: "Sicilia",
    forms: [
      "sicilia",
      "sicilian[oaie]",
      "palermo",
      "catania",
      "messina",
      "siracusa",
      "trapani",
      "agrigento",
      "ragusa",
      "caltanissetta",
      "enna",
    ],
  },
  {
    name: "Toscana",
    forms: [
      "toscana",
      "toscan[oie]",
      "firenze",
      "fiorentin[oaie]",
      "pisa",
      "livorno",
      "siena",
      "arezzo",
      "lucca",
      "prato",
      "pistoia",
      "grosseto",
      "massa carrara",
    ],
  },
  {
    name: "Trentino-Alto Adige",
    forms: [
      "trentino(?:[ -]alto[ -]adige)?",
      "alto[ -]adige",
      "sudtirolo",
      "trento",
      "bolzano",
      // not "trentina": "una trentina di" is "about thirty"
      "trentini",
      "altoatesin[oaie]",
    ],
  },
  { name: "Umbria", forms: ["umbria", "umbr[oaie]", "perugia", "terni"] },
  {
    name: "Valle d'Aosta",
    forms: ["valle d'aosta", "valle d aosta", "vda", "aosta", "valdostan[oaie]"],
  },
  {
    name: "Veneto",
    forms: [
      "veneto",
      "venet[aie]",
      "venezia",
      "verona",
      "padova",
      "vicenza",
      "treviso",
      "rovigo",
      "belluno",
    ],
  },
];

interface CompiledRegion {
  name: string;
  global: RegExp;
  proper: RegExp | undefined;
}

/**
 * The literal start of a form ("emilia" of "emilia[ -]?romagna"): a text without any of them
 * cannot name the region, so its regular expressions are neither compiled nor run. V8 compiles
 * these Unicode look-behind patterns on first use, about 80 ms for all regions together.
 */
function literalPrefix(form: string): string {
  return /^[^[\](){}?*+|\\]*/.exec(form)?.[0] ?? "";
}

/**
 * Region names cut short with a full stop, as operators write them in chat ("piano pie.", "AT
 * bas."), matched only with their full stop. Left out: truncations that are also common
 * abbreviations of another word: "mar." and "ven." (marzo, martedì, venerdì), "abr."
 * (abrogato), "cal." (calendario), "trent." (trentennale), "mol." (molecolare).
 */
const TRUNCATED_NAMES: Readonly<Record<string, readonly string[]>> = {
  Abruzzo: ["abruz"],
  Basilicata: ["bas", "basil"],
  Calabria: ["calab"],
  Campania: ["camp"],
  "Emilia-Romagna": ["emil"],
  "Friuli-Venezia Giulia": ["friul"],
  Lazio: ["laz"],
  Liguria: ["lig"],
  Lombardia: ["lomb"],
  Piemonte: ["pie", "piem"],
  Puglia: ["pugl"],
  Sardegna: ["sard"],
  Sicilia: ["sic"],
  Toscana: ["tosc"],
  Umbria: ["umbr"],
};

/** A region's forms with its truncated names, each followed by its full stop. */
function formsOf(region: RegionPattern): string[] {
  return [...region.forms, ...(TRUNCATED_NAMES[region.name] ?? []).map((name) => `${name}\\.`)];
}

const regionChecks = regionPatterns.map((region) => ({
  region,
  prefixes: formsOf(region)
    .map(literalPrefix)
    .filter((p) => p.length > 0),
  properPrefixes: (region.properForms ?? []).map(literalPrefix),
  compiled: undefined as CompiledRegion | undefined,
}));

function compile(region: RegionPattern): CompiledRegion {
  // "regione Basilicata", "provincia autonoma di Trento": the word before the name is part of it.
  const source = `(?<![\\p{L}\\p{N}])(?:(?:regione|provincia(?: autonoma)?(?: di)?) )?(?:${formsOf(region).join("|")})(?![\\p{L}\\p{N}])`;
  const proper = region.properForms
    ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${region.properForms.join("|")})(?![\\p{L}\\p{N}])`, "gu")
    : undefined;
  // One expression for matchAll and replace (which never leave it with a lastIndex): these
  // Unicode expressions are slow to parse and compile, and the copy test() used to have made
  // finding regions in the candidates of a cold `ask` naming a region some 3 ms slower.
  return {
    name: region.name,
    global: new RegExp(source, "gu"),
    proper,
  };
}

/** The regions `folded` (and `text` as written, for proper forms) may name, compiled. */
function candidateRegions(folded: string, text: string): CompiledRegion[] {
  const found: CompiledRegion[] = [];
  for (const check of regionChecks) {
    const possible =
      check.prefixes.some((prefix) => folded.includes(prefix)) ||
      check.properPrefixes.some((prefix) => text.includes(prefix));
    if (!possible) continue;
    check.compiled ??= compile(check.region);
    found.push(check.compiled);
  }
  return found;
}

/** Lower-case, strip accents, unify apostrophes; keeps word boundaries. */
export function foldForMatching(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[’‘`´]/g, "'");
}

export const italianRegions: readonly string[] = regionPatterns.map((r) => r.name);

/** Canonical key of a region name, so "Emilia Romagna" and "Emilia-Romagna" compare equal. */
export function regionKey(name: string): string {
  return foldForMatching(name).replace(/[^a-z]+/g, "");
}

/** The regions named in `text`, in the order of the list above. */
export function findRegions(text: string): string[] {
  return findRegionMentions(text).map((m) => m.region);
}

/** Each region named in `text` with the words that name it ("piemontesi", "emilia romagna"). */
export function findRegionMentions(text: string): Array<{ region: string; words: string }> {
  const folded = foldForMatching(text);
  const mentions: Array<{ region: string; words: string }> = [];
  for (const { name, global, proper } of candidateRegions(folded, text)) {
    const words = [...folded.matchAll(global)].map((m) => m[0]);
    if (proper) for (const m of text.matchAll(proper)) words.push(foldForMatching(m[0]));
    if (words.length > 0) mentions.push({ region: name, words: words.join(" ") });
  }
  return mentions;
}

/** `text` folded, with the words naming any region blanked out. */
export function stripRegionMentions(text: string): string {
  const candidates = candidateRegions(foldForMatching(text), text);
  let kept = text;
  for (const { proper } of candidates) if (proper) kept = kept.replace(proper, " ");
  let folded = foldForMatching(kept);
  for (const { global } of candidates) folded = folded.replace(global, " ");
  return folded;
}

/**
 * Region names of seven letters or more: one slip of the keyboard ("toscanna", "calabbria",
 * "piemonet") does not make another word of them. Left out: "trentino" ("una trentina di").
 */
const LONG_NAMES = [
  "abruzzo",
  "basilicata",
  "calabria",
  "campania",
  "liguria",
  "lombardia",
  "piemonte",
  "romagna",
  "sardegna",
  "sicilia",
  "toscana",
];
/** Shorter names, which one edit can turn into a word ("veneto" → "venuto", "puglia" →
 * "paglia"): only a doubled letter is undone ("molisse", "venneto"). */
const SHORT_NAMES = ["emilia", "friuli", "molise", "puglia", "umbria", "veneto"];

/**
 * `text` with region names mistyped by one letter written right ("in toscanna quanti cpi" →
 * "in toscana quanti cpi"), so that the region is recognised: a question about a region the
 * corpus does not cover must not be answered from another region's documents because of a
 * typo. Only words the name lists above do not already contain are changed.
 */
export function correctRegionNames(text: string): string {
  return text.replace(/\p{L}{6,}/gu, (word) => {
    const folded = foldForMatching(word);
    if (LONG_NAMES.includes(folded) || SHORT_NAMES.includes(folded)) return word;
    const long = LONG_NAMES.find((name) => oneEditApart(folded, name));
    if (long) return long;
    return SHORT_NAMES.find((name) => isDoubledLetter(folded, name)) ?? word;
  });
}

/** True when `word` is `name` with one of its letters typed twice. */
function isDoubledLetter(word: string, name: string): boolean {
  if (word.length !== name.length + 1) return false;
  for (let i = 1; i < word.length; i++) {
    if (word[i] === word[i - 1] && word.slice(0, i) + word.slice(i + 1) === name) return true;
  }
  return false;
}

/** One insertion, deletion, substitution or swap of two neighbours apart (not equal). */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
