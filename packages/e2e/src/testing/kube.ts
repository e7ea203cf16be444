import { readFileSync } from "node:fs";
import { createSimulator, type Scenario } from "@phasekit/adapter-memory";
import { failureAnnotations } from "@phasekit/runtime";
import { layerK8s } from "../../../adapter-k8s/src/layer.js";
import type { TestCluster } from "../../../adapter-k8s/src/testing/env.js";
import type { AdapterNamespace } from "../../../adapter-k8s/src/testing/setup.js";

/**
 * For the end-to-end tests on Kubernetes: the cluster port in a test's namespace, and the final
 * statuses the in-memory simulator gives an example.
 *
 * @module
 */

/**
 * The cluster port on the test cluster, in `ns` with its ServiceAccount's token; the steps of the
 * scenario's failing resources get the annotations that make kwok fail their pods.
 *
 * @example
 * ```ts
 * Effect.provide(program, namespaceCluster(admin, await adapterNamespace(adminClient, admin, "e2e"), scenario));
 * ```
 */
export const namespaceCluster = (admin: TestCluster["admin"], ns: AdapterNamespace, scenario: Scenario) =>
  layerK8s({
    server: admin.server,
    ca: admin.ca,
    token: ns.token,
    namespace: ns.namespace,
    podAnnotations: failureAnnotations(scenario),
  });

const examples = new URL("../../../../examples/", import.meta.url);

/** The text of `examples/<file>`. */
export const exampleText = (file: string): string => readFileSync(new URL(file, examples), "utf8");

/**
 * The final Dyff statuses of `examples/<file>` in the simulator, as a real-time play reports them.
 *
 * @example
 * ```ts
 * expect(played).toEqual(await simulatedFinals("quota-wait.yaml"));
 * ```
 */
export async function simulatedFinals(file: string) {
  return (await createSimulator(exampleText(file), file).run()).final
    .filter((f) => f.system === "dyff")
    .map(({ kind, id, status, reason }) => ({ kind, id, status, reason }));
}
