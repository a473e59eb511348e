// `sportello console passwd USER`: asks for a password twice (hidden on a terminal, one line each
// when piped) and stores its scrypt hash in the credential file next to the database.
import { createInterface } from "node:readline";
import { type SportelloConfig, SportelloError } from "../../src/index.js";
import { credentialPathForDb, fileCredentialStore, setConsolePassword } from "./auth/passwords.js";
import { t } from "./text.js";

/** Console users are the configuration's `web:NAME` entries, whatever their role. */
export function consoleUsers(config: Pick<SportelloConfig, "roles">): string[] {
  const { operators, trainers, coordinators } = config.roles;
  const names = [...operators, ...trainers, ...coordinators]
    .filter((key) => key.startsWith("web:"))
    .map((key) => key.slice("web:".length));
  return [...new Set(names)].sort();
}

type Input = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/** Reads one line; on a terminal nothing is echoed. */
function readSecret(prompt: string, input: Input, output: NodeJS.WritableStream): Promise<string> {
  output.write(prompt);
  if (input.isTTY && input.setRawMode) {
    const setRawMode = input.setRawMode.bind(input);
    return new Promise((resolve, reject) => {
      let value = "";
      setRawMode(true);
      input.resume();
      const onData = (chunk: Buffer | string) => {
        for (const char of chunk.toString("utf8")) {
          if (char === "\r" || char === "\n") {
            finish();
            output.write("\n");
            resolve(value);
            return;
          }
          if (char === "\u0003") {
            finish();
            output.write("\n");
            reject(new SportelloError("INPUT_INVALID", t("passwd.cancelled")));
            return;
          }
          if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
          else value += char;
        }
      };
      const finish = () => {
        input.off("data", onData);
        setRawMode(false);
        input.pause();
      };
      input.on("data", onData);
    });
  }
  return nextLine(input);
}

// One reader per piped stream: two readline interfaces on the same pipe would lose the lines the
// first one had buffered.
const pipedLines = new WeakMap<Input, () => Promise<string>>();

function nextLine(input: Input): Promise<string> {
  let next = pipedLines.get(input);
  if (!next) {
    const queued: string[] = [];
    const waiting: ((line: string) => void)[] = [];
    let closed = false;
    const lines = createInterface({ input, terminal: false });
    lines.on("line", (line) => {
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else queued.push(line);
    });
    lines.on("close", () => {
      closed = true;
      for (const waiter of waiting.splice(0)) waiter("");
    });
    next = () => {
      const line = queued.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (closed) return Promise.resolve("");
      return new Promise((resolve) => waiting.push(resolve));
    };
    pipedLines.set(input, next);
  }
  return next();
}

/**
 * The command's body: checks the user is configured, asks for the password twice, stores the
 * hash. Returns the Italian line to print; throws SportelloError (INPUT_INVALID, NOT_FOUND) with
 * an Italian message on bad input.
 */
export async function runConsolePasswd(options: {
  config: Pick<SportelloConfig, "roles" | "dbPath">;
  user: string;
  input?: Input;
  output?: NodeJS.WritableStream;
}): Promise<string> {
  const input = options.input ?? (process.stdin as Input);
  const output = options.output ?? process.stderr;
  const knownUsers = consoleUsers(options.config);
  if (!knownUsers.includes(options.user)) {
    throw new SportelloError("NOT_FOUND", t("passwd.unknown_user", { user: options.user }));
  }
  const password = await readSecret(t("passwd.prompt", { user: options.user }), input, output);
  const again = await readSecret(t("passwd.prompt_again"), input, output);
  if (password !== again) throw new SportelloError("INPUT_INVALID", t("passwd.mismatch"));
  const path = credentialPathForDb(options.config.dbPath);
  await setConsolePassword({
    credentials: fileCredentialStore(path),
    user: options.user,
    password,
    knownUsers,
  });
  return t("passwd.done", { user: options.user, path });
}
