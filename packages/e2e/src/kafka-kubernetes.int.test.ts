import { randomBytes } from "node:crypto";
import { layerKafka, testBrokers } from "@phasekit/adapter-kafka";
import { layerMemory } from "@phasekit/adapter-memory";
import { playableScenario, playScenario, scenarioTokens } from "@phasekit/runtime";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { testCluster } from "../../adapter-k8s/src/testing/env.js";
import { adapterNamespace, ensureCrds } from "../../adapter-k8s/src/testing/setup.js";
import { exampleText, namespaceCluster, simulatedFinals } from "./testing/kube.js";

/**
 * End to end: the control plane with its event log and state log on a real Kafka broker and its
 * cluster on a real Kubernetes API server (the key-value store, the query view and the authorizer
 * in memory), playing example scenarios in real time. Their final statuses equal the in-memory
 * simulator's run of the same file.
 */
const brokers = await testBrokers();
const { admin, adminClient } = await testCluster();
await ensureCrds(adminClient);

describe("end to end: control plane on Kafka, cluster on Kubernetes", () => {
  for (const file of ["dependency-chain.yaml", "inference-fails.yaml"])
    it(`examples/${file} ends with the statuses of the in-memory run`, async () => {
      const simulated = await simulatedFinals(file);
      const scenario = playableScenario(exampleText(file), file);
      const ns = await adapterNamespace(adminClient, admin, "e2e");
      try {
        const cluster = namespaceCluster(admin, ns, scenario);
        const kafka = layerKafka({ brokers, prefix: `e2e-${randomBytes(4).toString("hex")}`, partitions: 3 });
        const played = await Effect.runPromise(
          Effect.scoped(playScenario(scenario, { timeoutMs: 180_000 })).pipe(
            Effect.provide(cluster),
            Effect.provide(kafka),
            Effect.provide(layerMemory({ tokens: scenarioTokens(scenario) })),
          ),
        );
        expect(played).toEqual(simulated);
      } finally {
        await ns.cleanup();
      }
    });
});
