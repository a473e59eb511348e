// Loads the configuration: the file (YAML or JSON), then environment variables over it, then
// explicit overrides (command-line flags), validated once with zod. Adapters read their settings
// from the result and never from process.env.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, extname, isAbsolute, join, resolve } from "node:path";
import type * as z from "zod";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import { yaml } from "../yaml.js";
import { type ConfigFileInput, configFileSchema, type SportelloConfig } from "./schema.js";

/** Environment variable → where it goes in the configuration. */
const envPaths: Record<string, readonly string[]> = {
  SPORTELLO_DB: ["db"],
  SPORTELLO_SECRET: ["secret"],
  SPORTELLO_KNOWLEDGE: ["knowledge"],
  TELEGRAM_BOT_TOKEN: ["telegram", "botToken"],
  TELEGRAM_WEBHOOK_URL: ["telegram", "webhookUrl"],
  TELEGRAM_WEBHOOK_SECRET: ["telegram", "webhookSecret"],
  TELEGRAM_API_ROOT: ["telegram", "apiRoot"],
  TELEGRAM_WEBHOOK_HOST: ["telegram", "webhookHost"],
  TELEGRAM_WEBHOOK_PORT: ["telegram", "webhookPort"],
  SLACK_BOT_TOKEN: ["slack", "botToken"],
  SLACK_SIGNING_SECRET: ["slack", "signingSecret"],
  SLACK_APP_TOKEN: ["slack", "appToken"],
  SLACK_PORT: ["slack", "port"],
  SLACK_API_URL: ["slack", "apiUrl"],
  CONSOLE_PORT: ["console", "port"],
  CONSOLE_HOST: ["console", "host"],
  SPORTELLO_SEARCH_ENGINE: ["search", "engine"],
};

export const configEnvVariables = Object.keys(envPaths);

export const defaultConfigFile = "sportello.config.yaml";
export const defaultDbPath = "data/sportello.db";
export const defaultKnowledgeDir = "knowledge";

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  /** Configuration file (from `--config`); otherwise SPORTELLO_CONFIG, then ./sportello.config.yaml if present. */
  file?: string;
  /** Values that win over file and environment (command-line flags such as `--db`). */
  overrides?: ConfigFileInput;
  /** Folder that relative paths from the environment and overrides are resolved against. */
  cwd?: string;
  /** Where notices go (the generated secret); default stderr. */
  log?: (line: string) => void;
}

type RawObject = Record<string, unknown>;

function isObject(value: unknown): value is RawObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readConfigFile(path: string): RawObject {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new SportelloError("CONFIG_INVALID", say("config.file_unreadable", { path }), { cause });
  }
  let data: unknown;
  try {
    data =
      text.trim() === ""
        ? null
        : extname(path).toLowerCase() === ".json"
          ? JSON.parse(text)
          : yaml().parse(text);
  } catch (cause) {
    const detail = cause instanceof Error ? (cause.message.split("\n")[0] ?? "") : String(cause);
    throw new SportelloError("CONFIG_INVALID", say("config.file_unparsable", { path, detail }), {
      cause,
    });
  }
  // An empty or comment-only file is a configuration someone meant to write: running on the
  // defaults instead (another database, a local sign-in link with every role) would be a surprise.
  if (data === null || data === undefined || text.trim() === "") {
    throw new SportelloError("CONFIG_INVALID", say("config.file_empty", { path }));
  }
  if (!isObject(data)) {
    throw new SportelloError("CONFIG_INVALID", say("config.file_not_object", { path }));
  }
  return data;
}

function setPath(target: RawObject, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!isObject(next)) node[key] = {};
    node = node[key] as RawObject;
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

