// The curation commands of the `sportello` CLI: the unanswered queue, the FAQ lifecycle, stats,
// retention and the audit trail. Each command opens the store through `deps.open()`, acts as `--as USER`
// (default the local user cli:local) and closes it; faults are thrown for main.ts to print.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import {
  type Actor,
  type Channel,
  type Curation,
  type CurationAction,
  channels,
  type Faq,
  type FaqInput,
  type FaqRecord,
  faqStates,
  formatPercent,
  groupStatuses,
  parseActor,
  parseFaq,
  type QueueCategory,
  queueCategories,
  SportelloError,
  say,
  writeFileAtomically,
} from "../../src/index.js";

export interface CurationCommandDeps {
  /** Opens the curation API for one command; `close` is called when the command ends. */
  open(): Promise<CurationSession> | CurationSession;
  /** Where results go; default stdout. Errors are thrown, not written. */
  write?: (text: string) => void;
  /** The knowledge folder (config.knowledgeDir): `faq export` writes to its faq/ by default. */
  knowledgeDir?: string;
}

export interface CurationSession {
  curation: Curation;
  close(): void | Promise<void>;
}

interface ActorOption {
  as?: string;
}

const asOption = () =>
  new Option("--as <user>", "acting user: canale:id (telegram:123) or a CLI user name").default(
    "local",
  );

function parseId(text: string, what: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new SportelloError("INPUT_INVALID", say("curation.bad_number", { value: text, what }));
  }
  return value;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** "documento#sezione#pagina" → a FAQ source. */
function parseSource(text: string): Faq["sources"][number] {
  const [document, section, page] = text.split("#").map((part) => part.trim());
  if (!document)
    throw new SportelloError("INPUT_INVALID", say("curation.cli_bad_source", { value: text }));
  const source: Faq["sources"][number] = { document };
  if (section) source.section = section;
  if (page) source.page = parseId(page, "--source (pagina)");
  return source;
}

function faqLine(faq: FaqRecord): string {
  const published = faq.publishedVersion === null ? "" : ` (risponde v${faq.publishedVersion})`;
  return `${faq.id}  [${faq.status} v${faq.version}${published}]  ${faq.question}`;
}

