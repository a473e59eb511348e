// The console's Italian wording: every string comes from prompts/web.yaml.
import { say, type TemplateVars } from "../../src/prompts.js";

export function t(key: string, vars?: TemplateVars): string {
  return say(`web.${key}`, vars);
}