function mergeDeep(target: RawObject, source: RawObject): RawObject {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const current = target[key];
    target[key] = isObject(value) && isObject(current) ? mergeDeep({ ...current }, value) : value;
  }
  return target;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  fromEnv: Map<string, string>,
  env: Record<string, string | undefined>,
  file: string | null,
): string {
  const path = issue.path.map(String).join(".");
  const envName = fromEnv.get(path);
  if (envName) {
    const shown = envName.endsWith("_PORT")
      ? say("config.env_port", { name: envName })
      : `${envName}: ${issue.message}`;
    // Never echo a secret or a token back into a log.
    if (/SECRET|TOKEN/.test(envName)) return shown;
    return say("config.env_value", { issue: shown, value: env[envName] ?? "" });
  }
  return `${file ?? say("config.issue_source")}: ${path || say("config.issue_root")}: ${issue.message}`;
}

/** Reads, merges and validates the configuration; creates the database folder and the secret. */
export function loadConfig(options: LoadConfigOptions = {}): SportelloConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const explicitFile = options.file ?? env.SPORTELLO_CONFIG;
  let file: string | null = null;
  if (explicitFile) file = resolve(cwd, explicitFile);
  else if (existsSync(join(cwd, defaultConfigFile))) file = join(cwd, defaultConfigFile);
  const fileDir = file ? dirname(file) : cwd;

  const raw: RawObject = file ? readConfigFile(file) : {};
  // Paths written in the file are relative to the file; those from env and flags to cwd.
  for (const key of ["db", "knowledge"] as const) {
    const value = raw[key];
    if (typeof value === "string" && !isAbsolute(value)) raw[key] = resolve(fileDir, value);
  }
  const fileHadSecret = typeof raw.secret === "string";

  const fromEnv = new Map<string, string>();
  for (const [name, path] of Object.entries(envPaths)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    setPath(raw, path, value);
    fromEnv.set(path.join("."), name);
  }
  if (options.overrides) mergeDeep(raw, options.overrides as RawObject);

  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => describeIssue(issue, fromEnv, env, file));
    throw new SportelloError(
      "CONFIG_INVALID",
      say("config.invalid", { problems: lines.join("; ") }),
    );
  }
  const data = parsed.data;

  const dbPath = resolve(cwd, data.db ?? defaultDbPath);
  try {
    mkdirSync(dirname(dbPath), { recursive: true });
  } catch (cause) {
    throw new SportelloError(
      "CONFIG_INVALID",
      say("config.db_folder_failed", { dir: dirname(dbPath) }),
      { cause },
    );
  }

  let secret = data.secret;
  let secretSource: SportelloConfig["secretSource"];
  if (env.SPORTELLO_SECRET) secretSource = "env";
  else if (fileHadSecret) secretSource = "file-config";
  else secretSource = "secret-file";
  if (secret === undefined) {
    const secretFile = join(dirname(dbPath), "secret");
    const loaded = readOrCreateSecret(secretFile);
    secret = loaded.secret;
    if (loaded.created) {
      secretSource = "generated";
      log(say("config.secret_generated", { path: secretFile }));
    }
  }

  const roles = data.roles;
  const rolesUnconfigured =
    roles.operators.length + roles.trainers.length + roles.coordinators.length === 0;

  return {
    approval: data.approval,
    names: data.names,
    telegram: data.telegram,
    slack: data.slack,
    web: data.web,
    console: data.console,
    search: data.search,
    dbPath,
    secret,
    secretSource,
    knowledgeDir: resolve(cwd, data.knowledge ?? defaultKnowledgeDir),
    roles,
    rolesUnconfigured,
    file,
  };
}

function readOrCreateSecret(path: string): { secret: string; created: boolean } {
  if (!existsSync(path)) {
    try {
      // "wx": two processes starting together cannot both write a different key.
      writeFileSync(path, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
      return { secret: readSecret(path), created: true };
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new SportelloError("CONFIG_INVALID", say("config.secret_create_failed", { path }), {
          cause,
        });
      }
    }
  }
  return { secret: readSecret(path), created: false };
}

function readSecret(path: string): string {
  const secret = readFileSync(path, "utf8").trim();
  if (secret.length < 16) {
    throw new SportelloError("CONFIG_INVALID", say("config.secret_too_short", { path }));
  }
  return secret;
}
