// The thesaurus: trainer-edited groups of equivalent terms (acronyms, synonyms) and one-way
// expansions, read from knowledge/thesaurus.yaml and applied to questions at query time.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { LineCounter, Node } from "yaml";
import * as z from "zod";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import { yaml } from "../yaml.js";
import { analyze } from "./analysis.js";

const formSchema = z.string().trim().min(1, "forma vuota");

const entrySchema = z.union([
  z.array(formSchema).min(2, "un gruppo di equivalenti ha almeno due forme"),
  z.strictObject({
    from: z.union([formSchema, z.array(formSchema).min(1)]),
    to: z.array(formSchema).min(1, "'to' elenca almeno una forma"),
  }),
]);

const thesaurusFileSchema = z.array(entrySchema);

/** A form as the index sees it: its analysed terms ("centro per l'impiego" → centr, impieg). */
export interface ThesaurusForm {
  text: string;
  terms: string[];
}

/** What one question gains from the thesaurus: an alternative form, triggered by a form it has. */
export interface ThesaurusExpansion {
  /** The form found in the question. */
  trigger: ThesaurusForm;
  /** A form to search for as well. */
  alternative: ThesaurusForm;
}

interface Rule {
  from: ThesaurusForm[];
  to: ThesaurusForm[];
}

/**
 * The cached rules' shape, checked by hand: they are `toJSON`'s own output read back, and zod
 * (without its compiled parsers) took 3-7 ms of a cold `ask` over the 128 rules of knowledge/.
 */
function isRules(value: unknown): value is Rule[] {
  const isForm = (form: unknown) => {
    if (typeof form !== "object" || form === null) return false;
    const { text, terms } = form as Partial<ThesaurusForm>;
    return (
      typeof text === "string" &&
      Array.isArray(terms) &&
      terms.every((term) => typeof term === "string")
    );
  };
  const isForms = (forms: unknown) => Array.isArray(forms) && forms.every(isForm);
  return (
    Array.isArray(value) &&
    value.every(
      (rule) =>
        typeof rule === "object" &&
        rule !== null &&
        isForms((rule as Partial<Rule>).from) &&
        isForms((rule as Partial<Rule>).to),
    )
  );
}

export class Thesaurus {
  /** Rules keyed by the first term of each `from` form, for a single pass over the question. */
  private readonly byFirstTerm = new Map<string, Array<{ form: ThesaurusForm; rule: Rule }>>();
  readonly size: number;

  /**
   * The parsed rules with their analysed terms, to be cached next to the index so that a start
   * does not parse YAML (see `fromJSON`; valid for the same analysis version only).
   */
  toJSON(): Rule[] {
    return this.rules;
  }

  /** A thesaurus from `toJSON`'s output; undefined when it is not one. */
  static fromJSON(json: unknown): Thesaurus | undefined {
    return isRules(json) ? new Thesaurus(json) : undefined;
  }

  private constructor(private readonly rules: Rule[]) {
    this.size = rules.length;
    for (const rule of rules) {
      for (const form of rule.from) {
        const first = form.terms[0];
        if (first === undefined) continue;
        const list = this.byFirstTerm.get(first) ?? [];
        list.push({ form, rule });
        this.byFirstTerm.set(first, list);
      }
    }
  }

  static empty(): Thesaurus {
    return new Thesaurus([]);
  }

  /**
   * Parses the YAML text of a thesaurus. `source` names the file in error messages.
   * @throws SportelloError KNOWLEDGE_INVALID naming the line and the entry at fault.
   */
  static parse(yamlText: string, source = "thesaurus.yaml"): Thesaurus {
    const { LineCounter, parseDocument } = yaml();
    const lineCounter = new LineCounter();
    const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
    const yamlError = doc.errors[0];
    if (yamlError) {
      const line = lineCounter.linePos(yamlError.pos[0]).line;
      throw invalid(source, line, say("search.thesaurus_yaml", { code: yamlError.code }));
    }
    const raw: unknown = doc.toJS() ?? [];
    const parsed = thesaurusFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path ?? [];
      const entry = typeof path[0] === "number" ? path[0] : undefined;
      throw invalid(
        source,
        lineOf(doc.contents, path, lineCounter),
        entry === undefined
          ? describeIssue(issue)
          : say("search.thesaurus_entry", { entry: entry + 1, detail: describeIssue(issue) }),
      );
    }

