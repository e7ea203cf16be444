import { randomBytes } from "node:crypto";
import { layerKafka, testBrokers } from "@phasekit/adapter-kafka";
import { createSimulator, layerMemory } from "@phasekit/adapter-memory";
import { type GeneratedScenario, scenarioArbitrary } from "@phasekit/adapter-memory/fuzz";
import { failureAnnotations, playScenario, scenarioTokens } from "@phasekit/runtime";
import { Effect } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { layerK8s } from "../../adapter-k8s/src/layer.js";
import { testCluster } from "../../adapter-k8s/src/testing/env.js";
import { adapterNamespace, ensureCrds } from "../../adapter-k8s/src/testing/setup.js";

/**
 * Differential runs (issue 19, part 2) on the real backends: generated Dyff scenarios played with
 * the logs on Kafka and the cluster on the Kubernetes API server (kwok runs the pods), against the
 * in-memory simulator's run of the same scenario. The player plays in real time, so it takes what
 * it can play (scenario-player.ts): work that ends, created as listed, no commands after the
 * creates, no nodes of the simulator's own, no quotas, no faults; the generated scenarios are cut
 * down to that.
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
    // No quotas: the player waits for every resource to end, and work over a quota waits for ever.
    ...(s.accounts && {
      accounts: Object.fromEntries(
        Object.entries(s.accounts).map(([name, a]) => [name, { tokens: (a as { tokens: unknown }).tokens }]),
      ),
    }),
    resources: resources.filter((r) => ((r.needs as string[] | undefined) ?? []).every((id) => kept.has(id))),
    events: [],
    until: "1d",
  };
}

describe("differential: generated scenarios on Kafka and Kubernetes against memory", () => {
  it(`${scenarios} generated Dyff scenarios end with the in-memory run's statuses`, async () => {
    const sample = fc
      .sample(scenarioArbitrary({ systems: ["dyff"] }), { numRuns: 40, seed: 20261206 })
      .map(playable)
      .filter((s) => s.resources.length > 0)
      .slice(0, scenarios);
    let entities = 0;
    const differences: string[] = [];
    for (const [i, generated] of sample.entries()) {
      const { until: _, ...input } = generated;
      const sim = createSimulator(input as never, `generated ${i}`);
      const simulated = (await sim.run()).final.map(({ kind, id, status, reason }) => ({
        kind,
        id,
        status,
        reason,
      }));
      const scenario = sim.scenario;
      const ns = await adapterNamespace(adminClient, admin, "diff");
      try {
        const cluster = layerK8s({
          server: admin.server,
          ca: admin.ca,
          token: ns.token,
          namespace: ns.namespace,
          podAnnotations: failureAnnotations(scenario),
        });
        const kafka = layerKafka({
          brokers,
          prefix: `diff-${randomBytes(4).toString("hex")}`,
          partitions: 3,
        });
        const played = await Effect.runPromise(
          Effect.scoped(playScenario(scenario, { timeoutMs: 180_000 })).pipe(
            Effect.provide(cluster),
            Effect.provide(kafka),
            Effect.provide(layerMemory({ tokens: scenarioTokens(scenario) })),
          ),
        );
        entities += played.length;
        // The same statuses; the order differs (the simulator lists by first status change).
        const byId = (l: readonly { id: string }[]) =>
          JSON.stringify([...l].sort((a, b) => (a.id < b.id ? -1 : 1)));
        if (byId(played) !== byId(simulated))
          differences.push(
            `scenario ${i}: played ${JSON.stringify(played)}, simulated ${JSON.stringify(simulated)}`,
          );
      } finally {
        await ns.cleanup();
      }
    }
    console.log(
      `differential (Kafka + Kubernetes): ${sample.length} scenarios, ${entities} entities, ${differences.length} differences`,
    );
    expect(sample.length).toBe(scenarios);
    expect(differences).toEqual([]);
  });
});
