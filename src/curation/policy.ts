// Who may do what, and which step a FAQ may take from which state: the one table every way in
// reads. The core enforces it (src/curation/actors.ts, faq-lifecycle.ts); the console, Telegram
// /pendenti, the Slack App Home and the CLI only ask it, to show or hide what the core would
// refuse anyway. Pure data and functions: no store, no configuration file, no platform.
import type { PromptKey } from "../prompts.js";
import type { Role } from "../service.js";
import type { FaqState } from "../vocabulary.js";

/** Everything a person can be allowed or refused, on any channel. */
export const curationActions = [
  "ask",
  "unanswered.view",
  "unanswered.dismiss",
  "unanswered.regroup",
  "faq.view",
  "faq.draft",
  "faq.edit",
  "faq.approve",
  "faq.publish",
  "faq.retire",
  "faq.import",
  "suggestions.review",
  "stats.view",
  "documents.view",
  "documents.manage",
  "documents.reingest",
  "audit.view",
  "log.purge",
] as const;
export type CurationAction = (typeof curationActions)[number];

/** From the configuration's `approval`: a coordinator approves, or a trainer other than the author. */
export const approvalPolicies = ["coordinator", "second-trainer"] as const;
export type ApprovalPolicy = (typeof approvalPolicies)[number];

const everyone: readonly Role[] = ["operator", "trainer", "coordinator"];
const curators: readonly Role[] = ["trainer", "coordinator"];
const coordinators: readonly Role[] = ["coordinator"];

/** The roles allowed each action; a person needs one of them. */
export function rolesFor(action: CurationAction, approval: ApprovalPolicy): readonly Role[] {
  switch (action) {
    case "ask":
      return everyone;
    case "faq.approve":
    case "faq.publish":
      // Under "second-trainer" a trainer may not approve a draft they wrote (secondPairOfEyes).
      return approval === "second-trainer" ? curators : coordinators;
    case "faq.import":
    case "documents.reingest":
    case "audit.view":
    case "log.purge":
      return coordinators;
    default:
      return curators;
  }
}

/** True when someone holding `roles` may do `action`. */
export function may(
  roles: readonly Role[],
  action: CurationAction,
  approval: ApprovalPolicy,
): boolean {
  const allowed = rolesFor(action, approval);
  return roles.some((role) => allowed.includes(role));
}

/**
 * True when approving needs someone other than the draft's writers: under "second-trainer" for
 * anyone who is not a coordinator (a coordinator's approval is always a second pair of eyes).
 */
export function needsSecondPairOfEyes(roles: readonly Role[], approval: ApprovalPolicy): boolean {
  return approval === "second-trainer" && !roles.includes("coordinator");
}

/** The steps of a FAQ's life; each writes a new version in the state `to`. */
export const faqSteps = ["draft", "edit", "approve", "publish", "retire", "phrasing"] as const;
export type FaqStep = (typeof faqSteps)[number];

export interface FaqTransition {
  /** The states the step starts from; empty for a FAQ that does not exist yet. */
  from: readonly FaqState[];
  to: FaqState;
  /** What the person must be allowed to do. */
  action: CurationAction;
  /** The prompt refusing the step from another state ({id}, {state}). */
  wrongState?: PromptKey;
}

/**
 * The FAQ lifecycle. A change to the text always makes a draft that needs a new approval (the
 * published version keeps answering meanwhile); a phrasing accepted from a suggestion is the one
 * change a published FAQ takes without review, since its answer is unchanged.
 */
export const faqTransitions: Readonly<Record<FaqStep, FaqTransition>> = {
  draft: { from: [], to: "bozza", action: "faq.draft" },
  edit: {
    from: ["bozza", "approvata", "pubblicata", "ritirata"],
    to: "bozza",
    action: "faq.edit",
  },
  approve: {
    from: ["bozza"],
    to: "approvata",
    action: "faq.approve",
    wrongState: "curation.approve_needs_draft",
  },
  publish: {
    from: ["approvata"],
    to: "pubblicata",
    action: "faq.publish",
    wrongState: "curation.publish_needs_approval",
  },
  retire: {
    from: ["bozza", "approvata", "pubblicata"],
    to: "ritirata",
    action: "faq.retire",
    wrongState: "curation.already_retired",
  },
  phrasing: {
    from: ["pubblicata"],
    to: "pubblicata",
    action: "suggestions.review",
    wrongState: "curation.suggestion_needs_published",
  },
};

/** True when a FAQ in `state` may take `step`. */
export function canTake(step: FaqStep, state: FaqState): boolean {
  return faqTransitions[step].from.includes(state);
}

/** The steps someone holding `roles` is offered on a FAQ in `state` (buttons, commands). */
export function stepsOffered(
  state: FaqState,
  roles: readonly Role[],
  approval: ApprovalPolicy,
): FaqStep[] {
  return faqSteps.filter(
    (step) => canTake(step, state) && may(roles, faqTransitions[step].action, approval),
  );
}
