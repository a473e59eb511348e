// Every sentence Sportello says to a person comes from the Italian templates in `prompts/`.
// Each YAML file there is a flat map of keys to templates with `{placeholders}`; the file name is
// the key's namespace (`answer.yaml` → `answer.lead`). Loaded once, validated with zod.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { SportelloError } from "./errors.js";

const templateFileSchema = z.record(z.string(), z.string().min(1));

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

let templates: Map<string, string> | undefined;

function loadTemplates(): Map<string, string> {
  if (templates) return templates;
  const dir = findPromptsDir();
  const map = new Map<string, string>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".yaml")) continue;
    const namespace = file.slice(0, -".yaml".length);
    const parsed = templateFileSchema.safeParse(parse(readFileSync(join(dir, file), "utf8")));
    if (!parsed.success) {
      throw new SportelloError(
        "CONFIG_INVALID",
        `prompts: ${file} must map keys to non-empty strings (${parsed.error.issues[0]?.message})`,
      );
    }
    for (const [key, value] of Object.entries(parsed.data)) {
      map.set(`${namespace}.${key}`, value.trimEnd());
    }
  }
  templates = map;
  return map;
}

export type TemplateVars = Record<string, string | number>;

/** Renders the template `key` ("answer.lead") with `vars`; a missing key or variable is a bug. */
export function say(key: string, vars: TemplateVars = {}): string {
  const template = loadTemplates().get(key);
  if (template === undefined) {
    throw new SportelloError("CONFIG_INVALID", `prompts: no template "${key}" in prompts/`);
  }
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      throw new SportelloError("CONFIG_INVALID", `prompts: "${key}" needs {${name}}`);
    }
    return String(value);
  });
}

/** True when `key` exists, for optional wording. */
export function hasTemplate(key: string): boolean {
  return loadTemplates().has(key);
}
