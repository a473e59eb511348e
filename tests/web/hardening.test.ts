// What an attacker tried on the console (issue 11, items 3, 4, 5 and 8), against the real service
// on a SQLite file in a temporary folder, with the console started as `sportello serve` starts it
// (createConsoleForApp): anonymous floods, restarts, password guessing, redirects.
import { rmSync } from "node:fs";
import Database from "better-sqlite3";
import type { Hono } from "hono";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  credentialPathForDb,
  fileCredentialStore,
  setConsolePassword,
} from "../../adapters/web/auth/passwords.js";
import type { ConsoleOptions } from "../../adapters/web/console.js";
import { createConsoleForApp, type WebConsole } from "../../adapters/web/index.js";
import type { OpenedEngine } from "../../src/answer/open.js";
import { createSportello, type SportelloApp } from "../../src/app.js";
import type { SportelloConfig } from "../../src/config/schema.js";
import { testConfig } from "../support/real-service.js";
import { ConsoleClient } from "./client.js";
import { openSharedEngine, passwordOf } from "./harness.js";

const testCost = { N: 1024, r: 8, p: 1 };
const console_users = ["carla", "tina"];

let shared: Awaited<ReturnType<typeof openSharedEngine>>;
let opened: OpenedEngine;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  shared = await openSharedEngine();
  opened = shared.opened;
});
afterAll(() => shared.cleanup());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A configuration with carla (coordinator) and tina (trainer), passwords set, in a temp folder. */
async function consoleConfig(): Promise<SportelloConfig> {
  const { config, dir } = testConfig({
    roles: { trainers: ["web:tina"], coordinators: ["web:carla"] },
  });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const credentials = fileCredentialStore(credentialPathForDb(config.dbPath));
  for (const user of console_users) {
    await setConsolePassword({
      credentials,
      user,
      password: passwordOf(user),
      knownUsers: console_users,
      cost: testCost,
    });
  }
  return config;
}

interface Running {
  sportello: SportelloApp;
  web: WebConsole;
  /** A browser-like client over the real socket. */
  browser(): ConsoleClient;
  stop(): Promise<void>;
}

/** The service and its console on a free port, as `sportello serve` starts them. */
async function serve(
  config: SportelloConfig,
  overrides: Partial<ConsoleOptions> = {},
): Promise<Running> {
  const sportello = createSportello({ config, engine: opened.engine, log: () => {} });
  const web = createConsoleForApp({
    app: sportello,
    config,
    corpus: () => opened.corpus,
    overrides: { port: 0, ...overrides },
  });
  const { url } = await web.start();
  const overSocket = {
    request: (path: string, init?: RequestInit) =>
      fetch(new URL(path, url), { ...init, redirect: "manual" }),
  } as unknown as { request: Hono["request"] };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await web.stop();
    await sportello.close();
  };
  cleanups.push(stop);
  return { sportello, web, browser: () => new ConsoleClient(overSocket), stop };
}

async function signedIn(running: Running, user: string): Promise<ConsoleClient> {
  const browser = running.browser();
  const response = await browser.signIn(user, passwordOf(user));
  expect(response.status, `sign-in of ${user}`).toBe(303);
  return browser;
}

