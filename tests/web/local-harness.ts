// The service and its console started the way `sportello serve` starts them (createConsoleForApp
// on a configuration read by loadConfig), on a free port, for the local sign-in link tests.
import type { Hono } from "hono";
import { createConsoleForApp, type WebConsole } from "../../adapters/web/index.js";
import type { OpenedEngine } from "../../src/answer/open.js";
import type { SportelloApp } from "../../src/app.js";
import type { ConfigFileInput } from "../../src/config/schema.js";
import { startTestService } from "../support/real-service.js";
import { ConsoleClient } from "./client.js";

export interface ServeOptions {
  /** Default: none at all, the first-run configuration. */
  roles?: ConfigFileInput["roles"];
  /** Default: the configuration's, 127.0.0.1. */
  host?: string;
  /** Default: the shipped corpus's temporary copy. */
  knowledge?: string;
}

export interface RunningConsole {
  sportello: SportelloApp;
  web: WebConsole;
  url: string;
  localSignInUrl: string | undefined;
  /** The console's address as reached from this machine: always 127.0.0.1, whatever it binds. */
  base: string;
  /** A browser-like client on the real socket (cookie kept, redirects not followed). */
  client(): ConsoleClient;
  close(): Promise<void>;
}

export async function serveLikeSportello(
  opened: OpenedEngine,
  options: ServeOptions = {},
): Promise<RunningConsole> {
  const service = startTestService(opened, {
    ...(options.roles ? { roles: options.roles } : {}),
    ...(options.knowledge ? { knowledge: options.knowledge } : {}),
  });
  const { sportello, config } = service;
  const web = createConsoleForApp({
    app: sportello,
    config,
    corpus: () => opened.corpus,
    overrides: { port: 0, ...(options.host ? { host: options.host } : {}) },
  });
  const close = async () => {
    await web.stop();
    await service.close();
  };
  let started: Awaited<ReturnType<WebConsole["start"]>>;
  try {
    started = await web.start();
  } catch (error) {
    await close();
    throw error;
  }
  // Tests never send traffic anywhere but 127.0.0.1, even when the console binds 0.0.0.0.
  const base = `http://127.0.0.1:${new URL(started.url).port}`;
  const overSocket = {
    request: (path: string, init?: RequestInit) =>
      fetch(new URL(path, base), { ...init, redirect: "manual" }),
  } as unknown as { request: Hono["request"] };
  return {
    sportello,
    web,
    url: started.url,
    localSignInUrl: started.localSignInUrl,
    base,
    client: () => new ConsoleClient(overSocket),
    close,
  };
}
