// The one preamble of every listener: who is writing or clicking, read once from the payload by
// a global Bolt middleware and put on the listener's `context`.
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Identity, Sportello } from "../../src/index.js";

export interface SlackPerson {
  identity: Identity;
  /** The access rules' answer for this person (workspace and, for a click, channel included). */
  allowed(): boolean;
}

type Loose = Record<string, unknown> | undefined;

function field(object: Loose, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function asObject(value: unknown): Loose {
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The identity behind a payload: an event's author, a slash command's or a button's user, with
 * their workspace. A click also carries its channel, as access rules may name served channels;
 * an event's channel is left to the question (`conversationId`), so that App Home's own channel
 * grants nothing.
 */
export function identityOf(body: unknown): Identity | undefined {
  const payload = asObject(body);
  if (!payload) return undefined;
  let userId: string | undefined;
  let workspaceId: string | undefined;
  let chatId: string | undefined;
  if (payload.type === "block_actions") {
    const user = asObject(payload.user);
    userId = field(user, "id");
    workspaceId = field(asObject(payload.team), "id") ?? field(user, "team_id");
    chatId = field(asObject(payload.channel), "id");
  } else if (payload.type === "event_callback") {
    const event = asObject(payload.event);
    userId = field(event, "user");
    workspaceId = field(event, "team") ?? field(payload, "team_id");
  } else if (typeof payload.command === "string") {
    userId = field(payload, "user_id");
    workspaceId = field(payload, "team_id");
  }
  if (!userId) return undefined;
  return {
    channel: "slack",
    userId,
    ...(chatId ? { chatId } : {}),
    ...(workspaceId ? { workspaceId } : {}),
  };
}

/** Global middleware: `context.person` for every payload that has a person behind it. */
export function personMiddleware(sportello: Sportello): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const identity = identityOf(body);
    if (identity) {
      const person: SlackPerson = { identity, allowed: () => sportello.access(identity).allowed };
      context.person = person;
    }
    await next();
  };
}

/** The person the middleware found, typed; undefined for payloads without one. */
export function personOf(context: Record<string, unknown>): SlackPerson | undefined {
  return context.person as SlackPerson | undefined;
}
