// The shape of `sportello.config.yaml` (or .json): roles, served chats, approval policy and the
// adapters' settings. Every field is optional; environment variables fill or override them.
import * as z from "zod";

// zod compiles each object schema into a function (new Function) the first time it parses. A
// short command parses each schema once or twice, so interpreting them costs less (a cold
// `sportello ask` 610 -> 580 ms idle); the service parses a few rows per question, microseconds
// either way.
z.config({ jitless: true });

/** A platform user as `channel:id` ("telegram:12345", "slack:U123", "web:alice", "cli:local"). */
export const userKeySchema = z
  .string()
  .regex(
    /^(cli|telegram|slack|web):\S+$/,
    'utente: scrivere "canale:id" (cli, telegram, slack o web), per esempio "telegram:12345"',
  );

const portSchema = z.coerce.number().int().min(1).max(65535);

const channelAccessSchema = z
  .object({
    /**
     * Everyone who writes on this channel (in a served chat or workspace) is an operator.
     * Without it, only the users named under `roles` and the members of `chats` are served.
     */
    open: z.boolean().default(false),
  })
  .strict();

export const configFileSchema = z
  .object({
    /** SQLite file; default `data/sportello.db`. Env: SPORTELLO_DB. */
    db: z.string().min(1).optional(),
    /** Pseudonymisation key. Env: SPORTELLO_SECRET. Generated in `<db folder>/secret` if absent. */
    secret: z.string().min(16, "secret: almeno 16 caratteri").optional(),
    /** Corpus folder (documents, faq/, thesaurus). Env: SPORTELLO_KNOWLEDGE. */
    knowledge: z.string().min(1).optional(),
    /** Who approves a FAQ draft: a coordinator, or a trainer other than its author. */
    approval: z.enum(["coordinator", "second-trainer"]).default("coordinator"),
    roles: z
      .object({
        operators: z.array(userKeySchema).default([]),
        trainers: z.array(userKeySchema).default([]),
        coordinators: z.array(userKeySchema).default([]),
      })
      .strict()
      .prefault({}),
    /** Display names for FAQ authors; otherwise the history shows a pseudonym. */
    names: z.record(userKeySchema, z.string().min(1)).default({}),
    telegram: channelAccessSchema
      .extend({
        /** Chats served: their members are operators. Private chats of named users always are. */
        chats: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
        botToken: z.string().min(1).optional(),
        webhookUrl: z.url().optional(),
        webhookSecret: z.string().min(1).optional(),
        apiRoot: z.url().optional(),
        /** Where the local webhook server listens (behind the HTTPS proxy). */
        webhookHost: z.string().min(1).default("127.0.0.1"),
        webhookPort: portSchema.default(8443),
      })
      .strict()
      .prefault({}),
    slack: channelAccessSchema
      .extend({
        /** Workspaces (team ids) served; any other workspace is refused. Empty: any. */
        workspaces: z.array(z.string().min(1)).default([]),
        /** Channels served: their members are operators. */
        channels: z.array(z.string().min(1)).default([]),
        botToken: z.string().min(1).optional(),
        signingSecret: z.string().min(1).optional(),
        appToken: z.string().min(1).optional(),
        port: portSchema.default(3000),
        apiUrl: z.url().optional(),
      })
      .strict()
      .prefault({}),
    web: channelAccessSchema.prefault({}),
    /** Search engine: lunr, the on-disk engine, or auto (the on-disk engine). Env: SPORTELLO_SEARCH_ENGINE. */
    search: z
      .object({ engine: z.enum(["auto", "lunr", "disk"]).default("auto") })
      .strict()
      .prefault({}),
    console: z
      .object({
        port: portSchema.default(8080),
        host: z.string().min(1).default("127.0.0.1"),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;
export type ConfigFileInput = z.input<typeof configFileSchema>;

export interface SportelloConfig extends Omit<ConfigFile, "db" | "secret" | "knowledge" | "roles"> {
  /** Absolute path of the SQLite file; its folder exists. */
  dbPath: string;
  /** Pseudonymisation and encryption key. */
  secret: string;
  /** Where the secret came from, for the start-up log. */
  secretSource: "env" | "file-config" | "secret-file" | "generated";
  /** Absolute path of the knowledge folder. */
  knowledgeDir: string;
  roles: ConfigFile["roles"];
  /** True when no roles at all are configured: `cli:local` is then operator, trainer, coordinator. */
  rolesUnconfigured: boolean;
  /** The configuration file that was read, if any. */
  file: string | null;
}
