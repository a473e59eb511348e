// The `sportello` command speaks Italian: commander's help and its usage errors are rendered from
// prompts/cli.yaml, read only when help is shown. Commands keep their English descriptions in code as notes for developers; what
// a person reads comes from the `help.*` keys, looked up by the command's path ("faq draft") and
// the option's flag ("faq draft --reason", then "--reason" for every command).
import { type Argument, Command, Help, type Option } from "commander";
import { hasTemplate, type PromptKey, say } from "../../src/index.js";

/** The programs whose texts are Italian already. */
const localized = new WeakSet<Command>();

/** Usage errors end like every other fault: one Italian line, exit code 2. */
export const usageExitCode = 2;

export class SportelloCommand extends Command {
  override createCommand(name?: string): Command {
    return new SportelloCommand(name);
  }

  /**
   * Help is only formatted for `--help`, `help` and usage errors: the Italian texts are put in
   * then, so a command that runs (`ask`) reads none of them.
   */
  override createHelp(): Help {
    let root: Command = this;
    while (root.parent) root = root.parent;
    if (!localized.has(root)) localizeProgram(root);
    return Object.assign(new ItalianHelp(), this.configureHelp());
  }

  override error(message: string, errorOptions?: { code?: string }): never {
    const code = errorOptions?.code ?? "commander.error";
    return super.error(say("cli.error", { message: italianUsageError(message, code) }), {
      code,
      exitCode: usageExitCode,
    });
  }
}

/** Commander's usage error in Italian (its message is the only place the names are). */
export function italianUsageError(message: string, code: string): string {
  const quoted = [...message.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? "");
  const suggestion = /\(Did you mean (.+)\?\)/.exec(message)?.[1];
  const hint = suggestion ? ` ${say("cli.usage_suggestion", { name: suggestion })}` : "";
  switch (code) {
    case "commander.unknownCommand":
      return say("cli.usage_unknown_command", { name: quoted[0] ?? "" }) + hint;
    case "commander.unknownOption":
      return say("cli.usage_unknown_option", { name: quoted[0] ?? "" }) + hint;
    case "commander.missingArgument":
      return say("cli.usage_missing_argument", { name: placeholder(quoted[0] ?? "") });
    case "commander.optionMissingArgument":
      return say("cli.usage_option_needs_value", { option: italianFlags(quoted[0] ?? "") });
    case "commander.missingMandatoryOptionValue":
      return say("cli.usage_missing_option", { option: italianFlags(quoted[0] ?? "") });
    case "commander.excessArguments": {
      const counts = /Expected (\d+) arguments? but got (\d+)/.exec(message);
      return say("cli.usage_too_many_arguments", {
        expected: Number(counts?.[1] ?? 0),
        got: Number(counts?.[2] ?? 0),
      });
    }
    case "commander.invalidArgument": {
      const allowed = /Allowed choices are (.+)\.$/.exec(message)?.[1];
      return allowed
        ? say("cli.usage_invalid_choice", {
            option: italianFlags(quoted[0] ?? ""),
            value: quoted[1] ?? "",
            allowed,
          })
        : say("cli.usage_invalid_value", { option: italianFlags(quoted[0] ?? "") });
    }
    default:
      return say("cli.usage_invalid", { detail: message.replace(/^error: /, "") });
  }
}

/** A placeholder word in Italian ("file" → "file", "dir" → "cartella"), as written in prompts. */
function placeholder(word: string): string {
  const bare = word.replace(/\.\.\.$/, "");
  const key = `cli.placeholder.${bare}`;
  const shown = hasTemplate(key) ? say(key) : bare;
  return word.endsWith("...") ? `${shown}...` : shown;
}

/** "--as <user>" → "--as <utente>". */
function italianFlags(flags: string): string {
  return flags.replace(/([<[])([\w.#-]+)([>\]])/g, (_, open: string, word: string, close: string) =>
    [open, placeholder(word), close].join(""),
  );
}

const titles: Record<string, PromptKey> = {
  "Usage:": "cli.help_usage",
  "Options:": "cli.help_options",
  "Global Options:": "cli.help_global_options",
  "Commands:": "cli.help_commands",
  "Arguments:": "cli.help_arguments",
};

function helpText(keys: string[], fallback: string): string {
  for (const key of keys) {
    const template = `cli.help.${key}`;
    if (hasTemplate(template)) return say(template);
  }
  return fallback;
}

function extras(
  description: string,
  choices: readonly string[] | undefined,
  shownDefault: string | undefined,
): string {
  const parts: string[] = [];
  if (choices) parts.push(say("cli.help_choices", { values: choices.join(", ") }));
  if (shownDefault !== undefined) parts.push(say("cli.help_default", { value: shownDefault }));
  return parts.length > 0 ? `${description} (${parts.join("; ")})`.trim() : description;
}

class ItalianHelp extends Help {
  override styleTitle(title: string): string {
    const key = titles[title];
    return key ? say(key) : title;
  }

  override optionTerm(option: Option): string {
    return italianFlags(super.optionTerm(option));
  }

  override argumentTerm(argument: Argument): string {
    return placeholder(argument.name());
  }

  override subcommandTerm(cmd: Command): string {
    return italianFlags(super.subcommandTerm(cmd));
  }

  override commandUsage(cmd: Command): string {
    return italianFlags(super.commandUsage(cmd))
      .replace("[options]", `[${say("cli.placeholder.options")}]`)
      .replace("[command]", `[${say("cli.placeholder.command")}]`);
  }

  override optionDescription(option: Option): string {
    const showDefault =
      option.defaultValue !== undefined && (option.required || option.optional) && !option.negate;
    return extras(
      option.description,
      option.argChoices,
      showDefault
        ? (option.defaultValueDescription ?? JSON.stringify(option.defaultValue))
        : undefined,
    );
  }

  override argumentDescription(argument: Argument): string {
    return extras(
      argument.description,
      argument.argChoices,
      argument.defaultValue === undefined
        ? undefined
        : (argument.defaultValueDescription ?? JSON.stringify(argument.defaultValue)),
    );
  }
}

/**
 * Gives every command of `program` its Italian descriptions, help option, help command and help
 * layout. Call it once every command is registered. Returns the keys that had no Italian text
 * (shown in English), for the test that keeps the list empty.
 */
export function localizeProgram(program: Command): string[] {
  localized.add(program);
  const missing: string[] = [];
  const visit = (cmd: Command, path: string[]) => {
    const at = path.join(" ");
    if (path.length > 0) {
      const text = helpText([at], cmd.description());
      if (!hasTemplate(`cli.help.${at}`)) missing.push(at);
      cmd.description(text);
    }
    for (const option of cmd.options) {
      const flag = option.long ?? option.short ?? option.flags;
      const keys = [`${at} ${flag}`.trim(), flag];
      if (!keys.some((key) => hasTemplate(`cli.help.${key}`))) missing.push(keys[0] ?? flag);
      option.description = helpText(keys, option.description);
    }
    for (const argument of cmd.registeredArguments) {
      const keys = [`${at} <${argument.name()}>`.trim(), `<${argument.name()}>`];
      if (!keys.some((key) => hasTemplate(`cli.help.${key}`))) missing.push(keys[0] ?? "");
      argument.description = helpText(keys, argument.description);
    }
    cmd.helpOption("-h, --help", say("cli.help_option"));
    if (cmd.commands.length > 0) cmd.helpCommand("help [comando]", say("cli.help_command"));
    for (const sub of cmd.commands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  return missing;
}
