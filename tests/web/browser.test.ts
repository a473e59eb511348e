// The console in headless Chromium (Debian's package, driven by playwright-core): sign in, ask in
// the chat box, open an unanswered group, create and publish a FAQ from it, see it answer.
// Screenshots of every page go to tests/output/screenshots/ for a person to look at.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Harness, openSharedEngine, passwordOf, startHarness, users } from "./harness.js";
import { serveLikeSportello } from "./local-harness.js";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(executablePath);
const underCi = process.env.CI === "true" || process.env.CI === "1";
const screenshots = join(import.meta.dirname, "../output/screenshots");

if (!available && !underCi) {
  process.stderr.write(
    `tests/web/browser.test.ts: skipped, no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)\n`,
  );
}

describe.runIf(underCi && !available)("browser tests under CI", () => {
  test("need Chromium", () => {
    throw new Error(
      `Chromium is missing at ${executablePath}: .ci/run must apt-get install chromium`,
    );
  });
});

describe.runIf(available)("the console in Chromium", () => {
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
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    // A CSP violation or a script error means the page is not working as served.
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

  test("sign in, ask, open the unanswered group, create and publish a FAQ, see it answer", async () => {
    const question =
      "Qual è la procedura per ottenere la Carta RdC e presso quale ufficio si ritira?";
    const answer =
      "La Carta RdC si ritira presso gli uffici postali, dopo il messaggio di Poste Italiane.";

    await page.goto(`${url}/`);
    await expect.poll(() => page.url()).toContain("/accedi");
    await shot("01-accedi");
    await page.fill("#utente", users.coordinator);
    await page.fill("#password", passwordOf(users.coordinator));
    await page.click("button[type=submit]");
    await page.waitForURL(/\/chiedi/);
    // The stylesheet is served and allowed by the CSP: the header has the brand colour.
    const headerColour = await page.$eval(
      "header.top",
      (el) => el.ownerDocument.defaultView?.getComputedStyle(el).backgroundColor,
    );
    expect(headerColour).toBe("rgb(11, 79, 138)");

    await page.fill("#domanda", "Chi firma la convenzione per la regione Basilicata?");
    await page.click("#chiedi button[type=submit]");
    await page.waitForSelector(".msg.bot.answered");
    await page.fill("#domanda", question);
    await page.press("#domanda", "Enter"); // the small script sends on Enter
    await page.waitForSelector(".msg.bot.declined");
    expect(await page.textContent(".msg.bot.declined")).toContain("Ho annotato la domanda");
    await shot("02-chiedi");

    await page.click('nav a[href="/senza-risposta"]');
    await page.waitForSelector("table");
    await shot("03-senza-risposta");
    await page.click(`a:has-text("Carta RdC")`);
    await page.waitForSelector("text=Come è stata chiesta");
    await shot("04-gruppo");
    await page.click("text=Crea FAQ da questo gruppo");
    await page.waitForSelector("#risposta");
    expect(await page.inputValue("#domanda")).toBe(question);
    await page.fill("#id", "ritiro-carta-rdc");
    await page.fill(
      "#alternative",
      "dove si ritira la carta rdc\ncome si ottiene la carta del reddito di cittadinanza",
    );
    await page.fill("#risposta", answer);
    await page.selectOption("#fonte-doc-0", "relazione-anpal-servizi-2019");
    await page.fill("#fonte-sez-0", "Il Quadro normativo");
    await page.fill("#tag", "rdc, carta");
    await shot("05-faq-editor");
    await page.click("text=Salva la bozza");
    await page.waitForSelector("text=Bozza salvata");
    await page.click("button:has-text('Approva')");
    await page.waitForSelector("text=FAQ approvata");
    await page.click("button:has-text('Pubblica')");
    await page.waitForSelector("text=FAQ pubblicata");
    await shot("06-faq-pubblicata");
    await page.click("text=Versioni");
    await page.waitForSelector("pre.diff");
    await shot("07-faq-versioni");
    await page.click('nav a[href="/faq"]');
    await shot("08-faq-elenco");

    await page.click('nav a[href="/chiedi"]');
    await page.fill("#domanda", "dove si ritira la carta rdc?");
    await page.click("#chiedi button[type=submit]");
    await page.waitForSelector(`.msg.bot.answered >> text=${answer}`);
    const last = page.locator(".msg.bot").last();
    expect(await last.textContent()).toContain("Risposta dalle FAQ dei formatori");
    await last.locator("button[value=utile]").click();
    await page.waitForSelector("text=Il tuo giudizio: utile");
    await shot("09-chiedi-risposta-faq");

    await page.click('nav a[href="/andamento"]');
    await page.waitForSelector("svg.chart");
    await shot("10-andamento");
    await page.click('nav a[href="/documenti"]');
    await shot("11-documenti");
    await page.click("text=Convenzione tra Anpal Servizi");
    await page.waitForSelector("article.card");
    await page.screenshot({ path: join(screenshots, "12-documento.png") });
    await page.click('nav a[href="/registro"]');
    await page.waitForSelector('tr[data-action="faq.publish"]');
    expect(await page.textContent('tr[data-action="faq.publish"]')).toContain("FAQ pubblicata");
    await shot("15-registro-attivita");

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}/chiedi`);
    await shot("13-chiedi-telefono");
    await page.goto(`${url}/faq/ritiro-carta-rdc`);
    await shot("14-faq-telefono");

    expect(problems).toEqual([]);
  });

  test("first run: the local link printed at start opens Chiedi signed in; opened again it explains why not", async () => {
    const local = await serveLikeSportello(shared.opened);
    try {
      const link = local.localSignInUrl ?? "";
      expect(link).toContain("/accesso/locale?token=");
      await context.clearCookies();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(link);
      await page.waitForURL(/\/chiedi$/);
      expect(await page.textContent("header .who")).toContain(
        "utente locale · operatore, formatore, coordinatore",
      );
      await page.fill("#domanda", "Chi firma la convenzione per la regione Basilicata?");
      await page.click("#chiedi button[type=submit]");
      await page.waitForSelector(".msg.bot.answered");
      await shot("15-accesso-locale-chiedi");
      const cookie = (await context.cookies(link)).find((c) => c.name === "sportello_console");
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.sameSite).toBe("Strict");

      // Without that session (another browser, or signed out), the spent link explains itself.
      await context.clearCookies();
      await page.goto(link);
      await page.waitForURL(/\/accedi\?locale=usato$/);
      expect(await page.textContent(".flash.error")).toContain("è già stato usato");
      expect(await page.textContent(".local-hint")).toContain("Nessun utente della console");
      await shot("16-accesso-locale-usato");
      expect(problems).toEqual([]);
    } finally {
      await local.close();
    }
  });
});
