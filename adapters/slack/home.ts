// The App Home tab: the unanswered queue and the week's figures for trainers and coordinators,
// a short guide for everybody else. Pure: the adapter gathers the figures, this lays them out.
import type { types } from "@slack/bolt";
import { formatDate, say, type UnansweredGroupSummary } from "../../src/index.js";
import { escapeMrkdwn, type KnownBlock, slackLimits, splitMrkdwn } from "./render.js";

export type HomeView = types.HomeView;

export interface HomeFigures {
  /** Unanswered questions whose group was last seen in the past 7 days. */
  unansweredWeek: number;
  groupsWeek: number;
  openGroups: number;
  faqs: number;
  documents: number;
}

/** Who opened the tab: refused, an operator (the guide), or someone who sees the queue. */
export type HomeAudience = "refused" | "guide" | "queue";

export interface HomeInput {
  audience: HomeAudience;
  groups: UnansweredGroupSummary[];
  figures: HomeFigures;
}

const weekMs = 7 * 24 * 60 * 60 * 1000;

/** The week's figures from what the service exposes: the queue's groups and the published sets. */
export function weekFigures(
  groups: UnansweredGroupSummary[],
  faqs: number,
  documents: number,
  now: Date = new Date(),
): HomeFigures {
  const since = now.getTime() - weekMs;
  const recent = groups.filter((group) => Date.parse(group.lastSeen) >= since);
  return {
    unansweredWeek: recent.reduce((sum, group) => sum + group.count, 0),
    groupsWeek: recent.length,
    openGroups: groups.filter((g) => g.status === "aperta" || g.status === "in_lavorazione").length,
    faqs,
    documents,
  };
}

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

function header(text: string): KnownBlock {
  return { type: "header", text: { type: "plain_text", text: text.slice(0, 150) } };
}

export function renderSlackHome(input: HomeInput): HomeView {
  if (input.audience === "refused") {
    return { type: "home", blocks: [section(say("slack.home_refused"))] };
  }
  const guide = splitMrkdwn(say("slack.home_guide")).map(section);
  if (input.audience === "guide") {
    return { type: "home", blocks: [header(say("slack.home_title")), ...guide] };
  }

  const queue: KnownBlock[] = [
    header(say("slack.home_staff_heading")),
    { type: "context", elements: [{ type: "mrkdwn", text: say("slack.home_staff_intro") }] },
  ];
  if (input.groups.length === 0) queue.push(section(say("slack.home_no_groups")));
  for (const group of input.groups) {
    const lines = [
      say("slack.home_group", {
        label: escapeMrkdwn(group.label),
        count: group.count,
        status: group.uncertain
          ? say("slack.home_status_uncertain", {
              status: group.status.replace(/_/g, " "),
              count: group.uncertain,
            })
          : group.status.replace(/_/g, " "),
        lastSeen: formatDate(group.lastSeen),
      }),
      ...group.examples
        .slice(0, 2)
        .map((example) => say("slack.home_group_example", { example: escapeMrkdwn(example) })),
    ];
    queue.push(...splitMrkdwn(lines.join("\n")).map(section), { type: "divider" });
  }

  const week: KnownBlock[] = [
    header(say("slack.home_week_heading")),
    section(say("slack.home_week_figures", { ...input.figures })),
    { type: "context", elements: [{ type: "mrkdwn", text: say("slack.home_staff_footer") }] },
    { type: "divider" },
  ];

  // The queue is cut at whole groups so the figures and the guide always fit in 100 blocks.
  const room = slackLimits.viewBlocks - week.length - guide.length - 1;
  const blocks = [...week, ...queue.slice(0, room), header(say("slack.home_title")), ...guide];
  return { type: "home", blocks };
}