export function registerCurationCommands(program: Command, deps: CurationCommandDeps): void {
  const out = (text: string) => (deps.write ?? ((t: string) => process.stdout.write(t)))(text);
  const line = (text: string) => out(`${text}\n`);
  const json = (value: unknown) => line(JSON.stringify(value));

  /** Runs `fn` with an open session and the acting user, closing the store whatever happens. */
  const run =
    <A extends unknown[]>(
      fn: (curation: Curation, actor: Actor, ...args: A) => void | Promise<void>,
      readAction: CurationAction | null = null,
    ) =>
    async (...args: A) => {
      // commander passes (…arguments, options, command): the options object is second to last.
      const options = args[args.length - 2] as ActorOption;
      const actor = parseActor(options.as);
      const session = await deps.open();
      try {
        if (readAction) session.curation.authorize(actor, readAction);
        await fn(session.curation, actor, ...args);
      } finally {
        await session.close();
      }
    };

  // ——— unanswered ———
  const unanswered = program
    .command("unanswered")
    .description("the queue of unanswered questions and of answers to verify");

  unanswered
    .command("list")
    .description("list groups of unanswered questions, largest first")
    .addOption(new Option("--status <status>", "group status").choices([...groupStatuses]))
    .option("--region <region>", "groups with questions about this region")
    .addOption(
      new Option("--channel <channel>", "groups with questions from this channel").choices([
        ...channels,
      ]),
    )
    .addOption(
      new Option(
        "--category <category>",
        "unanswered questions, or answers given with uncertainty (da verificare)",
      ).choices([...queueCategories]),
    )
    .option("--since <date>", "last seen on or after DATE (YYYY-MM-DD)")
    .option("--until <date>", "first seen on or before DATE (YYYY-MM-DD)")
    .addOption(new Option("--sort <order>", "order").choices(["count", "recent"]).default("count"))
    .option("--limit <n>", "at most N groups", "50")
    .option("--json", "one JSON object per line")
    .addOption(asOption())
    .action(
      run(
        (
          curation,
          _actor,
          options: {
            status?: (typeof groupStatuses)[number];
            region?: string;
            channel?: Channel;
            category?: QueueCategory;
            since?: string;
            until?: string;
            sort: "count" | "recent";
            limit: string;
            json?: boolean;
          },
        ) => {
          const { total, groups } = curation.listUnanswered({
            status: options.status,
            region: options.region,
            channel: options.channel,
            category: options.category,
            since: options.since,
            until: options.until,
            sort: options.sort,
            limit: parseId(options.limit, "--limit"),
          });
          if (options.json) return groups.forEach(json);
          if (groups.length === 0) return line(say("curation.cli_no_groups"));
          for (const g of groups) {
            const tag =
              g.uncertain > 0
                ? `  ${say("curation.cli_uncertain_tag", { count: g.uncertain })}`
                : "";
            line(
              `#${g.id}  [${g.status}]  ${g.count}×  ${g.lastSeen.slice(0, 10)}  ${g.label}${tag}`,
            );
          }
          if (total > groups.length)
            line(say("curation.cli_more", { shown: groups.length, total }));
        },
        "unanswered.view",
      ),
    );

  unanswered
    .command("show")
    .description("show one group with its phrasings")
    .argument("<id>", "group number")
    .option("--json", "one JSON object")
    .addOption(asOption())
    .action(
      run((curation, _actor, id: string, options: { json?: boolean }) => {
        const group = curation.unansweredGroup(parseId(id, "il gruppo"));
        if (!group) throw new SportelloError("NOT_FOUND", say("curation.group_not_found", { id }));
        if (options.json) return json(group);
        line(`#${group.id}  [${group.status}]  ${group.count}×  ${group.label}`);
        line(say("curation.cli_group_seen", { first: group.firstSeen, last: group.lastSeen }));
        line(
          say("curation.cli_group_where", {
            channels: group.channels.join(", ") || "–",
            regions: group.regions.join(", ") || "–",
          }),
        );
        if (group.faqId) line(say("curation.cli_group_faq", { id: group.faqId }));
        if (group.dismissReason)
          line(say("curation.cli_group_dismissed", { reason: group.dismissReason }));
        for (const p of group.phrasings) {
          const tag =
            p.kind === "uncertain" ? `  ${say("curation.cli_uncertain_tag", { count: 1 })}` : "";
          line(`  [${p.item}]  ${p.askedAt.slice(0, 16)}  ${p.channel}  ${p.text}${tag}`);
          const given = p.given;
          if (!given) continue;
          const confidence = given.confidence === null ? "–" : given.confidence.toFixed(2);
          line(
            `        ${
              given.faq
                ? say("curation.cli_given_faq", {
                    question: given.faq.question,
                    id: given.faq.id,
                    confidence,
                  })
                : say("curation.cli_given_documents", { answer: given.answer ?? "", confidence })
            }`,
          );
          if (!given.faq && given.answerSource) {
            line(`        ${say("curation.cli_given_source", { source: given.answerSource })}`);
          }
          if (given.alternatives.length > 0) {
            const listed = given.alternatives.map((faq) =>
              say("curation.cli_given_alternative", { question: faq.question, id: faq.id }),
            );
            line(`        ${say("curation.cli_given_alternatives", { faqs: listed.join("; ") })}`);
          }
          if (given.helpful) line(`        ${say("curation.cli_given_helpful")}`);
        }
      }, "unanswered.view"),
    );

  const ids = (text: string, what: string) =>
    text
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => parseId(part, what));

  unanswered
    .command("split")
    .description("move some questions of a group (numbers from `unanswered show`) to a new group")
    .argument("<group>", "group number")
    .argument("<questions>", "question numbers, comma-separated")
    .addOption(asOption())
    .action(
      run((curation, actor, group: string, questions: string) => {
        const created = curation.splitGroup(
          parseId(group, "il gruppo"),
          ids(questions, "la domanda"),
          actor,
        );
        line(say("curation.cli_split", { id: group, created }));
      }),
    );

  unanswered
    .command("merge")
    .description("move every question of the other groups into the first one")
    .argument("<target>", "group that stays")
    .argument("<others...>", "groups merged into it")
    .addOption(asOption())
    .action(
      run((curation, actor, target: string, others: string[]) => {
        const merged = curation.mergeGroups(
          parseId(target, "il gruppo"),
          others.map((o) => parseId(o, "il gruppo")),
          actor,
        );
        line(say("curation.cli_merged", { id: merged.id, count: merged.count }));
      }),
    );

  unanswered
    .command("move")
    .description("move one question (number from `unanswered show`) to another group")
    .argument("<question>", "question number")
    .argument("<group>", "target group number")
    .addOption(asOption())
    .action(
      run((curation, actor, question: string, group: string) => {
        curation.moveQuestion(parseId(question, "la domanda"), parseId(group, "il gruppo"), actor);
        line(say("curation.cli_moved", { question, id: group }));
      }),
    );

  unanswered
    .command("dismiss")
    .description("dismiss a group (it stays dismissed when the question comes again)")
    .argument("<id>", "group number")
    .requiredOption("--reason <text>", "why it is dismissed")
    .addOption(asOption())
    .action(
      run((curation, actor, id: string, options: { reason: string }) => {
        const group = curation.dismissGroup(parseId(id, "il gruppo"), options.reason, actor);
        line(say("curation.cli_dismissed", { id: group.id }));
      }),
    );

  unanswered
    .command("confirm")
    .description(
      "confirm a group's answers to verify: each question becomes a phrasing of the FAQ offered",
    )
    .argument("<group>", "group number")
    .option("--questions <numbers>", "only these questions (numbers from `unanswered show`)")
    .option("--faq <id>", "confirm with this published FAQ instead of the one offered")
    .addOption(asOption())
    .action(
      run((curation, actor, group: string, options: { questions?: string; faq?: string }) => {
        const result = curation.confirmUncertain(parseId(group, "il gruppo"), actor, {
          ...(options.questions ? { items: ids(options.questions, "la domanda") } : {}),
          ...(options.faq ? { faqId: options.faq } : {}),
        });
        line(
          say("curation.cli_confirmed", {
            questions: result.questions,
            faqs: result.faqs.map((f) => `«${f.id}» (v${f.version})`).join(", "),
          }),
        );
      }),
    );

  unanswered
    .command("export")
    .description("export the groups as CSV")
    .requiredOption("--csv", "CSV (RFC 4180)")
    .addOption(new Option("--status <status>", "only this status").choices([...groupStatuses]))
    .addOption(
      new Option("--category <category>", "only unanswered questions or answers to verify").choices(
        [...queueCategories],
      ),
    )
    .option("--output <file>", "write to FILE instead of stdout")
    .addOption(asOption())
    .action(
      run(
        (
          curation,
          _actor,
          options: {
            status?: (typeof groupStatuses)[number];
            category?: QueueCategory;
            output?: string;
          },
        ) => {
          const csv = curation.unansweredCsv({
            status: options.status,
            category: options.category,
          });
          if (options.output) writeFileAtomically(options.output, csv);
          else out(csv);
        },
        "unanswered.view",
      ),
    );

  // ——— faq ———
  const faq = program.command("faq").description("curated FAQ: drafts, approval, publication");

  faq
    .command("list")
    .description("list FAQ with their state")
    .addOption(new Option("--status <state>", "only this state").choices([...faqStates]))
    .option("--search <text>", "FAQ containing TEXT")
    .option("--json", "one JSON object per line")
    .addOption(asOption())
    .action(
      run(
        (
          curation,
          _actor,
          options: { status?: (typeof faqStates)[number]; search?: string; json?: boolean },
        ) => {
          const list = curation.listFaqs({ status: options.status, search: options.search });
          if (options.json) return list.forEach(json);
          if (list.length === 0) return line(say("curation.cli_no_faq"));
          for (const f of list) line(faqLine(f));
        },
        "faq.view",
      ),
    );

  faq
    .command("show")
    .description("show a FAQ (latest version, or --version N)")
    .argument("<id>", "FAQ id")
    .option("--version <n>", "this version")
    .option("--json", "one JSON object")
    .addOption(asOption())
    .action(
      run((curation, _actor, id: string, options: { version?: string; json?: boolean }) => {
        if (options.version !== undefined) {
          const n = parseId(options.version, "--version");
          if (!curation.faq(id))
            throw new SportelloError("NOT_FOUND", say("curation.faq_not_found", { id }));
          const v = curation.faqVersion(id, n);
          if (!v)
            throw new SportelloError(
              "NOT_FOUND",
              say("curation.cli_no_version", { id, version: n }),
            );
          if (options.json) return json(v);
          line(`${id} v${v.version} [${v.action}] ${v.at} ${v.author}`);
          line(`D: ${v.faq.question}`);
          line(`R: ${v.faq.answer}`);
          return;
        }
        const record = curation.faq(id);
        if (!record) throw new SportelloError("NOT_FOUND", say("curation.faq_not_found", { id }));
        if (options.json) return json(record);
        line(faqLine(record));
        for (const alt of record.alternatives) line(`  ~ ${alt}`);
        line("");
        line(record.answer || say("curation.cli_no_answer"));
        line("");
        for (const s of record.sources)
          line(
            `  [${s.document}${s.section ? ` › ${s.section}` : ""}${s.page ? ` p. ${s.page}` : ""}]`,
          );
        line(
          say("curation.cli_faq_meta", {
            region: record.region ?? "–",
            tags: record.tags.join(", ") || "–",
            reviewed: record.reviewed || "–",
            author: record.updatedBy,
          }),
        );
      }, "faq.view"),
    );

  const contentOptions = (cmd: Command) =>
    cmd
      .option("--question <text>", "the question")
      .option("--answer <text>", "the answer")
      .option("--answer-file <file>", "read the answer from FILE")
      .option(
        "--alternative <text>",
        "an alternative phrasing (repeatable; replaces the list)",
        collect,
      )
      .option("--tag <tag>", "a tag (repeatable; replaces the list)", collect)
      .option("--region <region>", "region the answer is valid for ('' for national)")
      .option("--source <doc#section#page>", "a source (repeatable; replaces the list)", collect)
      .option("--file <file>", "take the fields from a FAQ file (.md with front matter)");

  interface ContentOptions {
    question?: string;
    answer?: string;
    answerFile?: string;
    alternative?: string[];
    tag?: string[];
    region?: string;
    source?: string[];
    file?: string;
    reason?: string;
  }

  const readText = (file: string): string => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      throw new SportelloError("NOT_FOUND", say("curation.import_missing", { path: file }));
    }
  };

  const contentFrom = (options: ContentOptions): FaqInput => {
    const input: FaqInput = {};
    if (options.file) {
      const fromFile = parseFaq(readText(options.file), options.file);
      Object.assign(input, fromFile);
    }
    if (options.question !== undefined) input.question = options.question;
    if (options.answer !== undefined) input.answer = options.answer;
    if (options.answerFile) input.answer = readText(options.answerFile);
    if (options.alternative) input.alternatives = options.alternative;
    if (options.tag) input.tags = options.tag;
    if (options.region !== undefined) input.region = options.region.trim() || null;
    if (options.source) input.sources = options.source.map(parseSource);
    return input;
  };

  contentOptions(
    faq
      .command("draft")
      .description("write a new FAQ draft, from an unanswered group or from scratch")
      .option("--from-group <n>", "prefill from this group (its phrasings become alternatives)")
      .option("--id <id>", "FAQ id (default: from the question)"),
  )
    .option("--reason <text>", "note for the history")
    .addOption(asOption())
    .action(
      run((curation, actor, options: ContentOptions & { fromGroup?: string; id?: string }) => {
        const input = contentFrom(options);
        if (options.id !== undefined) input.id = options.id;
        const groupId =
          options.fromGroup !== undefined ? parseId(options.fromGroup, "--from-group") : undefined;
        const record = curation.draftFaq({ ...input, groupId, reason: options.reason }, actor);
        line(say("curation.cli_drafted", { id: record.id, version: record.version }));
      }),
    );

  contentOptions(
    faq
      .command("edit")
      .description("change a FAQ: a new draft version (publication needs a new approval)")
      .argument("<id>", "FAQ id")
      .option("--add-alternative <text>", "add a phrasing (repeatable)", collect)
      .option("--remove-alternative <text>", "remove a phrasing (repeatable)", collect),
  )
    .requiredOption("--reason <text>", "what changed and why")
    .addOption(asOption())
    .action(
      run(
        (
          curation,
          actor,
          id: string,
          options: ContentOptions & { addAlternative?: string[]; removeAlternative?: string[] },
        ) => {
          const current = curation.faq(id);
          if (!current)
            throw new SportelloError("NOT_FOUND", say("curation.faq_not_found", { id }));
          const input = contentFrom(options);
          if (input.id !== undefined && input.id !== id) {
            throw new SportelloError(
              "INPUT_INVALID",
              say("curation.cli_file_other_id", { id, other: input.id }),
            );
          }
          delete input.id;
          if (options.addAlternative || options.removeAlternative) {
            const remove = new Set(options.removeAlternative ?? []);
            input.alternatives = [
              ...(input.alternatives ?? current.alternatives),
              ...(options.addAlternative ?? []),
            ].filter((a) => !remove.has(a));
          }
          const record = curation.editFaq(id, input, options.reason, actor);
          line(say("curation.cli_edited", { id: record.id, version: record.version }));
        },
      ),
    );

  faq
    .command("approve")
    .description("approve the draft (coordinator, or a second trainer when configured)")
    .argument("<id>", "FAQ id")
    .option("--reason <text>", "note for the history")
    .addOption(asOption())
    .action(
      run((curation, actor, id: string, options: { reason?: string }) => {
        const record = curation.approveFaq(id, actor, options.reason);
        line(say("curation.cli_approved", { id: record.id, version: record.version }));
      }),
    );

  faq
    .command("publish")
    .description("publish the approved FAQ: it answers at once")
    .argument("<id>", "FAQ id")
    .option("--reason <text>", "note for the history")
    .option(
      "--questions <list>",
      "queued questions it resolves (numbers, comma-separated; default: those it answers; '' none)",
    )
    .addOption(asOption())
    .action(
      run((curation, actor, id: string, options: { reason?: string; questions?: string }) => {
        const confirmed =
          options.questions === undefined ? undefined : ids(options.questions, "la domanda");
        const record = curation.publishFaq(id, actor, options.reason, confirmed);
        line(say("curation.cli_published", { id: record.id, version: record.version }));
      }),
    );

  faq
    .command("suggestions")
    .description("phrasings suggested by operators' questions, waiting for a trainer")
    .option("--faq <id>", "only for this FAQ")
    .option("--json", "one JSON object per line")
    .addOption(asOption())
    .action(
      run((curation, _actor, options: { faq?: string; json?: boolean }) => {
        const list = curation.suggestions(options.faq);
        if (options.json) {
          for (const s of list) json(s);
          return;
        }
        if (list.length === 0) return line(say("curation.cli_suggestions_empty"));
        for (const s of list) line(`[${s.id}]  ${s.faqId}  (${s.origin})  ${s.text}`);
      }, "faq.view"),
    );

  faq
    .command("accept")
    .description("accept a suggested phrasing: it joins the FAQ and answers at once")
    .argument("<n>", "suggestion number")
    .addOption(asOption())
    .action(
      run((curation, actor, n: string) => {
        const record = curation.acceptSuggestion(parseId(n, "il suggerimento"), actor);
        line(say("curation.cli_suggestion_accepted", { id: record.id, version: record.version }));
      }),
    );

  faq
    .command("reject")
    .description("reject a suggested phrasing (it is not suggested again)")
    .argument("<n>", "suggestion number")
    .addOption(asOption())
    .action(
      run((curation, actor, n: string) => {
        curation.rejectSuggestion(parseId(n, "il suggerimento"), actor);
        line(say("curation.cli_suggestion_rejected", { id: n }));
      }),
    );

  faq
    .command("retire")
    .description("retire a FAQ: it stops answering")
    .argument("<id>", "FAQ id")
    .requiredOption("--reason <text>", "why")
    .addOption(asOption())
    .action(
      run((curation, actor, id: string, options: { reason: string }) => {
        const record = curation.retireFaq(id, options.reason, actor);
        line(say("curation.cli_retired", { id: record.id, version: record.version }));
      }),
    );

  faq
    .command("history")
    .description("every version of a FAQ, with author, time and reason")
    .argument("<id>", "FAQ id")
    .option("--json", "one JSON object per version")
    .addOption(asOption())
    .action(
      run((curation, _actor, id: string, options: { json?: boolean }) => {
        const history = curation.faqHistory(id);
        if (options.json) return history.forEach(json);
        for (const v of history) {
          line(
            `v${v.version}  ${v.at.slice(0, 16)}  ${v.action}  ${v.author}${v.reason ? `  — ${v.reason}` : ""}`,
          );
        }
      }, "faq.view"),
    );

  faq
    .command("import")
    .description(
      "publish FAQ from files: a folder of .md, one .md file, or a .csv (all or nothing)",
    )
    .argument("<path>", "folder, .md file or .csv file")
    .addOption(asOption())
    .action(
      run((curation, actor, path: string) => {
        const result = curation.importFaqs(path, actor);
        line(
          say("curation.cli_imported", {
            added: result.added.length,
            updated: result.updated.length,
            unchanged: result.unchanged.length,
          }),
        );
      }),
    );

  faq
    .command("export")
    .description("write the answering FAQ as files (knowledge/faq format), or all FAQ as CSV")
    .option("--dir <dir>", "folder for the .md files (default: the knowledge folder's faq/)")
    .option("--csv", "CSV (RFC 4180) of every FAQ's latest version instead")
    .option("--output <file>", "with --csv: write to FILE instead of stdout")
    .addOption(asOption())
    .action(
      run((curation, _actor, options: { dir?: string; csv?: boolean; output?: string }) => {
        if (options.csv) {
          const csv = curation.faqsCsv();
          if (options.output) writeFileAtomically(options.output, csv);
          else out(csv);
          return;
        }
        const dir = options.dir ?? join(deps.knowledgeDir ?? "knowledge", "faq");
        const files = curation.exportFaqs(dir);
        line(say("curation.cli_exported", { count: files.length, dir }));
      }, "faq.view"),
    );

  // ——— stats and purge ———
  program
    .command("stats")
    .description("questions per day, answered and helpful rates, by channel and region")
    .option("--since <date>", "from DATE (YYYY-MM-DD)")
    .option("--region <region>", "uncovered topics of questions naming REGION only")
    .option("--channel <channel>", "uncovered topics of questions from CHANNEL only")
    .option("--json", "one JSON object")
    .addOption(asOption())
    .action(
      run(
        (
          curation,
          _actor,
          options: { since?: string; region?: string; channel?: string; json?: boolean },
        ) => {
          const stats = curation.stats({
            since: options.since,
            region: options.region,
            channel: options.channel,
          });
          if (options.json) return json(stats);
          const t = stats.totals;
          line(
            say("curation.cli_stats_totals", {
              questions: t.questions,
              answered: formatPercent(t.questions ? t.answeredRate : null),
              helpful: formatPercent(t.helpfulRate),
              refused: t.refused,
              reported: t.reported,
              uncertain: t.uncertain,
            }),
          );
          line(say("curation.cli_stats_days"));
          for (const d of stats.days)
            line(`  ${d.date}  ${d.questions}  ${formatPercent(d.answeredRate)}`);
          line(say("curation.cli_stats_channels"));
          for (const c of stats.byChannel)
            line(`  ${c.key}  ${c.questions}  ${formatPercent(c.answeredRate)}`);
          line(say("curation.cli_stats_regions"));
          for (const r of stats.byRegion)
            line(`  ${r.key}  ${r.questions}  ${formatPercent(r.answeredRate)}`);
          line(say("curation.cli_stats_top"));
          for (const g of stats.topUnanswered) line(`  #${g.id}  ${g.count}×  ${g.label}`);
          line(say("curation.cli_stats_top_uncertain"));
          for (const g of stats.topUncertain) line(`  #${g.id}  ${g.count}×  ${g.label}`);
          line(say("curation.cli_stats_topics"));
          if (stats.uncoveredTopics.length === 0) line(say("curation.cli_stats_topics_none"));
          for (const topic of stats.uncoveredTopics) {
            line(`  ${topic.label}  ${topic.questions}  ${topic.askers}  ${topic.example ?? ""}`);
          }
        },
        "stats.view",
      ),
    );

  program
    .command("purge")
    .description("delete interactions older than a retention period")
    .requiredOption("--older-than <days>", "for example 180d")
    .addOption(asOption())
    .action(
      run((curation, actor, options: { olderThan: string }) => {
        const result = curation.purge(options.olderThan, actor);
        line(
          say("curation.cli_purged", {
            interactions: result.interactions,
            groups: result.groups,
            notifications: result.notifications,
            before: result.before.slice(0, 10),
          }),
        );
      }),
    );

  // ——— audit ———
  program
    .command("audit")
    .description("the audit trail: who changed what and when, newest first (coordinators)")
    .option("--since <date>", "entries on or after DATE (YYYY-MM-DD)")
    .option(
      "--action <prefix>",
      "entries whose action starts with PREFIX (faq, faq.publish, console)",
    )
    .option("--limit <n>", "at most N entries", "100")
    .option("--json", "one JSON object per line")
    .addOption(asOption())
    .action(
      run(
        (
          curation,
          _actor,
          options: { since?: string; action?: string; limit: string; json?: boolean },
        ) => {
          const { total, entries } = curation.audit({
            since: options.since,
            action: options.action,
            limit: parseId(options.limit, "--limit"),
          });
          if (options.json) return entries.forEach(json);
          if (entries.length === 0) return line(say("curation.cli_audit_empty"));
          for (const e of entries) {
            const target = e.target === null ? "" : `  ${e.target}`;
            const summary = e.summary ? `  — ${e.summary}` : "";
            line(
              `${e.at.slice(0, 16).replace("T", " ")}  ${e.action}  ${e.who}${target}${summary}`,
            );
          }
          if (total > entries.length)
            line(say("curation.cli_audit_more", { shown: entries.length, total }));
        },
        "audit.view",
      ),
    );
}
