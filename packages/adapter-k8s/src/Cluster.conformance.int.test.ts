import { ClusterSuite } from "@phasekit/core/testing";
import { Effect, Layer } from "effect";
import { layerK8s } from "./layer.js";
import { testCluster } from "./testing/env.js";
import { adapterNamespace, ensureCrds } from "./testing/setup.js";

/**
 * The cluster port's contract on a real kube-apiserver, as the adapter's ServiceAccount (the admin
 * token only sets up): each test gets a fresh namespace. Steps are `external` here, as in the memory
 * adapter (the suite expects a Job it created to stay as it was); the Job controller's own runs are
 * tested in the Run:ai and control-plane tests.
 */
const { admin, adminClient } = await testCluster();
await ensureCrds(adminClient);

const layer = Layer.unwrap(
  Effect.gen(function* () {
    const ns = yield* Effect.acquireRelease(
      Effect.promise(() => adapterNamespace(adminClient, admin, "conformance")),
      (n) => Effect.promise(() => n.cleanup()),
    );
    return layerK8s({
      server: admin.server,
      ca: admin.ca,
      token: ns.token,
      namespace: ns.namespace,
      steps: "external",
    });
  }),
);

// The garbage collector deletes owned objects in the background: wait up to 60 s for it.
ClusterSuite.suite("kubernetes, as the adapter's ServiceAccount", layer, {
  attempts: 600,
  settle: Effect.sleep("100 millis"),
});
