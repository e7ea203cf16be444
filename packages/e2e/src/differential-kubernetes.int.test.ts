import { randomBytes } from "node:crypto";
import { layerKafka, testBrokers } from "@phasekit/adapter-kafka";
import { createSimulator, layerMemory } from "@phasekit/adapter-memory";
import {
  type GeneratedScenario,
  memoryOutcome,
  outcomeDifferences,
  outcomeOf,
  scenarioArbitrary,
} from "@phasekit/adapter-memory/fuzz";
import { admissionPrefix, DecodeError, decodeState, KeyValue, StateLog } from "@phasekit/core";
import { playScenario, scenarioTokens } from "@phasekit/runtime";
import { Effect } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recordDifferential } from "../../../scripts/reliability/record.js";
import { testCluster } from "../../adapter-k8s/src/testing/env.js";
import { adapterNamespace, ensureCrds } from "../../adapter-k8s/src/testing/setup.js";
import { namespaceCluster } from "./testing/kube.js";

/**
 * Differential runs (issue 19, part 2) on the real backends: generated Dyff scenarios played with
 * the logs on Kafka and the cluster on the Kubernetes API server (kwok runs the pods), against the
 * in-memory simulator's run of the same scenario. The final statuses, the admissions (how often
 * each entity entered Admitted) and the quota ledger (the orchestrator's admission records, record
 * by record: account, kind, request, released or not, workflow object deleted) must be equal.
 *
 * The player plays in real time, so the generated scenarios are cut down to what a real cluster can
 * play (@phasekit/runtime kube/play.ts), and only so far: no command after the creates (a terminate, delete or
 * label event lands at a simulated instant; in real time it would race the pods); Datasets uploaded
 * when created (a delayed upload is such an event); one account (a create that needs another
 * account's resource is refused, and the player stops); no InferenceSession (it runs until
 * terminated, and the player waits for every resource to end); of the quotas only `slots` of one or
 * more (work over a gpu, cpu or memory quota, or under 0 slots, waits for ever, and so would the
 * player); no faults of the simulator's own. The ledger's times are not compared: the real run's
 * are wall-clock times, the simulator's simulated ones.
 */
const brokers = await testBrokers();
const { admin, adminClient } = await testCluster();
await ensureCrds(adminClient);
const scenarios = Number(process.env.PHASEKIT_DIFFERENTIAL_RUNS ?? 6);

/** The part of a generated scenario a real cluster can play. */
function playable(s: GeneratedScenario): GeneratedScenario {
  // A Dataset is uploaded when it is created (never: its dependents would wait for ever); one
  // account, since a create that needs another account's resource is refused, and the player stops.
  const resources = s.resources
    .filter((r) => r.kind !== "InferenceSession" && r.token === undefined)
    .map(({ uploadedAt: _, ...r }): Record<string, unknown> => ({ ...r, account: "team0" }));
  const kept = new Set(resources.map((r) => r.id as string));
  return {
    seed: s.seed,
    // Of the quotas, slots only (see above): work over any other quota waits for ever.
    ...(s.accounts && {
      accounts: Object.fromEntries(
        Object.entries(s.accounts).map(([name, a]) => {
          const { tokens, quota } = a as { tokens: unknown; quota?: { slots?: number } };
          const slots = quota?.slots;
          return [name, { tokens, ...(slots !== undefined && slots >= 1 && { quota: { slots } }) }];
        }),
      ),
    }),
    resources: resources.filter((r) => ((r.needs as string[] | undefined) ?? []).every((id) => kept.has(id))),
    events: [],
    until: "1d",
  };
}

describe("differential: generated scenarios on Kafka and Kubernetes against memory", () => {
  const name = `${scenarios} generated Dyff scenarios end with the in-memory run's statuses, admissions and quota ledger`;
  it(name, async () => {
    const sample = fc
      .sample(scenarioArbitrary({ systems: ["dyff"] }), { numRuns: 40, seed: 20261206 })
      .map(playable)
      .filter((s) => s.resources.length > 0)
      .slice(0, scenarios);
    let entities = 0;
    let admitted = 0;
    let differing = 0;
    const differences: string[] = [];
    for (const [i, generated] of sample.entries()) {
      const { until: _, ...input } = generated;
      const scenario = createSimulator(input as never, `generated ${i}`).scenario;
      const memory = memoryOutcome(scenario);
      admitted += memory.ledger.size;
      const ns = await adapterNamespace(adminClient, admin, "diff");
      try {
        const cluster = namespaceCluster(admin, ns, scenario);
        const kafka = layerKafka({
          brokers,
          prefix: `diff-${randomBytes(4).toString("hex")}`,
          partitions: 3,
        });
        const played = await Effect.runPromise(
          Effect.scoped(
            Effect.gen(function* () {
              const final = yield* playScenario(scenario, { timeoutMs: 180_000 });
              // Every version on the real state log, in order: the entries into Admitted.
              const timeline = (yield* (yield* StateLog).readAll()).flatMap((r) => {
                const state = decodeState(r.key, r.value);
                return state instanceof DecodeError ? [] : [{ t: 0, id: r.key, status: state.entity.status }];
              });
              const keyValue = yield* (yield* KeyValue).list(admissionPrefix);
              return outcomeOf({ final, timeline, keyValue });
            }),
          ).pipe(
            Effect.provide(cluster),
            Effect.provide(kafka),
            Effect.provide(layerMemory({ tokens: scenarioTokens(scenario) })),
          ),
        );
        entities += played.final.size;
        const found = outcomeDifferences(memory, played, ["simulated", "played"], { times: false });
        if (found.length > 0) differing++;
        differences.push(...found.map((d) => `scenario ${i}: ${d}`));
      } finally {
        await ns.cleanup();
      }
    }
    console.log(
      `differential (Kafka + Kubernetes): ${sample.length} scenarios, ${entities} entities, ${differences.length} differences`,
    );
    recordDifferential({
      id: "differential-kubernetes",
      backend:
        "real Kafka broker (logs) and kube-apiserver with kwok (cluster), against the memory adapter; scenarios cut down to what real time can play",
      scenarios: sample.length,
      entities,
      compared: `final status of every entity; how often each entered Admitted; the quota ledger, ${admitted} admission records, field by field (account, kind, request, released, resourceDeleted; not the times)`,
      differingScenarios: differing,
      differences: differences.length,
      command: "pnpm vitest run --project int packages/e2e/src/differential-kubernetes.int.test.ts",
      test: "packages/e2e/src/differential-kubernetes.int.test.ts > " + name,
    });
    expect(sample.length).toBe(scenarios);
    expect(differences).toEqual([]);
  }, 1_500_000);
});