    const rules: Rule[] = parsed.data.map((entry, index) => {
      const line = lineOf(doc.contents, [index], lineCounter);
      const toForm = (text: string): ThesaurusForm => {
        const terms = analyze(text);
        if (terms.length === 0) {
          throw invalid(
            source,
            line,
            say("search.thesaurus_only_stopwords", { entry: index + 1, text }),
          );
        }
        return { text, terms };
      };
      if (Array.isArray(entry)) {
        const forms = entry.map(toForm);
        return { from: forms, to: forms };
      }
      const from = (Array.isArray(entry.from) ? entry.from : [entry.from]).map(toForm);
      return { from, to: entry.to.map(toForm) };
    });
    return new Thesaurus(rules);
  }

  /** Reads and parses a thesaurus file (knowledge/thesaurus.yaml). */
  static load(path: string): Thesaurus {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (cause) {
      throw new SportelloError("KNOWLEDGE_INVALID", say("search.thesaurus_unreadable", { path }), {
        cause,
      });
    }
    return Thesaurus.parse(text, basename(path));
  }

  /**
   * The alternative forms a question's analysed terms call for. A form matches where its terms
   * occur consecutively in `terms`; each alternative is returned once, and never the form that
   * triggered it.
   */
  expand(terms: readonly string[]): ThesaurusExpansion[] {
    const expansions: ThesaurusExpansion[] = [];
    const seen = new Set<string>();
    for (let start = 0; start < terms.length; start++) {
      const candidates = this.byFirstTerm.get(terms[start] ?? "");
      if (!candidates) continue;
      for (const { form, rule } of candidates) {
        if (!occursAt(terms, form.terms, start)) continue;
        const triggerKey = form.terms.join(" ");
        for (const alternative of rule.to) {
          const key = alternative.terms.join(" ");
          if (key === triggerKey || seen.has(key)) continue;
          seen.add(key);
          expansions.push({ trigger: form, alternative });
        }
      }
    }
    return expansions;
  }
}

function occursAt(terms: readonly string[], phrase: readonly string[], start: number): boolean {
  if (start + phrase.length > terms.length) return false;
  return phrase.every((term, offset) => terms[start + offset] === term);
}

function invalid(source: string, line: number, detail: string): SportelloError {
  const where = line > 0 ? say("search.thesaurus_where_line", { source, line }) : source;
  return new SportelloError(
    "KNOWLEDGE_INVALID",
    say("search.thesaurus_invalid", { where, detail }),
  );
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return say("search.thesaurus_bad_format");
  if (issue.code === "invalid_union") return say("search.thesaurus_bad_entry");
  if (issue.code === "invalid_type" && issue.path.length === 0) {
    return say("search.thesaurus_not_list");
  }
  return issue.message;
}

/** The 1-based line of the YAML node at `path`, walking up to the nearest node that exists. */
function lineOf(root: unknown, path: readonly PropertyKey[], lineCounter: LineCounter): number {
  let node: unknown = root;
  let line = 0;
  const record = (candidate: unknown) => {
    const range = (candidate as Node | null)?.range;
    if (range) line = lineCounter.linePos(range[0]).line;
  };
  record(node);
  const { isMap, isSeq } = yaml();
  for (const key of path) {
    if (isSeq(node) && typeof key === "number") node = node.items[key];
    else if (isMap(node) && typeof key === "string") node = node.get(key, true);
    else break;
    if (node === undefined) break;
    record(node);
  }
  return line;
}
