// Store benchmark: interaction-log write throughput on a real SQLite file (each question its own
// committed transaction, as ask() writes it, redaction and pseudonyms included), the same for
// audit entries (each its own transaction, as a console sign-in writes it), and the time
// from publishing a FAQ to the first answer from it, in the same process and from another
// connection (a trainer publishing from the CLI while the server runs).
// Run: npm run build && node dist/tests/bench/store.js
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { createEngine } from "../../src/answer/engine.js";
import { createSportello, openCuration } from "../../src/app.js";
import { loadConfig } from "../../src/config/load.js";
import type { Corpus } from "../../src/knowledge/types.js";
import { openStore } from "../../src/store/store.js";

const secret = "bench-secret-0123456789abcdef";

const corpus: Corpus = {
  documents: [
    {
      id: "convenzione",
      file: "convenzione.txt",
      title: "Convenzione di prova",
      kind: "convenzione",
      region: "Basilicata",
      date: "2018-05-10",
      origin: "bench",
    },
  ],
  passages: [
    {
      id: "convenzione:p1",
      documentId: "convenzione",
      breadcrumb: ["Art. 4 Decorrenza"],
      location: { lineStart: 1, lineEnd: 5 },
      text: "La presente Convenzione ha effetto dalla data di stipula e dura fino al 31 dicembre 2020.",
      kind: "text",
    },
  ],
  fingerprint: "bench",
};

function logThroughput(dir: string, count: number): number {
  const store = openStore({ path: join(dir, "log.db"), secret });
  try {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      store.log.logInteraction({
        channel: i % 2 ? "telegram" : "slack",
        userId: `user-${i % 97}`,
        conversationId: `chat-${i % 13}`,
        status: i % 4 === 0 ? "declined" : "answered",
        text: `Domanda numero ${i}: entro quando va firmato il patto per il lavoro? Tel 347 1234567`,
        source: i % 4 === 0 ? null : "documents",
        faq: null,
        passageIds: ["convenzione:p1", "convenzione:p2"],
        fingerprint: "bench",
        confidence: 0.7,
        latencyMs: 5,
        reason: i % 4 === 0 ? "no-match" : null,
        region: i % 3 === 0 ? "Piemonte" : null,
        address: { channel: "telegram", chatId: `chat-${i % 13}`, userId: `user-${i % 97}` },
      });
    }
    return count / ((performance.now() - started) / 1000);
  } finally {
    store.close();
  }
}

async function publishToAnswer(
  dir: string,
  runs: number,
): Promise<{ sameProcess: number[]; otherConnection: number[] }> {
  const config = loadConfig({
    env: {
      SPORTELLO_DB: join(dir, "loop.db"),
      SPORTELLO_SECRET: secret,
      SPORTELLO_KNOWLEDGE: join(dir, "kb"),
    },
    cwd: dir,
    log: () => {},
  });
  const app = createSportello({
    config,
    engine: createEngine({ corpus }),
    retryIntervalMs: 0,
    log: () => {},
  });
  const other = openCuration({ config, log: () => {} });
  const local = { channel: "cli" as const, userId: "local" };
  const sameProcess: number[] = [];
  const otherConnection: number[] = [];
  try {
    for (let i = 0; i < runs * 2; i++) {
      const viaOther = i % 2 === 1;
      const question = `Come si prenota la sala riunioni numero ${["uno", "due", "tre", "quattro", "cinque"][i % 5]} del piano ${i}?`;
      const curation = viaOther ? other.curation : app.curation;
      const id = `sala-${i}`;
      curation.draftFaq(
        { id, question, answer: "Si prenota dal calendario condiviso dell'ufficio." },
        local,
      );
      curation.approveFaq(id, local);
      const started = performance.now();
      curation.publishFaq(id, local);
      const outcome = await app.ask({ text: question, channel: "cli", userId: "local" });
      const elapsed = performance.now() - started;
      if (outcome.kind !== "answered" || outcome.answer.faq?.id !== id) {
        throw new Error(`bench: FAQ ${id} did not answer after publication`);
      }
      (viaOther ? otherConnection : sameProcess).push(elapsed);
    }
  } finally {
    other.close();
    await app.close();
  }
  return { sameProcess, otherConnection };
}

/** Audit entries per second, each committed alone, with a redacted reason and a pseudonym. */
function auditThroughput(dir: string, count: number): number {
  const store = openStore({ path: join(dir, "audit.db"), secret });
  try {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      store.audit.append({
        actor: { channel: "web", userId: `utente-${i % 41}` },
        action: i % 2 ? "console.signin" : "group.dismiss",
        target: i % 2 ? null : i,
        detail: i % 2 ? { roles: ["operator"] } : { from: "aperta", reason: `fuori tema ${i}` },
      });
    }
    return count / ((performance.now() - started) / 1000);
  } finally {
    store.close();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

export async function runStoreBench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "sportello-bench-store-"));
  try {
    logThroughput(dir, 2_000); // warm-up: statements, page cache
    const throughput = logThroughput(dir, 20_000);
    auditThroughput(dir, 1_000);
    const audit = auditThroughput(dir, 20_000);
    const loop = await publishToAnswer(dir, 10);
    return {
      logWritesPerSecond: Math.round(throughput),
      auditWritesPerSecond: Math.round(audit),
      publishToAnswerMsMedian: Math.round(median(loop.sameProcess) * 100) / 100,
      publishToAnswerMsMax: Math.round(Math.max(...loop.sameProcess) * 100) / 100,
      publishOtherConnectionToAnswerMsMedian: Math.round(median(loop.otherConnection) * 100) / 100,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await runStoreBench();
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(42)} ${value}`);
}
