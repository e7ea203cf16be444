import { readFileSync } from "node:fs";
import { createSimulator, layerMemory } from "@phasekit/adapter-memory";
import { failureAnnotations, playableScenario, playScenario, scenarioTokens } from "@phasekit/runtime";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { layerK8s } from "../../adapter-k8s/src/layer.js";
import { testCluster } from "../../adapter-k8s/src/testing/env.js";
import { adapterNamespace, ensureCrds } from "../../adapter-k8s/src/testing/setup.js";

/**
 * The control plane with its cluster on Kubernetes (logs, key-value store and view in memory): the
 * example scenarios run in real time, their steps as real Jobs, Deployments and InferenceSessions
 * played by the Job and Deployment controllers, kwok and the adapter's session runner, and their
 * final statuses equal the in-memory simulator's.
 */
const { admin, adminClient } = await testCluster();
await ensureCrds(adminClient);

const examples = new URL("../../../examples/", import.meta.url);

async function compare(file: string) {
  const text = readFileSync(new URL(file, examples), "utf8");
  const simulated = (await createSimulator(text, file).run()).final
    .filter((f) => f.system === "dyff")
    .map(({ kind, id, status, reason }) => ({ kind, id, status, reason }));
  const scenario = playableScenario(text, file);
  const ns = await adapterNamespace(adminClient, admin, "plane");
  try {
    const cluster = layerK8s({
      server: admin.server,
      ca: admin.ca,
      token: ns.token,
      namespace: ns.namespace,
      podAnnotations: failureAnnotations(scenario),
    });
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
