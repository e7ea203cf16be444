import { randomUUID } from "node:crypto";
import { testBrokers } from "@phasekit/adapter-kafka";
import { decodeScenario, noScenarioFaults } from "@phasekit/adapter-memory";
import {
  memoryOutcome,
  outcomeDifferences,
  outcomeOf,
  scenarioArbitrary,
} from "@phasekit/adapter-memory/fuzz";
import { DecodeError } from "@phasekit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recordDifferential } from "../../../../scripts/reliability/record.js";
import { runScenarioOnKafka } from "./run-scenario.js";

// Differential runs (issue 19, part 2): the same generated Dyff scenarios on the memory adapter
// and with their logs on the real Kafka broker. The final statuses, every admission (who, at which
// simulated instant) and the quota ledger (the orchestrator's admission records, record by record:
// account, kind, request, admitted at, released at, workflow object deleted) must be equal. The
// memory-only faults (duplicates, reordering, informer lag, stale reads) are off in both runs:
// Kafka gives its own, and the comparison is of the semantics.

const brokers = await testBrokers();
const scenarios = Number(process.env.PHASEKIT_DIFFERENTIAL_RUNS ?? 30);
const seed = 20261206;
const name = `${scenarios} generated Dyff scenarios end with the same statuses, admissions and quota ledger on Kafka as in memory`;

describe("differential: generated scenarios on memory and on Kafka", () => {
  it(name, async () => {
    const sample = fc.sample(scenarioArbitrary({ systems: ["dyff"] }), { numRuns: scenarios, seed });
    const differences: string[] = [];
    let differing = 0;
    let entities = 0;
    let admitted = 0;
    for (const [i, generated] of sample.entries()) {
      const decoded = decodeScenario(generated, `generated ${i}`);
      if (decoded instanceof DecodeError) throw decoded;
      const scenario = {
        ...decoded,
        faults: { ...noScenarioFaults, crashBeforeCommit: decoded.faults.crashBeforeCommit },
      };
      const memory = memoryOutcome(scenario);
      entities += memory.final.size;
      admitted += memory.ledger.size;
      const kafka = outcomeOf(
        await runScenarioOnKafka(scenario, { brokers, prefix: `diff-${randomUUID()}` }),
      );
      const found = outcomeDifferences(memory, kafka, ["memory", "kafka"]);
      console.log(`scenario ${i}: ${memory.final.size} entities, ${found.length} differences`);
      if (found.length > 0) differing++;
      differences.push(...found.map((d) => `scenario ${i} (seed ${scenario.seed}): ${d}`));
    }
    console.log(
      `differential (Kafka): ${sample.length} scenarios, ${entities} entities, ${admitted} admission records, ${differences.length} differences`,
    );
    recordDifferential({
      id: "differential-kafka",
      backend: "real Kafka broker (event and state logs), against the memory adapter",
      scenarios: sample.length,
      entities,
      compared: `final status of every entity; each entry into Admitted and its simulated instant; the quota ledger, ${admitted} admission records, field by field (account, kind, request, admittedAt, releasedAt, resourceDeleted)`,
      differingScenarios: differing,
      differences: differences.length,
      command: "pnpm vitest run --project int packages/runtime/src/kafka/differential.int.test.ts",
      test: `packages/runtime/src/kafka/differential.int.test.ts > ${name}`,
    });
    expect(differences).toEqual([]);
  }, 1_800_000);
});
