// Web console benchmark: server-side render time of the console's pages on the real service, with
// 10,000 unanswered questions (2,000 groups) and 10,000 logged interactions over 90 days. Each
// figure is the median (and p95) of full requests through the Hono app: session, routing, the
// curation query, rendering and escaping.
// Run: npm run build && node dist/tests/bench/web.js  (the main bench calls runWebBench()).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { fileCredentialStore, setConsolePassword } from "../../adapters/web/auth/passwords.js";
import { SessionStore } from "../../adapters/web/auth/sessions.js";
import { createConsole } from "../../adapters/web/console.js";
import { corpusDocuments } from "../../adapters/web/documents.js";
import { UnansweredListPage } from "../../adapters/web/views/unanswered.js";
import { openEngine } from "../../src/answer/open.js";
import { createSportello } from "../../src/app.js";
import { loadConfig } from "../../src/config/load.js";
import { percentile } from "../../src/eval/evaluate.js";

const questionsInQueue = 10_000;
const perGroup = 5;
const channels = ["telegram", "slack", "web", "cli"] as const;
const regions = ["Basilicata", "Piemonte", "Emilia-Romagna", null] as const;

function findKnowledgeDir(): string {
  // From tests/bench (sources) or dist/tests/bench (built).
  let dir = import.meta.dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "knowledge");
    if (existsSync(join(candidate, "manifest.yaml"))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("bench web: knowledge/ not found");
}

const round = (n: number) => Math.round(n * 100) / 100;

