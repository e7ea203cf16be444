import { createKubeClient, type KubeClient } from "../client.js";
import { k8sConfigFromEnv } from "../config.js";
import type { Endpoint } from "../http.js";

/**
 * Where the integration tests find their Kubernetes API server: the variables
 * `scripts/k8s/cluster.sh env` prints. When they are unset or the server does not answer, the tests
 * FAIL (never skip) with a message that says how to run them; under CI=true the message says the run
 * should have started the cluster.
 *
 * @module
 */

const howTo = [
  "run the whole suite with ./test (it builds and starts etcd, kube-apiserver, the controllers and kwok), or:",
  '  scripts/k8s/cluster.sh start && eval "$(scripts/k8s/cluster.sh env)" && pnpm test:int',
].join("\n");

/** The test cluster: its endpoint with the administrator's token, and a client with it (setup only). */
export interface TestCluster {
  readonly admin: Endpoint;
  readonly adminClient: KubeClient;
}

/**
 * The test cluster, after checking that `/readyz` answers `ok`; throws otherwise.
 *
 * @example
 * ```ts
 * const { admin, adminClient } = await testCluster();
 * ```
 */
export async function testCluster(env: NodeJS.ProcessEnv = process.env): Promise<TestCluster> {
  const ci = env.CI === "true";
  const why = (problem: string) =>
    new Error(
      ci
        ? `Kubernetes integration tests: ${problem}. Under CI the run must start a real API server (scripts/services.sh) and export PHASEKIT_K8S_SERVER, PHASEKIT_K8S_TOKEN and PHASEKIT_K8S_CA; it did not, so these tests fail rather than skip.`
        : `Kubernetes integration tests need a real API server: ${problem}.\n${howTo}`,
    );
  let input: ReturnType<typeof k8sConfigFromEnv>;
  try {
    input = k8sConfigFromEnv(env);
  } catch (error) {
    throw why(`PHASEKIT_K8S_CA cannot be read (${(error as Error).message})`);
  }
  if (Array.isArray(input)) throw why(`${input.join(", ")} ${input.length === 1 ? "is" : "are"} not set`);
  const admin = { server: input.server, token: input.token, ca: input.ca };
  const adminClient = createKubeClient(admin, { requestTimeoutMs: 10_000 });
  let ready: unknown;
  try {
    ready = await adminClient.call("GET", "/readyz");
  } catch (error) {
    adminClient.close();
    throw why(`${input.server}/readyz does not answer (${(error as Error).message})`);
  }
  if (ready !== "ok") {
    adminClient.close();
    throw why(`${input.server}/readyz answered ${JSON.stringify(ready)}, not ok`);
  }
  return { admin, adminClient };
}
