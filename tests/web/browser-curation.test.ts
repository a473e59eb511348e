// Curation in headless Chromium (Debian's package, driven by playwright-core): ask → group →
// split → draft with the proposed answer → publish resolving the confirmed question → the
// asker's notice on Chiedi. Screenshots go to tests/output/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Harness, openSharedEngine, passwordOf, startHarness, users } from "./harness.js";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(executablePath);
const screenshots = join(import.meta.dirname, "../output/screenshots");

describe.runIf(available)("curation in Chromium", () => {
  let shared: Awaited<ReturnType<typeof openSharedEngine>>;
  let h: Harness;
  let url: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    shared = await openSharedEngine();
    h = await startHarness(shared.opened);
    url = (await h.web.start()).url.replace(/\/$/, "");
    profile = mkdtempSync(join(tmpdir(), "sportello-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport: { width: 1280, height: 900 },
      locale: "it-IT",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
  });

  afterAll(async () => {
    await context?.close();
    await h?.close();
    shared?.cleanup();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function shot(name: string) {
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  }

  test("ask, group, split, draft from the proposed answer, publish, and the asker is told", async () => {
    const carta = "Qual è la procedura per ottenere la Carta RdC e presso quale ufficio si ritira?";
    const poste = "La Carta RdC per ottenerla si ritira presso quale ufficio delle Poste?";
    const answer = "La Carta RdC si ritira presso gli uffici postali.";

    await page.goto(`${url}/accedi`);
    await page.fill("#utente", users.coordinator);
    await page.fill("#password", passwordOf(users.coordinator));
    await page.click("button[type=submit]");
    await page.waitForURL(/\/chiedi/);
    expect(await page.textContent("header .who")).toContain("Carla Coordinatrice");
    for (const [i, text] of [carta, poste].entries()) {
      await page.fill("#domanda", text);
      await page.click("#chiedi button[type=submit]");
      await page.locator(".msg.bot.declined").nth(i).waitFor();
    }

    // One group with both phrasings; split the Poste one out.
    await page.click('nav a[href="/senza-risposta"]');
    await page.click(`a:has-text("Carta RdC")`);
    await page.waitForSelector("text=Come è stata chiesta (2)");
    const groupUrl = page.url();
    await page.check(`input[aria-label*="delle Poste"]`);
    await shot("21-gruppo-dividi");
    await page.click("button:has-text('Dividi')");
    await page.waitForSelector("text=Gruppo diviso");
    expect(await page.textContent("h1")).toBe(poste);

    // Draft from the first group: the answer is proposed from the passages, with their sources.
    await page.goto(groupUrl);
    await page.waitForSelector("text=Come è stata chiesta (1)");
    await page.click("text=Crea FAQ da questo gruppo");
    await page.waitForSelector("#risposta");
    await page.waitForSelector("fieldset.proposal");
    expect(await page.inputValue("#risposta")).toMatch(/\[1\]/);
    await shot("22-faq-risposta-proposta");
    await page.fill("#id", "ritiro-carta-rdc");
    await page.fill("#risposta", answer);
    await page.click("text=Salva la bozza");
    await page.waitForSelector("text=Bozza salvata");
    await page.click("button:has-text('Approva')");
    await page.waitForSelector("text=FAQ approvata");

    // The publish form lists the queued questions the FAQ answers, ticked; the coordinator
    // leaves the split-out one unticked.
    await page.waitForSelector("text=Pubblica e risolvi le domande in coda");
    const ticks = page.locator('#pubblica input[name="risolve"]');
    expect(await ticks.first().isChecked()).toBe(true);
    const posteTick = page.locator("#pubblica li", { hasText: "delle Poste" }).locator("input");
    if ((await posteTick.count()) > 0) await posteTick.uncheck();
    await shot("23-faq-pubblica");
    await page.click("#pubblica button[type=submit]");
    await page.waitForSelector("text=FAQ pubblicata");

    // The asker (Carla herself) sees the badge, then the notice with the answer on Chiedi.
    await page.waitForSelector("header a.badge.notices");
    await page.click("header a.badge.notices");
    await page.waitForSelector("#avvisi");
    expect(await page.textContent("#avvisi")).toContain(answer);
    await shot("24-chiedi-avviso");
    // The split-out question is still open.
    const open = h.sportello.curation.listUnanswered({ status: "aperta" }).groups;
    expect(open.map((g) => g.label)).toEqual([poste]);
    expect(problems).toEqual([]);
  });
});
