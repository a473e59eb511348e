import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { fileCredentialStore, setConsolePassword } from "../../adapters/web/auth/passwords.js";
import { createConsole } from "../../adapters/web/console.js";
import { FakeSportello } from "../support/fake-sportello.js";
import { ConsoleClient } from "./client.js";

// A cheap scrypt cost keeps the suite fast; the production cost is exercised in one test.
const testCost = { N: 1024, r: 8, p: 1 };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-web-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function setup(options: { now?: () => number } = {}) {
  const credentials = fileCredentialStore(join(dir, "sportello.console-users.json"));
  const users = {
    anna: ["operator" as const],
    carla: ["operator" as const, "trainer" as const, "coordinator" as const],
  };
  for (const user of Object.keys(users)) {
    await setConsolePassword({
      credentials,
      user,
      password: `password-di-${user}`,
      knownUsers: Object.keys(users),
      cost: testCost,
    });
  }
  const sportello = new FakeSportello({ users });
  const web = createConsole({
    sportello,
    credentials,
    signIn: { freeAttempts: 3, baseDelayMs: 60_000, globalDelayMs: 1, now: options.now },
    sessions: { now: options.now },
  });
  return { web, sportello, credentials };
}

describe("sign-in", () => {
  test("a page without a session sends the browser to the sign-in form and back", async () => {
    const { web } = await setup();
    const client = new ConsoleClient(web.app);
    const response = await client.get("/chiedi");
    expect(response.status).toBe(303);
    expect(response.location).toBe("/accedi?dopo=%2Fchiedi");
    const form = await client.get(response.location ?? "");
    expect(form.text).toContain("Accedi alla console");
    expect(form.text).toContain('name="dopo" value="/chiedi"');
    const signedIn = await client.post("/accedi", {
      utente: "anna",
      password: "password-di-anna",
      dopo: "/chiedi",
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe("/chiedi");
    expect((await client.get("/chiedi")).text).toContain("La tua domanda");
  });

  test("the session cookie is HttpOnly, SameSite=Strict and changes at sign-in", async () => {
    const { web } = await setup();
    const client = new ConsoleClient(web.app);
    const anonymous = await client.get("/accedi");
    const before = anonymous.headers.get("set-cookie") ?? "";
    expect(before).toMatch(/HttpOnly/);
    expect(before).toMatch(/SameSite=Strict/);
    const signedIn = await client.post("/accedi", { utente: "anna", password: "password-di-anna" });
    const after = signedIn.headers.get("set-cookie") ?? "";
    expect(after).toMatch(/HttpOnly/);
    expect(after.split(";")[0]).not.toBe(before.split(";")[0]);
  });

  test("a wrong password, an unknown user and a user without a role are all refused alike", async () => {
    const { web } = await setup();
    for (const [user, password] of [
      ["anna", "sbagliata!!"],
      ["mario", "password-di-mario"],
    ]) {
      const client = new ConsoleClient(web.app);
      const response = await client.signIn(user ?? "", password ?? "");
      expect(response.status).toBe(401);
      expect(response.text).toContain("Nome utente o password non validi.");
      expect((await client.get("/chiedi")).status).toBe(303);
    }
  });

  test("a browser that keeps guessing waits longer and longer before its next try is checked", async () => {
    let clock = 1_000_000;
    const { web } = await setup({ now: () => clock });
    const guesser = new ConsoleClient(web.app);
    for (let i = 0; i < 3; i++)
      expect((await guesser.signIn("anna", `sbagliata-${i}`)).status).toBe(401);
    // From now on this browser waits 1 minute, then 2, then 4… before a password is checked.
    const throttled = await guesser.signIn("anna", "password-di-anna");
    expect(throttled.status).toBe(429);
    expect(throttled.text).toContain("Troppi tentativi di accesso non riusciti");
    expect(throttled.text).toContain("Riprova tra 1 minuto.");
    clock += 61_000;
    expect((await guesser.signIn("anna", "sbagliata-3")).status).toBe(401);
    expect((await guesser.signIn("anna", "password-di-anna")).text).toContain(
      "Riprova tra 2 minuti.",
    );
    // Another user from the same address is not slowed by anna's failures.
    expect((await new ConsoleClient(web.app).signIn("carla", "password-di-carla")).status).toBe(
      303,
    );
    clock += 2 * 60_000 + 1;
    expect((await guesser.signIn("anna", "password-di-anna")).status).toBe(303);
  });

  test("strangers guessing anna's password do not lock anna out of her own browser", async () => {
    let clock = 1_000_000;
    const { web } = await setup({ now: () => clock });
    // Anna signed in on this browser before: it holds her device cookie.
    const annasBrowser = new ConsoleClient(web.app);
    expect((await annasBrowser.signIn("anna", "password-di-anna")).status).toBe(303);
    expect(annasBrowser.cookie("sportello_device")).toMatch(/\./);
    await annasBrowser.post("/esci");
    // Everyone is 127.0.0.1 behind a proxy: the strangers have anna's address.
    for (let i = 0; i < 20; i++) {
      await new ConsoleClient(web.app).signIn("anna", `indovina-${i}`);
      clock += 1_000;
    }
    expect((await new ConsoleClient(web.app).signIn("anna", "password-di-anna")).status).toBe(429);
    const back = await annasBrowser.signIn("anna", "password-di-anna");
    expect(back.status).toBe(303);
    expect((await annasBrowser.get("/chiedi")).status).toBe(200);
  });

  test("failures over many names from one address lock nobody else out", async () => {
    const { web } = await setup();
    const client = new ConsoleClient(web.app);
    for (let i = 0; i < 25; i++)
      expect((await client.signIn(`utente${i}`, "qualunque-cosa")).status).toBe(401);
    expect((await client.signIn("carla", "password-di-carla")).status).toBe(303);
  });

  test("the sign-in form needs its CSRF token", async () => {
    const { web } = await setup();
    const client = new ConsoleClient(web.app);
    await client.get("/accedi");
    const response = await client.post(
      "/accedi",
      { utente: "anna", password: "password-di-anna" },
      { csrf: false },
    );
    expect(response.status).toBe(403);
    expect((await client.get("/chiedi")).status).toBe(303);
  });

  test("signing out ends the session on the server", async () => {
    const { web } = await setup();
    const client = new ConsoleClient(web.app);
    await client.signIn("anna", "password-di-anna");
    const page = await client.get("/chiedi");
    const cookieBefore = page.headers.get("set-cookie");
    expect(cookieBefore).toBeNull();
    expect((await client.post("/esci")).location).toBe("/accedi");
    expect((await client.get("/chiedi")).status).toBe(303);
  });

  test("sessions expire after being idle", async () => {
    let clock = 0;
    const { web } = await setup({ now: () => clock });
    const client = new ConsoleClient(web.app);
    await client.signIn("anna", "password-di-anna");
    expect((await client.get("/chiedi")).status).toBe(200);
    clock += 3 * 60 * 60 * 1000;
    expect((await client.get("/chiedi")).status).toBe(303);
  });

  test("the redirect after sign-in never leaves the console", async () => {
    const { web } = await setup();
    const client = new ConsoleClient(web.app);
    await client.get("/accedi");
    const response = await client.post("/accedi", {
      utente: "anna",
      password: "password-di-anna",
      dopo: "//evil.example/x",
    });
    expect(response.location).toBe("/");
  });
});

describe("passwords", () => {
  test("setConsolePassword stores an scrypt hash, never the password, in a private file", async () => {
    const path = join(dir, "pw.json");
    const credentials = fileCredentialStore(path);
    await setConsolePassword({
      credentials,
      user: "anna",
      password: "una password lunga",
      knownUsers: ["anna"],
    });
    const hash = credentials.get("anna") ?? "";
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain("una password lunga");
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  test("a short password or an unknown user is refused with an Italian message", async () => {
    const credentials = fileCredentialStore(join(dir, "pw.json"));
    await expect(
      setConsolePassword({ credentials, user: "anna", password: "corta", knownUsers: ["anna"] }),
    ).rejects.toThrow("almeno 10 caratteri");
    await expect(
      setConsolePassword({
        credentials,
        user: "mario",
        password: "abbastanza lunga",
        knownUsers: ["anna"],
      }),
    ).rejects.toThrow("non è un utente della console");
    expect(credentials.get("anna")).toBeUndefined();
  });
});
