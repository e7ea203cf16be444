import { layerMemory } from "@phasekit/adapter-memory";
import { playableScenario, playScenario, scenarioTokens } from "@phasekit/runtime";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { testCluster } from "../../adapter-k8s/src/testing/env.js";
import { adapterNamespace, ensureCrds } from "../../adapter-k8s/src/testing/setup.js";
import { exampleText, namespaceCluster, simulatedFinals } from "./testing/kube.js";

/**
 * The control plane with its cluster on Kubernetes (logs, key-value store and view in memory): the
 * example scenarios run in real time, their steps as real Jobs, Deployments and InferenceSessions
 * played by the Job and Deployment controllers, kwok and the adapter's session runner, and their
 * final statuses equal the in-memory simulator's.
 */
const { admin, adminClient } = await testCluster();
await ensureCrds(adminClient);

async function compare(file: string) {
  const simulated = await simulatedFinals(file);
  const scenario = playableScenario(exampleText(file), file);
  const ns = await adapterNamespace(adminClient, admin, "plane");
  try {
    const cluster = namespaceCluster(admin, ns, scenario);
    const played = await Effect.runPromise(
      Effect.scoped(playScenario(scenario, { timeoutMs: 120_000 })).pipe(
        // The inner layer provides the Cluster; the memory layer everything else.
        Effect.provide(cluster),
        Effect.provide(layerMemory({ tokens: scenarioTokens(scenario) })),
      ),
    );
    return { simulated, played };
  } finally {
    await ns.cleanup();
  }
}

describe("the control plane on Kubernetes: the examples end as in the simulator", () => {
  for (const file of [
    "dependency-chain.yaml",
    "inference-fails.yaml",
    "failed-dependency.yaml",
    "quota-wait.yaml",
  ])
    it(`examples/${file}`, async () => {
      const { simulated, played } = await compare(file);
      expect(played).toEqual(simulated);
    });
});
