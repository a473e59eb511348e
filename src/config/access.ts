// Who may use Sportello, and as what. Rules, in order:
// 1. A Slack message from a workspace not listed under `slack.workspaces` (when the list is not
//    empty) is refused, whoever sends it.
// 2. Users named under `roles` have those roles wherever they write (private chats included).
//    Roles nest: a coordinator is also a trainer and an operator; a trainer is also an operator.
// 3. The local CLI user `cli:local` has all three roles unless the configuration names `cli:local`
//    itself under `roles` (then it has exactly those): whoever runs the CLI already holds the
//    database file, and `--as USER` records who acts.
// 4. Anyone else is an operator when their channel is `open: true`, or when they write in a served
//    Telegram chat (`telegram.chats`) or Slack channel (`slack.channels`); otherwise refused.
import type { Access, Identity, Role } from "../service.js";
import type { SportelloConfig } from "./schema.js";

export type AccessConfig = Pick<SportelloConfig, "roles" | "telegram" | "slack" | "web">;

export const localCliUser = "local";

const nested: Record<Role, Role[]> = {
  operator: ["operator"],
  trainer: ["operator", "trainer"],
  coordinator: ["operator", "trainer", "coordinator"],
};

export function userKey(identity: Pick<Identity, "channel" | "userId">): string {
  return `${identity.channel}:${identity.userId}`;
}

function namedRoles(config: AccessConfig, key: string): Set<Role> {
  const found = new Set<Role>();
  const add = (role: Role) => {
    for (const r of nested[role]) found.add(r);
  };
  if (config.roles.operators.includes(key)) add("operator");
  if (config.roles.trainers.includes(key)) add("trainer");
  if (config.roles.coordinators.includes(key)) add("coordinator");
  return found;
}

function configNamesLocalUser(config: AccessConfig): boolean {
  const { operators, trainers, coordinators } = config.roles;
  const local = `cli:${localCliUser}`;
  return [...operators, ...trainers, ...coordinators].includes(local);
}

function inServedPlace(config: AccessConfig, identity: Identity): boolean {
  switch (identity.channel) {
    case "telegram":
      return (
        config.telegram.open ||
        (identity.chatId !== undefined && config.telegram.chats.includes(identity.chatId))
      );
    case "slack":
      return (
        config.slack.open ||
        (identity.chatId !== undefined && config.slack.channels.includes(identity.chatId))
      );
    case "web":
      return config.web.open;
    case "cli":
      return false;
  }
}

/**
 * Decides access for one identity; pure, so adapters and tests can call it freely.
 * `workspaceKnown: false` skips rule 1 for callers that cannot know the workspace (ask() gets a
 * Question, which has none; the Slack adapter has checked access() with it before asking).
 */
export function resolveAccess(
  config: AccessConfig,
  identity: Identity,
  options: { workspaceKnown?: boolean } = {},
): Access {
  if (identity.userId.trim() === "") return { allowed: false };
  const checkWorkspace = options.workspaceKnown ?? true;
  if (identity.channel === "slack" && checkWorkspace && config.slack.workspaces.length > 0) {
    if (!identity.workspaceId || !config.slack.workspaces.includes(identity.workspaceId)) {
      return { allowed: false };
    }
  }
  const roles = namedRoles(config, userKey(identity));
  if (
    identity.channel === "cli" &&
    identity.userId === localCliUser &&
    !configNamesLocalUser(config)
  ) {
    for (const r of nested.coordinator) roles.add(r);
  }
  if (roles.size === 0 && inServedPlace(config, identity)) roles.add("operator");
  if (roles.size === 0) return { allowed: false };
  return {
    allowed: true,
    roles: (["operator", "trainer", "coordinator"] as const).filter((r) => roles.has(r)),
  };
}

export function hasRole(access: Access, role: Role): boolean {
  return access.allowed && access.roles.includes(role);
}
