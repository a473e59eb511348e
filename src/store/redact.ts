// Removes personal data from text before it is written anywhere: navigators paste beneficiaries'
// names, codici fiscali, IBANs, phone numbers, addresses and document numbers into chats. Each
// kind becomes a typed placeholder so the redacted question still groups with its paraphrases.
// Dates other than a date of birth, law references (D.Lgs. 150/2015), amounts (164.316.744,00 €),
// percentages, section numbers and place names are left alone.
import { givenNames } from "./given-names.js";

export const placeholders = {
  name: "[NOME]",
  birthDate: "[DATA DI NASCITA]",
  address: "[INDIRIZZO]",
  identityDocument: "[DOCUMENTO]",
  numberPlate: "[TARGA]",
  email: "[EMAIL]",
  iban: "[IBAN]",
  codiceFiscale: "[CODICE FISCALE]",
  partitaIva: "[PARTITA IVA]",
  phone: "[TELEFONO]",
  number: "[NUMERO]",
} as const;

const email = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

// Italian IBAN: IT, check digits, CIN letter, ABI and CAB (10 digits), 12-character account;
// often typed in groups of four, sometimes in lower case.
const italianIban = /\b(?:IT|SM)\d{2}[ ]?[A-Z](?:[ ]?\d){10}(?:[ ]?[A-Z0-9]){12}\b/gi;
// Other countries: country code, check digits, 11-30 letters and digits; kept only if the
// mod-97 check passes, so ordinary upper-case words are not taken for one.
const foreignIban = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b/g;

// Omocodia replaces digits with L M N P Q R S T U V, so digit positions accept those letters.
const codiceFiscale =
  /\b[A-Z]{6}[0-9LMNP-V]{2}[ABCDEHLMPRST][0-9LMNP-V]{2}[A-Z][0-9LMNP-V]{3}[A-Z]\b/gi;

// "P.IVA", "partita IVA", "P. IVA n." before 11 digits, or 11 digits with a valid check digit.
const partitaIvaLabelled =
  /\b(?:p(?:artita)?\.?\s?iva|piva)(?:\s*(?:n\.?|nr\.?|:))?\s*(?:IT\s?)?(\d{11})\b/gi;
const elevenDigits = /\b(?:IT\s?)?(\d{11})\b/g;

// Italian numbers: optional +39/0039, then a mobile (3xx) or a landline (0x…), digits possibly
// split by spaces, dashes or slashes. Dots are not separators here: "350.000.000" is an amount.
const phone =
  /(?<![\w.,])(?:(?:\+|00)39[ -]?)?(?:3\d{2}|0\d{1,3})(?:[ /-]?\d){5,8}(?![\w]|[.,]\d)/g;

// Card-like groups of four digits.
const digitGroups = /\b\d{4}(?:[ -]\d{4}){2,4}\b/g;

// Six or more digits in a row, not part of a decimal amount, a dotted number or an alphanumeric
// code glued to letters (CUP J31H17000080006 names a project, not a person).
const longDigits = /(?<![\p{L}\d.,/])\d{6,}(?![\p{L}\d]|[.,]\d)/gu;

// A date right after "nato/nata il", "data di nascita", "d.n.": 12/03/1980, 12.03.80, 3 marzo 1980.
const months =
  "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre";
const birthDate = new RegExp(
  `(\\b(?:nat[oaie]|nascita|d\\.\\s?n\\.)[^\\d\\n]{0,24}?)(\\d{1,2}[/.-]\\d{1,2}[/.-](?:19|20)?\\d{2}\\b|\\d{1,2}°?\\s+(?:${months})\\s+(?:19|20)\\d{2}\\b)`,
  "gi",
);

// "via Roma 12", "Piazza dei Mille, 5/A, 85100 Potenza (PZ)", "c.so Garibaldi n. 3": a street
// word, a capitalised name, and a house number or a CAP. Case is written out by hand because
// \p{Lu} with the i flag would also match lower case ("corso di formazione 12 ore" is no street).
const streetWords = [
  "via",
  "viale",
  "v\\.le",
  "piazza",
  "piazzale",
  "p\\.zza",
  "p\\.za",
  "corso",
  "c\\.so",
  "largo",
  "vicolo",
  "vico",
  "contrada",
  "c\\.da",
  "località",
  "loc\\.",
  "strada",
  "borgo",
  "lungomare",
  "salita",
  "traversa",
].map((w) => `[${w[0]}${w[0]?.toUpperCase()}]${w.slice(1)}`);
const capitalWord = "\\p{Lu}[\\p{L}'’.]*";
const streetParticle =
  "(?:[Dd](?:e|i|a|el|ella|ello|ei|egli|elle|ell'|ell’)|[Ss]an|[Ss]anta|[Ss]ant'|[Ss]\\.)";
