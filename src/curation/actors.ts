// Who is acting on the curation workflow, and whether the policy (src/curation/policy.ts) lets
// them. The acting user is a platform id ("telegram:12345", or a bare "maria" for the CLI user
// cli:maria); roles come from the configuration through the same rules as chat access
// (src/config/access.ts).
import { type Channel, channels } from "../answer/types.js";
import { type AccessConfig, localCliUser, resolveAccess, userKey } from "../config/access.js";
import { SportelloError } from "../errors.js";
import { type PromptKey, say } from "../prompts.js";
import type { Role } from "../service.js";
import type { Store } from "../store/store.js";
import { type ApprovalPolicy, type CurationAction, may, rolesFor } from "./policy.js";

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

/** How each action is named in a refusal ("{user} non può {action}"). */
const actionLabels: Record<CurationAction, PromptKey> = {
  ask: "curation.action_ask",
  "unanswered.view": "curation.action_read",
  "unanswered.dismiss": "curation.action_dismiss",
  "unanswered.regroup": "curation.action_regroup",
  "faq.view": "curation.action_read",
  "faq.draft": "curation.action_draft",
  "faq.edit": "curation.action_edit",
  "faq.approve": "curation.action_approve",
  "faq.publish": "curation.action_publish",
  "faq.retire": "curation.action_retire",
  "faq.import": "curation.action_import",
  "suggestions.review": "curation.action_suggestion",
  "stats.view": "curation.action_read",
  "documents.view": "curation.action_read",
  "documents.manage": "curation.action_documents",
  "documents.reingest": "curation.action_reingest",
  "audit.view": "curation.action_audit",
  "log.purge": "curation.action_purge",
};

export interface ActorCheck {
  readonly approval: ApprovalPolicy;
  roles(actor: Actor): Role[];
  /** True when the policy (src/curation/policy.ts) lets `actor` do `action`. */
  may(actor: Actor, action: CurationAction): boolean;
  /**
   * FORBIDDEN unless the policy lets `actor` do `action`; `labelKey` names the action more
   * precisely in the message than the policy's own label ("togliere documenti").
   */
  authorize(actor: Actor, action: CurationAction, labelKey?: PromptKey): void;
}

export function createActorCheck(
  config: AccessConfig & { approval?: ApprovalPolicy | undefined },
): ActorCheck {
  const approval = config.approval ?? "coordinator";
  const roles = (actor: Actor): Role[] => {
    // Roles belong to the person: the workspace rule is for chat access, and an actor named on
    // the command line or in the console has no workspace.
    const access = resolveAccess(config, actor, { workspaceKnown: false });
    return access.allowed ? access.roles : [];
  };
  return {
    approval,
    roles,
    may: (actor, action) => may(roles(actor), action, approval),
    authorize(actor, action, labelKey) {
      if (may(roles(actor), action, approval)) return;
      const least = rolesFor(action, approval)[0] ?? "coordinator";
      throw new SportelloError(
        "FORBIDDEN",
        say("curation.forbidden", {
          user: userKey(actor),
          action: say(labelKey ?? actionLabels[action]),
          role: say(`curation.role_${least}`),
        }),
      );
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
