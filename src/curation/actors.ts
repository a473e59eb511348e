// Who is acting on the curation workflow, and whether their role allows it. The acting user is a
// platform id ("telegram:12345", or a bare "maria" for the CLI user cli:maria); roles come from
// the configuration through the same rules as chat access (src/config/access.ts).
import { type Channel, channels } from "../answer/types.js";
import { type AccessConfig, localCliUser, resolveAccess, userKey } from "../config/access.js";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import type { Role } from "../service.js";
import type { Store } from "../store/store.js";

export interface Actor {
  channel: Channel;
  userId: string;
}

export const localActor: Actor = { channel: "cli", userId: localCliUser };

/** "telegram:12345" → that user; "maria" → cli:maria; empty → INPUT_INVALID. */
export function parseActor(text: string | undefined): Actor {
  const value = (text ?? "").trim();
  if (value === "") return localActor;
  const colon = value.indexOf(":");
  if (colon > 0) {
    const channel = value.slice(0, colon);
    const userId = value.slice(colon + 1);
    if ((channels as readonly string[]).includes(channel) && userId !== "") {
      return { channel: channel as Channel, userId };
    }
    throw new SportelloError("INPUT_INVALID", say("curation.bad_actor", { user: value }));
  }
  return { channel: "cli", userId: value };
}

export interface ActorCheck {
  roles(actor: Actor): Role[];
  has(actor: Actor, role: Role): boolean;
  /** FORBIDDEN unless `actor` has `role`; `actionKey` names the action in the message. */
  require(actor: Actor, role: Role, actionKey: string): void;
}

export function createActorCheck(config: AccessConfig): ActorCheck {
  const roles = (actor: Actor): Role[] => {
    // Roles belong to the person: the workspace rule is for chat access, and an actor named on
    // the command line or in the console has no workspace.
    const access = resolveAccess(config, actor, { workspaceKnown: false });
    return access.allowed ? access.roles : [];
  };
  return {
    roles,
    has: (actor, role) => roles(actor).includes(role),
    require(actor, role, actionKey) {
      if (!roles(actor).includes(role)) {
        throw new SportelloError(
          "FORBIDDEN",
          say("curation.forbidden", {
            user: userKey(actor),
            action: say(actionKey),
            role: say(`curation.role_${role}`),
          }),
        );
      }
    },
  };
}

/** How an author is recorded: always a pseudonym, and the configured display name if any. */
export function describeActor(
  store: Store,
  actor: Actor,
  names: Record<string, string>,
): { hash: string; name: string | null } {
  return {
    hash: store.sealer.pseudonym(actor.channel, actor.userId),
    name: names[userKey(actor)] ?? null,
  };
}