const streetName = `(?:${streetParticle}\\s*)?${capitalWord}(?:\\s+(?:${streetParticle}\\s*)?${capitalWord}){0,4}`;
const houseNumber =
  "(?:n\\.?\\s*|nr\\.?\\s*)?\\d{1,4}(?:\\s?[A-Za-z](?![\\p{L}]))?(?:/\\d{1,3}|/[A-Za-z])?";
const postcodeTown = `\\d{5}(?:\\s+${capitalWord}(?:\\s+${capitalWord})?)?(?:\\s*\\(\\p{Lu}{2}\\))?`;
const streetAddress = new RegExp(
  `(?<![\\p{L}])(?:${streetWords.join("|")})\\s+${streetName}(?:,?\\s*${houseNumber}(?:,?\\s*${postcodeTown})?|,?\\s*${postcodeTown})(?![\\p{L}\\d])`,
  "gu",
);

// Carta d'identità elettronica (CA12345AB) and the paper card or passport (AR 1234567).
const identityDocument = /\b(?:[A-Z]{2}\s?\d{5}\s?[A-Z]{2}|[A-Z]{2}\s?\d{7})\b/gi;
// Plates since 1994: two letters, three digits, two letters, never I, O, Q or U.
const numberPlate = /\b[A-HJ-NPR-TV-Z]{2}\s?\d{3}\s?[A-HJ-NPR-TV-Z]{2}\b/gi;

// Runs of capitalised words ("Mario Rossi", "MARIA DE LUCA", "Gian Paolo D'Amico"), the only
// places a name is looked for.
const capitalRun = /(?<![\p{L}\d])(?:\p{Lu}[\p{L}'’]*)(?:[ \t]+(?:\p{Lu}[\p{L}'’]*))*/gu;
// After a title, the capitalised words that follow are a name whatever they are.
const title =
  /(?:\b(?:sig(?:\.ra|\.na|\.)?|signor[ae]?|signorina|dott(?:\.ssa|\.)?|dottor(?:essa)?|avv\.?|avvocato|ing\.?|prof(?:\.ssa|\.)?|geom\.?|rag\.?)\s*)$/i;
// A given name after these is part of a place (San Giovanni Rotondo, Reggio Emilia).
const placeBefore = new Set(["San", "Santa", "Santo", "Sant", "S.", "Reggio", "Marina"]);
// Words that follow a given name in place and institution names, never a surname.
const notSurname = new Set(
  "Romagna Giulia Aosta Centro Centri Regione Provincia Comune Ministero Agenzia Servizi Servizio Ufficio Lavoro Impiego Militare Garanzia Giovani Reddito Cittadinanza Legge Decreto Istituto Università Scuola Fondazione Associazione Cooperativa Ospedale Policlinico".split(
    " ",
  ),
);

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** The capitalised run with the name in it replaced, or unchanged when it holds no name. */
function redactNameRun(run: string, before: string): string {
  const words = run.split(/([ \t]+)/);
  const tokens = words.filter((_, i) => i % 2 === 0);
  const separators = words.filter((_, i) => i % 2 === 1);
  const join = (from: number, to: number) =>
    tokens
      .slice(from, to)
      .map((t, i) => (i === 0 ? t : `${separators[from + i - 1] ?? " "}${t}`))
      .join("");
  // Words up to the first that cannot be part of a name.
  const end = (from: number) => {
    let to = from;
    while (to < tokens.length && !notSurname.has(titleCase(tokens[to] ?? ""))) to++;
    return to;
  };
  if (title.test(before)) {
    const to = end(0);
    if (to === 0) return run;
    return `${placeholders.name}${to < tokens.length ? (separators[to - 1] ?? " ") : ""}${join(to, tokens.length)}`;
  }
  for (let i = 0; i < tokens.length - 1; i++) {
    const word = tokens[i] ?? "";
    const previous = i > 0 ? tokens[i - 1] : before.trim().split(/\s+/).at(-1);
    if (!givenNames.has(titleCase(word)) || placeBefore.has(previous ?? "")) continue;
    const to = end(i + 1);
    if (to === i + 1) continue;
    const head = i > 0 ? `${join(0, i)}${separators[i - 1] ?? " "}` : "";
    const tail = to < tokens.length ? `${separators[to - 1] ?? " "}${join(to, tokens.length)}` : "";
    return `${head}${placeholders.name}${tail}`;
  }
  return run;
}

