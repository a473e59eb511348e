// Every sentence Sportello says to a person comes from the Italian templates in `prompts/`.
// Each YAML file there is a flat map of keys to templates with `{placeholders}`; the file name is
// the key's namespace (`answer.yaml` → `answer.lead`). Each file is read the first time one of its
// keys is used, so a command pays only for the texts it says. A process that names a cache file
// (`usePromptCache`) keeps each file's templates there, compiled, with the hash of the file's
// bytes: a file that has not changed since is not parsed as YAML again.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SportelloError } from "./errors.js";
import { locale } from "./locale.js";
import type { PromptKey } from "./prompt-keys.js";
import { yaml } from "./yaml.js";

export type { PromptKey };

function findPromptsDir(): string {
  // Works from src/ (tests) and from dist/src/ (built code).
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, "prompts");
    try {
      readdirSync(candidate);
      return candidate;
    } catch {
      dir = resolve(dir, "..");
    }
  }
  throw new SportelloError("CONFIG_INVALID", "prompts: cartella prompts/ non trovata");
}

let promptsDir: string | undefined;
/** Templates by namespace, each file read the first time one of its keys is used. */
const namespaces = new Map<string, Map<string, string>>();

/** Bumped when the compiled form or the reading of the YAML files changes. */
const PROMPT_CACHE_FORMAT = 1;

interface PromptCache {
  format: number;
  /** Namespace → the hash of its file's bytes and its templates as read from them. */
  namespaces: Record<string, { hash: string; templates: Record<string, string> }>;
}

let cacheFile: string | undefined;
let cache: PromptCache | undefined;

/**
 * Keeps the compiled templates in `file` (a JSON file, written atomically; commands put it next
 * to the index cache). A missing, stale or unreadable cache only means the YAML is read again.
 */
export function usePromptCache(file: string | undefined): void {
  if (file === cacheFile) return;
  cacheFile = file;
  cache = undefined;
}

function readCache(): PromptCache {
  if (cache) return cache;
  cache = { format: PROMPT_CACHE_FORMAT, namespaces: {} };
  if (!cacheFile) return cache;
  try {
    const stored = JSON.parse(readFileSync(cacheFile, "utf8")) as Partial<PromptCache>;
    if (stored.format === PROMPT_CACHE_FORMAT && stored.namespaces) {
      cache.namespaces = stored.namespaces;
    }
  } catch {
    // Not written yet, or damaged: the files are read and the cache written again.
  }
  return cache;
}

function writeCache(): void {
  if (!cacheFile || !cache) return;
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(temporary, JSON.stringify(cache));
    renameSync(temporary, cacheFile);
  } catch {
    // A cache that cannot be written (read-only or full disk) costs time, never an answer.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was created.
    }
  }
}

/** The templates of one YAML file, checked: a map of keys to non-empty strings. */
function compileTemplates(text: string, file: string): Record<string, string> {
  const parsed: unknown = yaml().parse(text);
  const invalid = (detail: string) =>
    new SportelloError(
      "CONFIG_INVALID",
      `prompts: ${file} must map keys to non-empty strings (${detail})`,
    );
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw invalid("not a map");
  }
  const templates: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== "string" || value.length === 0) throw invalid(`"${key}"`);
    templates[key] = value.trimEnd();
  }
  return templates;
}

function loadNamespace(namespace: string): Map<string, string> {
  const loaded = namespaces.get(namespace);
  if (loaded) return loaded;
  promptsDir ??= findPromptsDir();
  const file = `${namespace}.yaml`;
  let map = new Map<string, string>();
  if (/^[\w-]+$/.test(namespace) && readdirSync(promptsDir).includes(file)) {
    const bytes = readFileSync(join(promptsDir, file));
    const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 32);
    const compiled = readCache();
    const cached = compiled.namespaces[namespace];
    if (cached?.hash === hash) {
      map = new Map(Object.entries(cached.templates));
    } else {
      const templates = compileTemplates(bytes.toString("utf8"), file);
      map = new Map(Object.entries(templates));
      compiled.namespaces[namespace] = { hash, templates };
      writeCache();
    }
  }
  namespaces.set(namespace, map);
  return map;
}

function templateOf(key: string): string | undefined {
  const dot = key.indexOf(".");
  if (dot <= 0) return undefined;
  return loadNamespace(key.slice(0, dot)).get(key.slice(dot + 1));
}

export type TemplateVars = Record<string, string | number>;