export async function runWebBench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "sportello-bench-web-"));
  const knowledgeDir = findKnowledgeDir();
  const opened = await openEngine({ knowledgeDir, cacheDir: join(dir, "cache") });
  const config = loadConfig({
    env: {},
    cwd: dir,
    log: () => {},
    overrides: {
      db: join(dir, "sportello.db"),
      secret: "bench-secret-0123456789abcdef",
      knowledge: knowledgeDir,
      roles: { coordinators: ["web:carla"] },
    },
  });
  const sportello = createSportello({
    config,
    engine: opened.engine,
    log: () => {},
    retryIntervalMs: 0,
  });
  const figures: Record<string, number> = {};
  try {
    const { store } = sportello;
    const started = performance.now();
    const now = Date.now();
    store.transaction(() => {
      let groupId: number | undefined;
      for (let i = 0; i < questionsInQueue; i++) {
        const g = Math.floor(i / perGroup);
        const at = new Date(now - ((i * 7919) % (90 * 86_400_000)));
        const id = store.log.logInteraction({
          channel: channels[g % channels.length] ?? "web",
          userId: `operatore-${i % 300}`,
          status: "declined",
          text: `Domanda ${g} variante ${i % perGroup}: come si richiede il rimborso delle spese di viaggio per il percorso ${g}?`,
          source: null,
          faq: null,
          passageIds: [],
          fingerprint: opened.corpus.fingerprint,
          confidence: 0.1,
          latencyMs: 3,
          reason: "low-confidence",
          region: regions[g % regions.length] ?? null,
          at,
        });
        groupId = store.queue.enqueue({
          interactionId: id,
          kind: "declined",
          focus: { terms: ["rimbors", "spes", "viagg", `percors${g}`], aliases: [], region: null },
          groupId: i % perGroup === 0 ? undefined : groupId,
          at,
        });
      }
    });
    figures.web_seed_10k_questions_ms = round(performance.now() - started);
    // 10,000 audit entries for the Registro attività page, a tenth of them FAQ publications.
    store.transaction(() => {
      for (let i = 0; i < 10_000; i++) {
        store.audit.append({
          actor: { channel: "web", userId: i % 3 ? "carla" : `operatore-${i % 300}` },
          action: i % 10 === 0 ? "faq.publish" : i % 3 ? "console.signin" : "group.dismiss",
          target: i % 3 ? null : i,
          detail: { reason: `motivo ${i}`, version: i % 7 },
          at: new Date(now - i * 60_000),
        });
      }
    });

    const credentials = fileCredentialStore(join(dir, "console-users.json"));
    await setConsolePassword({
      credentials,
      user: "carla",
      password: "password-di-carla",
      knownUsers: ["carla"],
      cost: { N: 1024, r: 8, p: 1 },
    });
    const web = createConsole({
      sportello,
      curation: sportello.curation,
      documents: corpusDocuments({ corpus: () => opened.corpus }),
      credentials,
    });

    // Sign in once, as a browser would.
    let cookie = "";
    const request = async (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (cookie) headers.set("cookie", cookie);
      const response = await web.app.request(path, { ...init, headers });
      const set = response.headers.get("set-cookie");
      if (set) cookie = set.split(";")[0] ?? "";
      return { status: response.status, text: await response.text() };
    };
    const form = await request("/accedi");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? "";
    const signIn = await request("/accedi", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        _csrf: csrf,
        utente: "carla",
        password: "password-di-carla",
      }).toString(),
    });
    if (signIn.status !== 303) throw new Error(`bench web: sign-in failed (${signIn.status})`);
    // The session changes at sign-in, and with it the CSRF token.
    const token = /name="_csrf" value="([^"]+)"/.exec((await request("/chiedi")).text)?.[1] ?? "";
    for (let i = 0; i < 30; i++) {
      await request("/chiedi", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          _csrf: token,
          domanda: "chi firma la convenzione per la regione basilicata?",
        }).toString(),
      });
    }

    const measure = async (name: string, path: string, runs = 40) => {
      for (let i = 0; i < 5; i++) await request(path);
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const response = await request(path);
        samples.push(performance.now() - t0);
        if (response.status !== 200)
          throw new Error(`bench web: ${path} answered ${response.status}`);
      }
      samples.sort((a, b) => a - b);
      figures[`${name}_p50_ms`] = round(percentile(samples, 50));
      figures[`${name}_p95_ms`] = round(percentile(samples, 95));
    };

    await measure("web_unanswered_list_10k", "/senza-risposta");
    await measure(
      "web_unanswered_list_10k_recent_filtered",
      "/senza-risposta?ordine=recenti&canale=telegram&regione=Piemonte",
    );
    await measure("web_unanswered_list_10k_page_20", "/senza-risposta?da=950");
    await measure("web_unanswered_group", "/senza-risposta/1");
    await measure("web_faq_list", "/faq");
    await measure("web_faq_page", "/faq/firmatari-convenzione-basilicata");
    await measure("web_stats_90d_10k", "/andamento?periodo=90");
    await measure("web_chat_30_turns", "/chiedi");
    await measure("web_document_passages", "/documenti/relazione-anpal-servizi-2019", 20);
    await measure("web_audit_10k", "/registro");
    await measure("web_audit_10k_filtered", "/registro?azione=faq.publish");
    await measure("web_audit_10k_page_100", "/registro?da=5000");
    // The pages show 50 groups at a time; this is the cost of rendering every group at once.
    const all = sportello.curation.listUnanswered({ limit: questionsInQueue });
    const session = new SessionStore().create("carla", ["operator", "trainer", "coordinator"]);
    const renderAll = () =>
      UnansweredListPage({
        session,
        approval: "coordinator",
        query: { sort: "count", limit: questionsInQueue, offset: 0 },
        total: all.total,
        groups: all.groups,
        regions: [],
        open: { unanswered: all.total, uncertain: 0 },
      }).toString();
    renderAll();
    const renders: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      renderAll();
      renders.push(performance.now() - t0);
    }
    renders.sort((a, b) => a - b);
    figures.web_unanswered_render_all_groups = all.groups.length;
    figures.web_unanswered_render_all_groups_p50_ms = round(percentile(renders, 50));
    figures.web_unanswered_list_bytes = (await request("/senza-risposta")).text.length;
    figures.web_chat_30_turns_bytes = (await request("/chiedi")).text.length;
  } finally {
    await sportello.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await runWebBench();
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(48)} ${value}`);
}
