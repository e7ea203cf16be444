import { randomUUID } from "node:crypto";
import { testBrokers } from "@phasekit/adapter-kafka";
import {
  decodeScenario,
  noScenarioFaults,
  runScenario,
  type SimulationResult,
} from "@phasekit/adapter-memory";
import { scenarioArbitrary } from "@phasekit/adapter-memory/fuzz";
import { DecodeError } from "@phasekit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenarioOnKafka } from "./run-scenario.js";

// Differential runs (issue 19, part 2): the same generated Dyff scenarios on the memory adapter
// and with their logs on the real Kafka broker. The final statuses, the admissions and the quota
// ledger's verdict must be equal. The memory-only faults (duplicates, reordering, informer lag,
// stale reads) are off in both runs: Kafka gives its own, and the comparison is of the semantics.

const brokers = await testBrokers();
const scenarios = Number(process.env.PHASEKIT_DIFFERENTIAL_RUNS ?? 30);
const seed = 20261206;

/** What must be equal: the final statuses, who was admitted, and whether any quota broke. */
const outcome = (r: SimulationResult) => ({
  final: r.final,
  admitted: [...new Set(r.timeline.filter((e) => e.status === "Admitted").map((e) => e.id))].sort(),
  quotaHeld: r.invariants.find((i) => i.name === "no quota was ever exceeded")?.held,
});

describe("differential: generated scenarios on memory and on Kafka", () => {
  it(`${scenarios} generated Dyff scenarios end with the same statuses, admissions and quota verdict on Kafka as in memory`, async () => {
    const sample = fc.sample(scenarioArbitrary({ systems: ["dyff"] }), { numRuns: scenarios, seed });
    const differences: string[] = [];
    let entities = 0;
    for (const [i, generated] of sample.entries()) {
      const decoded = decodeScenario(generated, `generated ${i}`);
      if (decoded instanceof DecodeError) throw decoded;
      const scenario = {
        ...decoded,
        faults: { ...noScenarioFaults, crashBeforeCommit: decoded.faults.crashBeforeCommit },
      };
      const memory = outcome(runScenario(scenario));
      entities += memory.final.length;
      const kafka = outcome(await runScenarioOnKafka(scenario, { brokers, prefix: `diff-${randomUUID()}` }));
      if (JSON.stringify(memory) !== JSON.stringify(kafka))
        differences.push(`scenario ${i}: memory ${JSON.stringify(memory)}, kafka ${JSON.stringify(kafka)}`);
    }
    console.log(
      `differential (Kafka): ${sample.length} scenarios, ${entities} entities, ${differences.length} differences`,
    );
    expect(differences).toEqual([]);
  });
});