// A count in a sentence takes the ICU MessageFormat plural form, the subset translators know:
// "{count, plural, one {# nuova risposta} other {# nuove risposte}}"; `=N` picks an exact number,
// `#` is the number, and a branch may hold {placeholders}.
const pluralPattern =
  /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{(?:[^{}]|\{\w+\})*\})+)\s*\}/g;
const branchPattern = /(=\d+|zero|one|two|few|many|other)\s*\{((?:[^{}]|\{\w+\})*)\}/g;
let pluralRules: Intl.PluralRules | undefined;
const italianPlural = (count: number) => {
  pluralRules ??= new Intl.PluralRules(locale);
  return pluralRules.select(count);
};

function choosePlural(key: string, name: string, value: unknown, branches: string): string {
  if (value === undefined) {
    throw new SportelloError("CONFIG_INVALID", `prompts: "${key}" needs {${name}}`);
  }
  // A number written for people ("1.234") still picks a form; anything else reads as "other".
  const count = Number(String(value).replace(/\./g, "").replace(",", "."));
  const forms = new Map<string, string>();
  for (const [, selector = "", text = ""] of branches.matchAll(branchPattern)) {
    forms.set(selector, text);
  }
  const chosen = Number.isFinite(count)
    ? (forms.get(`=${count}`) ?? forms.get(italianPlural(count)) ?? forms.get("other"))
    : forms.get("other");
  if (chosen === undefined) {
    throw new SportelloError("CONFIG_INVALID", `prompts: "${key}" needs an "other" form`);
  }
  return chosen.replaceAll("#", String(value));
}

/** Renders the template `key` ("answer.lead") with `vars`; a missing key or variable is a bug. */
export function say(key: PromptKey, vars: TemplateVars = {}): string {
  const template = templateOf(key);
  if (template === undefined) {
    throw new SportelloError("CONFIG_INVALID", `prompts: no template "${key}" in prompts/`);
  }
  return template
    .replace(pluralPattern, (_, name: string, branches: string) =>
      choosePlural(key, name, vars[name], branches),
    )
    .replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = vars[name];
      if (value === undefined) {
        throw new SportelloError("CONFIG_INVALID", `prompts: "${key}" needs {${name}}`);
      }
      return String(value);
    });
}

/** True when `key` exists, for optional wording. */
export function hasTemplate(key: string): key is PromptKey {
  return templateOf(key) !== undefined;
}

// Italian grammar the templates cannot express: lists and articled prepositions before a name.

/** "A", "A e B", "A, B e C"; "ed" before a word starting with e ("Piemonte ed Emilia-Romagna"). */
export function listInItalian(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  const last = items.at(-1) ?? "";
  const and = /^[eèé]/i.test(last) ? "ed" : "e";
  return `${items.slice(0, -1).join(", ")} ${and} ${last}`;
}

type Article = "il" | "la" | "l'" | "le";

// Italian regions take an article: "del Piemonte", "della Basilicata", "dell'Emilia-Romagna".
const regionArticles: Record<string, Article> = {
  Abruzzo: "l'",
  Basilicata: "la",
  Calabria: "la",
  Campania: "la",
  "Emilia-Romagna": "l'",
  "Friuli-Venezia Giulia": "il",
  Lazio: "il",
  Liguria: "la",
  Lombardia: "la",
  Marche: "le",
  Molise: "il",
  Piemonte: "il",
  Puglia: "la",
  Sardegna: "la",
  Sicilia: "la",
  Toscana: "la",
  "Trentino-Alto Adige": "il",
  Umbria: "l'",
  "Valle d'Aosta": "la",
  Veneto: "il",
};

const articled: Record<string, Record<Article, string>> = {
  di: { il: "del ", la: "della ", "l'": "dell'", le: "delle " },
  su: { il: "sul ", la: "sulla ", "l'": "sull'", le: "sulle " },
  in: { il: "nel ", la: "nella ", "l'": "nell'", le: "nelle " },
  a: { il: "al ", la: "alla ", "l'": "all'", le: "alle " },
  da: { il: "dal ", la: "dalla ", "l'": "dall'", le: "dalle " },
};

/** "di" + "Piemonte" → "del Piemonte"; a name that is not a region keeps the bare preposition. */
export function withPreposition(
  preposition: "di" | "su" | "in" | "a" | "da",
  name: string,
): string {
  const article = regionArticles[name];
  if (!article) return `${preposition} ${name}`;
  return `${articled[preposition]?.[article] ?? `${preposition} `}${name}`;
}