function ibanChecksumIsValid(candidate: string): boolean {
  const compact = candidate.replace(/ /g, "").toUpperCase();
  if (compact.length < 15 || compact.length > 34) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char >= "A" && char <= "Z" ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of code) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** The longest prefix of `match`, cut at a space, that is a valid IBAN ("DE89 3704 … GRAZIE"). */
function redactForeignIban(match: string): string {
  const chunks = match.split(" ");
  for (let n = chunks.length; n > 0; n--) {
    const candidate = chunks.slice(0, n).join(" ");
    if (ibanChecksumIsValid(candidate)) {
      return placeholders.iban + match.slice(candidate.length);
    }
  }
  return match;
}

function codiceFiscaleLooksReal(candidate: string): boolean {
  // Omocodia rarely replaces more than a few digits; a word with letters in every digit slot is
  // far more likely an ordinary (if long) word.
  const digitSlots = candidate.slice(6, 8) + candidate.slice(9, 11) + candidate.slice(12, 15);
  return /\d.*\d.*\d/.test(digitSlots);
}

function partitaIvaIsValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let n = Number(digits[i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return (10 - (sum % 10)) % 10 === Number(digits[10]);
}

function looksLikeCompactDate(digits: string): boolean {
  // 31122019 or 20191231: keep, they are dates written without separators.
  if (digits.length !== 8) return false;
  const ddmmyyyy = /^(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])(19|20)\d{2}$/;
  const yyyymmdd = /^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;
  return ddmmyyyy.test(digits) || yyyymmdd.test(digits);
}

function followedByCurrency(text: string, end: number): boolean {
  return /^\s?(€|euro\b|eur\b)/i.test(text.slice(end, end + 6));
}

function precededByCurrency(text: string, start: number): boolean {
  return /(€|euro|eur)\s?$/i.test(text.slice(Math.max(0, start - 6), start));
}

/** Replaces personal data in `text` with typed placeholders; everything else is unchanged. */
export function redact(text: string): string {
  let out = text.replace(email, placeholders.email);
  out = out.replace(birthDate, (_m, lead: string) => `${lead}${placeholders.birthDate}`);
  out = out.replace(streetAddress, placeholders.address);
  out = out.replace(italianIban, placeholders.iban);
  out = out.replace(foreignIban, redactForeignIban);
  out = out.replace(codiceFiscale, (match) =>
    codiceFiscaleLooksReal(match) ? placeholders.codiceFiscale : match,
  );
  out = out.replace(identityDocument, (match) =>
    // Eleven characters of a P.IVA with a country code are left to the P.IVA rules below.
    /^IT\s?\d{7}$/i.test(match) ? match : placeholders.identityDocument,
  );
  out = out.replace(numberPlate, placeholders.numberPlate);
  out = out.replace(partitaIvaLabelled, (match) =>
    match.replace(/(?:IT\s?)?\d{11}$/i, placeholders.partitaIva),
  );
  out = out.replace(elevenDigits, (match, digits: string) =>
    partitaIvaIsValid(digits) ? placeholders.partitaIva : match,
  );
  out = out.replace(phone, (match, offset: number, whole: string) => {
    const digits = match.replace(/\D/g, "");
    const national = digits.replace(/^(0039|39)(?=[03])/, "");
    if (national.length < 6 || national.length > 11) return match;
    // Italian mobiles have 9 or 10 digits; shorter runs starting with 3 are left to [NUMERO].
    if (national.startsWith("3") && national.length < 9) return match;
    if (looksLikeCompactDate(national) || /^\d{1,2}\/\d{1,2}\/\d{2,4}$/.test(match)) return match;
    if (followedByCurrency(whole, offset + match.length) || precededByCurrency(whole, offset)) {
      return match;
    }
    return placeholders.phone;
  });
  out = out.replace(digitGroups, placeholders.number);
  out = out.replace(longDigits, (match, offset: number, whole: string) => {
    if (looksLikeCompactDate(match)) return match;
    if (followedByCurrency(whole, offset + match.length) || precededByCurrency(whole, offset)) {
      return match;
    }
    return placeholders.number;
  });
  out = out.replace(capitalRun, (run: string, offset: number, whole: string) =>
    redactNameRun(run, whole.slice(Math.max(0, offset - 24), offset)),
  );
  return out;
}

/**
 * The text with personal data removed instead of marked, for searching: a name or a document
 * number cannot be in the corpus, and the reply must not repeat it ("Ho cercato: …").
 */
export function redactForSearch(text: string): string {
  return redact(text).replace(
    /\[(?:NOME|DATA DI NASCITA|INDIRIZZO|DOCUMENTO|TARGA|EMAIL|IBAN|CODICE FISCALE|PARTITA IVA|TELEFONO|NUMERO)\]/g,
    " ",
  );
}
