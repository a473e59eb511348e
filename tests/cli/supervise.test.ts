// The supervisor of `sportello serve`: a fault in one adapter restarts that adapter only, with a
// growing pause, and a failed restart is tried again.
import { describe, expect, it } from "vitest";
import { createSupervisor, type SupervisedPart } from "../../adapters/cli/supervise.js";

function part(name: string, failStarts = 0) {
  const counts = { starts: 0, stops: 0 };
  let failing = failStarts;
  const supervised: SupervisedPart = {
    name,
    owns: [new RegExp(`/adapters/${name}/`)],
    async start() {
      counts.starts++;
      if (counts.starts > 1 && failing-- > 0) throw new Error(`${name} non raggiungibile`);
    },
    async stop() {
      counts.stops++;
    },
  };
  return { supervised, counts };
}

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!predicate()) throw new Error("never happened");
}

describe("adapter supervision", () => {
  it("restarts the faulty adapter only, retrying a failed restart", async () => {
    const logs: string[] = [];
    const supervisor = createSupervisor({
      log: (line) => logs.push(line),
      initialDelayMs: 10,
      maxDelayMs: 40,
    });
    const telegram = part("telegram", 1);
    const slack = part("slack");
    await supervisor.add(telegram.supervised);
    await supervisor.add(slack.supervised);
    const error = Object.assign(new Error("polling interrotto"), { code: "ETIMEDOUT" });
    supervisor.fault("telegram", error);
    // First restart fails, the second one works.
    await until(() => logs.some((l) => l.includes("telegram: riavviato")));
    expect(telegram.counts.starts).toBe(3);
    expect(slack.counts).toEqual({ starts: 1, stops: 0 });
    expect(logs[0]).toBe(
      "sportello: errore non gestito in telegram (ETIMEDOUT): polling interrotto",
    );
    expect(logs.join("\n")).toMatch(/telegram non riparte .*non raggiungibile/);
    await supervisor.stopAll();
    expect(slack.counts.stops).toBe(1);
  });
});
