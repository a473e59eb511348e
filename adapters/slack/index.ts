// The Slack adapter: Bolt wired to the Sportello facade, over HTTP (Events API with signed
// requests) or Socket Mode. The only place @slack/bolt is imported besides its handlers.
import type { AddressInfo } from "node:net";
import {
  App,
  HTTPReceiver,
  type Logger,
  LogLevel,
  type Receiver,
  SocketModeReceiver,
  type webApi,
} from "@slack/bolt";
import {
  type NotificationPort,
  type OutgoingNotification,
  type Sportello,
  SportelloError,
  say,
} from "../../src/index.js";
import { registerHandlers } from "./handlers.js";
import { renderNotification } from "./render.js";
import { guardSlackListener, slackBodyLimit } from "./request-guard.js";

export { renderSlackHome } from "./home.js";
export { escapeMrkdwn, renderSlackAnswer, slackLimits } from "./render.js";

export interface SlackAdapterOptions {
  /** Bot token (xoxb-…), SLACK_BOT_TOKEN. */
  botToken: string;
  /** Signing secret for HTTP mode, SLACK_SIGNING_SECRET. */
  signingSecret?: string;
  /** App-level token (xapp-…), SLACK_APP_TOKEN: when set, Socket Mode instead of HTTP. */
  appToken?: string;
  /** HTTP port, SLACK_PORT; default 3000, 0 for any free port. */
  port?: number;
  /** HTTP interface; default 127.0.0.1 (put a TLS proxy in front for Slack to reach it). */
  host?: string;
  /** Web API base URL, SLACK_API_URL; default Slack's. */
  apiUrl?: string;
  sportello: Sportello;
  /** One line per fault or notable event; default stderr. */
  logger?: (line: string) => void;
  /** Web API retry policy (429s are retried after Retry-After whatever this says). */
  retryConfig?: webApi.RetryOptions;
  /** How long stop() waits for answers already being prepared; default 10 s. */
  drainMs?: number;
}

export interface SlackAdapter {
  start(): Promise<void>;
  /** Stops receiving, lets answers in progress finish (up to drainMs), then returns. */
  stop(): Promise<void>;
  /** Where the HTTP receiver listens once started (HTTP mode only). */
  address(): { host: string; port: number } | undefined;
  readonly mode: "http" | "socket";
}

/** Path of the Events API, slash command and interactivity requests in HTTP mode. */
export const slackEventsPath = "/slack/events";

/** Bounded backoff for transient Web API failures; 429s additionally wait for Retry-After. */
const defaultRetryConfig: webApi.RetryOptions = {
  retries: 5,
  factor: 2,
  minTimeout: 250,
  maxTimeout: 10_000,
  randomize: true,
};

function lineLogger(write: (line: string) => void): Logger {
  let level = LogLevel.WARN;
  const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
  const emit = (at: LogLevel, parts: unknown[]) => {
    if (order.indexOf(at) < order.indexOf(level)) return;
    write(`slack: [bolt ${at}] ${parts.map(String).join(" ")}`);
  };
  return {
    debug: (...parts) => emit(LogLevel.DEBUG, parts),
    info: (...parts) => emit(LogLevel.INFO, parts),
    warn: (...parts) => emit(LogLevel.WARN, parts),
    error: (...parts) => emit(LogLevel.ERROR, parts),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/** No request reaches Bolt's HTTP receiver before request-guard.ts has checked it. */
function guardedHttpReceiver(
  receiver: HTTPReceiver,
  options: Parameters<typeof guardSlackListener>[1],
): HTTPReceiver {
  receiver.requestListener = guardSlackListener(receiver.requestListener, options);
  return receiver;
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const log = options.logger ?? ((line: string) => process.stderr.write(`${line}\n`));
  const logger = lineLogger(log);
  const mode = options.appToken ? "socket" : "http";
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 3000;
  if (!options.botToken) {
    throw new SportelloError("CONFIG_INVALID", say("slack.error_no_token"));
  }
  if (mode === "http" && !options.signingSecret) {
    throw new SportelloError("CONFIG_INVALID", say("slack.error_no_signing_secret"));
  }

  const clientOptions: webApi.WebClientOptions = {
    retryConfig: options.retryConfig ?? defaultRetryConfig,
    rejectRateLimitedCalls: false,
    timeout: 15_000,
    ...(options.apiUrl ? { slackApiUrl: withSlash(options.apiUrl) } : {}),
  };

  const receiver: Receiver =
    mode === "socket"
      ? new SocketModeReceiver({
          appToken: options.appToken ?? "",
          logger,
          installerOptions: { clientOptions },
        })
      : guardedHttpReceiver(
          new HTTPReceiver({
            signingSecret: options.signingSecret ?? "",
            endpoints: slackEventsPath,
            logger,
            // Ack first, answer afterwards: Slack wants a response within 3 seconds.
            processBeforeResponse: false,
            bodyLimit: slackBodyLimit,
          }),
          {
            signingSecret: options.signingSecret ?? "",
            path: slackEventsPath,
            log,
            firstDelivery: (key, ttl) => options.sportello.firstDelivery(key, ttl),
          },
        );

  const app = new App({
    token: options.botToken,
    receiver,
    logger,
    clientOptions,
    deferInitialization: true,
    // Conversation state is not used; Bolt's default store would grow with every channel.
    convoStore: false,
  });

  const inflight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    inflight.add(work);
    return work.finally(() => inflight.delete(work));
  };

  registerHandlers(app, { sportello: options.sportello, log, track });
  app.error(async (error) => {
    log(`slack: unhandled ${error.code ?? "error"}: ${error.message}`);
  });

  let started = false;
  let listening: { host: string; port: number } | undefined;

  const notifier: NotificationPort = {
    channel: "slack",
    async deliver(notification: OutgoingNotification) {
      const { address } = notification;
      if (address.channel !== "slack") return;
      // Thrown so the curation loop keeps the notification for the next run.
      if (!started) throw new Error("slack: adapter stopped, notification not sent");
      // A thread or a DM channel is written to as is; a public channel without a thread (the
      // slash command's) would expose the person, so the message goes to their DM instead.
      const inPlace = address.threadId !== undefined || address.chatId.startsWith("D");
      const message = renderNotification(notification);
      await app.client.chat.postMessage({
        channel: inPlace ? address.chatId : address.userId,
        ...(address.threadId ? { thread_ts: address.threadId } : {}),
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
      });
    },
  };

  return {
    mode,
    address: () => listening,
    async start() {
      if (started) return;
      try {
        await app.init();
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new SportelloError("CONFIG_INVALID", say("slack.error_auth", { detail }), {
          cause: error,
        });
      }
      if (mode === "http") {
        const server = (await app.start({ port, host })) as { address(): AddressInfo | string };
        const bound = server.address();
        listening =
          typeof bound === "object" && bound ? { host, port: bound.port } : { host, port };
      } else {
        await app.start();
      }
      // Registering delivers what is pending at once, so the adapter must count as started.
      started = true;
      options.sportello.registerNotifier(notifier);
    },
    async stop() {
      if (!started) return;
      started = false;
      await app.stop();
      // Answers being prepared still reach their thread; new work has stopped arriving.
      const drainMs = options.drainMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, drainMs);
      });
      await Promise.race([Promise.allSettled([...inflight]), deadline]);
      clearTimeout(timer);
      listening = undefined;
    },
  };
}