describe("sessions (item 3)", () => {
  test("anonymous sign-in page loads and no-cors requests leave no server state and sign nobody out", async () => {
    const config = await consoleConfig();
    const s = await serve(config);
    const carla = await signedIn(s, "carla");
    const sessionsOnDisk = () => {
      const db = new Database(config.dbPath, { readonly: true });
      try {
        return (db.prepare("SELECT COUNT(*) AS n FROM console_sessions").get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect(sessionsOnDisk()).toBe(1);
    // In process, to keep the test quick: the same app the socket serves. A page elsewhere can
    // fire such requests at the console from every visitor's browser.
    const driveBy = async (i: number) => {
      const response = await s.web.app.request(
        i % 2 === 0 ? "/accedi" : "/accedi?dopo=%2Fchiedi",
        i % 3 === 0
          ? {
              method: "POST",
              headers: { "content-type": "application/x-www-form-urlencoded" },
              body: "utente=x&password=y",
            }
          : {},
      );
      await response.arrayBuffer();
    };
    for (let i = 0; i < 600; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => driveBy(i + j)));
    }
    expect(sessionsOnDisk()).toBe(1);
    const page = await carla.get("/chiedi");
    expect(page.status).toBe(200);
    expect(page.text).toContain("carla");
  });

  test("a signed-in browser stays signed in across a restart, and signing out ends it for good", async () => {
    const config = await consoleConfig();
    const first = await serve(config);
    const carla = await signedIn(first, "carla");
    const cookie = carla.cookie("sportello_console");
    await first.stop();

    // The same browser, with the same cookie, on the restarted console.
    const second = await serve(config);
    const browser = second.browser();
    browser.setCookie("sportello_console", cookie ?? "");
    const page = await browser.get("/chiedi");
    expect(page.status).toBe(200);
    expect(page.text).toContain("La tua domanda");
    // Its forms still carry a valid token.
    expect((await browser.post("/esci")).location).toBe("/accedi");
    await second.stop();

    const third = await serve(config);
    const signedOut = third.browser();
    signedOut.setCookie("sportello_console", cookie ?? "");
    expect((await signedOut.get("/chiedi")).status).toBe(303);
  });

  test("no session id reaches the database in clear, and each user keeps at most ten sessions", async () => {
    const config = await consoleConfig();
    const s = await serve(config);
    const browsers: ConsoleClient[] = [];
    for (let i = 0; i < 11; i++) browsers.push(await signedIn(s, "tina"));
    const carla = await signedIn(s, "carla");
    // The oldest of tina's eleven is signed out; the other ten and carla's are not.
    expect((await browsers[0]?.get("/chiedi"))?.status).toBe(303);
    for (const browser of browsers.slice(1))
      expect((await browser.get("/chiedi")).status).toBe(200);
    expect((await carla.get("/chiedi")).status).toBe(200);
    await s.stop();
    const { readFileSync } = await import("node:fs");
    const bytes =
      readFileSync(config.dbPath).toString("latin1") +
      readFileSync(`${config.dbPath}-wal`, { flag: "a+" }).toString("latin1");
    for (const browser of [...browsers, carla]) {
      expect(bytes).not.toContain(browser.cookie("sportello_console"));
    }
    expect(bytes).not.toContain("tina");
  });
});

describe("sign-in throttling (item 4) and its audit trail (item 5)", () => {
  test("strangers behind the same proxy cannot lock a user out of the browser she signed in with", async () => {
    let clock = 1_000_000;
    const s = await serve(await consoleConfig(), {
      signIn: { now: () => clock, globalDelayMs: 1 },
    });
    const tinasBrowser = await signedIn(s, "tina");
    await tinasBrowser.post("/esci");
    // Wrong passwords for tina and for other names, all from 127.0.0.1.
    for (let i = 0; i < 20; i++) {
      await s.browser().signIn("tina", `indovina-${i}`);
      if (i < 8) await s.browser().signIn(`utente-${i}`, "qualunque-cosa");
      clock += 100;
    }
    // tina on her own browser, and carla (whose name nobody tried), sign in at once.
    expect((await tinasBrowser.signIn("tina", passwordOf("tina"))).status).toBe(303);
    await signedIn(s, "carla");
    // A browser without tina's device cookie waits, and is told how long.
    const stranger = await s.browser().signIn("tina", passwordOf("tina"));
    expect(stranger.status).toBe(429);
    expect(stranger.text).toMatch(/Riprova tra \d+ (minuti|minuto|secondi)\./);
  });

  test("hundreds of failed sign-ins write a handful of audit rows that still count every attempt", async () => {
    const s = await serve(await consoleConfig(), { signInAudit: { maxNames: 5 } });
    const sign = async (user: string, password: string) => {
      const client = new ConsoleClient(s.web.app);
      return (await client.signIn(user, password)).status;
    };
    for (let i = 0; i < 300; i++) expect(await sign("tina", `indovina-${i}`)).not.toBe(303);
    for (let i = 0; i < 10; i++) expect(await sign(`nome-${i}`, "qualunque-cosa")).toBe(401);
    const rows = () =>
      s.sportello.curation
        .audit({ action: "console.signin_", limit: 10_000 })
        .entries.map((e) => e.detail as { attempts?: number; names?: number });
    expect(rows().length).toBeLessThanOrEqual(6);
    await s.web.stop();
    const after = rows();
    expect(after.length).toBeLessThanOrEqual(9);
    expect(after.reduce((sum, detail) => sum + (detail.attempts ?? 0), 0)).toBe(310);
    // Past five names (tina's failures, tina's throttled attempts, nome-0 … nome-2) the rest are
    // summed up by Sportello itself, with how many names there were.
    const summary = s.sportello.curation
      .audit({ action: "console.signin_failed", limit: 10_000 })
      .entries.find((e) => e.actor === "console");
    expect(summary?.who).toBe("Sportello (console web)");
    expect(summary?.detail).toMatchObject({ attempts: 7, names: 7 });
  });
});

describe("where the console sends a browser after sign-in (item 8)", () => {
  test("only to its own pages: tab, backslash, CR/LF and other origins go to the home page", async () => {
    const s = await serve(await consoleConfig());
    const carla = await signedIn(s, "carla");
    const cases: [string, string][] = [
      ["%2F%09%2Fevil.example", "/"],
      ["%2F%5Cevil.example", "/"],
      ["%2F%0D%0ASet-Cookie%3A%20x%3Dy", "/"],
      ["%2F%0Aevil", "/"],
      ["https%3A%2F%2Fevil.example%2F", "/"],
      ["%2F%2Fevil.example", "/"],
      ["%2Ffaq%3Fstato%3Dbozza", "/faq?stato=bozza"],
    ];
    for (const [dopo, expected] of cases) {
      const response = await carla.get(`/accedi?dopo=${dopo}`);
      expect(response.status, dopo).toBe(303);
      expect(response.location, dopo).toBe(expected);
    }
    // The same at sign-in, where the value comes back from the form.
    for (const [dopo, expected] of cases) {
      const browser = s.browser();
      const form = await browser.get(`/accedi?dopo=${dopo}`);
      expect(form.status, dopo).toBe(200);
      const signIn = await browser.post("/accedi", {
        utente: "tina",
        password: passwordOf("tina"),
        dopo: decodeURIComponent(dopo),
      });
      expect(signIn.status, dopo).toBe(303);
      expect(signIn.location, dopo).toBe(expected);
    }
  });
});
