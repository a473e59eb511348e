// The console's Italian wording: every string comes from prompts/web.yaml.
import { hasTemplate, type PromptKey, say, type TemplateVars } from "../../src/index.js";

/** A key of prompts/web.yaml without its namespace ("faq.saved"). */
export type WebKey = PromptKey extends infer K
  ? K extends `web.${infer Rest}`
    ? Rest
    : never
  : never;

export function t(key: WebKey, vars?: TemplateVars): string {
  return say(`web.${key}`, vars);
}

/** The wording of `key` when prompts/web.yaml has it, else `fallback` (a code shown as is). */
export function tOr(key: string, fallback: string): string {
  const full = `web.${key}`;
  return hasTemplate(full) ? say(full) : fallback;
}
