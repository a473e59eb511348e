// Who may do what in the console. Checked on the server for every page and every action; the
// navigation only hides what the server would refuse anyway.
import type { Role } from "../../../src/service.js";

export const consoleActions = [
  "ask",
  "unanswered.view",
  "unanswered.dismiss",
  "faq.view",
  "faq.edit",
  "faq.approve",
  "faq.publish",
  "faq.retire",
  "stats.view",
  "documents.view",
  "documents.reingest",
  "documents.manage",
  "audit.view",
] as const;
export type ConsoleAction = (typeof consoleActions)[number];

/** Approval policy from the configuration: a coordinator, or a trainer other than the author. */
export type ApprovalPolicy = "coordinator" | "second-trainer";

const curators: Role[] = ["trainer", "coordinator"];

export function rolesFor(action: ConsoleAction, approval: ApprovalPolicy): Role[] {
  switch (action) {
    case "ask":
      return ["operator", "trainer", "coordinator"];
    case "faq.approve":
    case "faq.publish":
      // Under "second-trainer" the curation layer also refuses a trainer approving their own draft.
      return approval === "second-trainer" ? curators : ["coordinator"];
    case "documents.reingest":
    case "audit.view":
      return ["coordinator"];
    default:
      return curators;
  }
}

export function may(
  roles: readonly Role[],
  action: ConsoleAction,
  approval: ApprovalPolicy,
): boolean {
  const allowed = rolesFor(action, approval);
  return roles.some((role) => allowed.includes(role));
}
