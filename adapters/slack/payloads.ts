// zod schemas for the parts of Slack's payloads the adapter reads. Slack sends many more fields;
// loose objects keep them without trusting them.
import * as z from "zod";

/** `app_mention` and `message` events: the fields a question needs. */
export const messageEventSchema = z.looseObject({
  type: z.enum(["app_mention", "message"]),
  subtype: z.string().optional(),
  channel: z.string().min(1),
  channel_type: z.string().optional(),
  user: z.string().min(1).optional(),
  bot_id: z.string().optional(),
  text: z.string().default(""),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
  team: z.string().optional(),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

export const homeOpenedSchema = z.looseObject({
  type: z.literal("app_home_opened"),
  user: z.string().min(1),
  tab: z.string().optional(),
});

const blockSchema = z.looseObject({ type: z.string(), block_id: z.string().optional() });

/** `block_actions` from a message's buttons. */
export const blockActionsSchema = z.looseObject({
  type: z.literal("block_actions"),
  user: z.looseObject({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.looseObject({ id: z.string() }).nullish(),
  channel: z.looseObject({ id: z.string().min(1) }).optional(),
  container: z
    .looseObject({
      is_ephemeral: z.boolean().optional(),
      message_ts: z.string().optional(),
      thread_ts: z.string().optional(),
    })
    .optional(),
  message: z
    .looseObject({
      ts: z.string(),
      text: z.string().optional(),
      thread_ts: z.string().optional(),
      blocks: z.array(blockSchema).optional(),
    })
    .optional(),
  response_url: z.string().optional(),
  trigger_id: z.string().optional(),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })).min(1),
});
export type BlockActions = z.infer<typeof blockActionsSchema>;

export const slashCommandSchema = z.looseObject({
  command: z.string(),
  text: z.string().default(""),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  team_id: z.string().optional(),
});
