import { Cluster, ClusterError, DecodeError } from "@phasekit/core";
import { Effect, Layer } from "effect";
import { createKubeClient, type KubeClient } from "./client.js";
import { makeKubeCluster } from "./cluster.js";
import { decodeK8sConfig, type K8sConfig, type K8sConfigInput } from "./config.js";
import { attempt } from "./errors.js";
import { crdVersion, dyffKindNames } from "./kinds.js";
import { startSessionRunner } from "./session-runner.js";

/**
 * `layerK8s(config)`: the cluster port on a real Kubernetes API server.
 *
 * @module
 */

function configOrThrow(input: K8sConfigInput): K8sConfig {
  const config = decodeK8sConfig(input);
  if (config instanceof DecodeError) throw config;
  return config;
}

/** Fails with a message that says what to do when the Dyff CRDs are not served in our group. */
const checkCrds = (client: KubeClient, config: K8sConfig) =>
  Effect.gen(function* () {
    const path = `/apis/${config.group}/${crdVersion}`;
    const discovery = yield* attempt("connect", "CustomResourceDefinition", config.group, () =>
      client.call("GET", path),
    ).pipe(
      Effect.mapError((e) =>
        e.code === "NotFound"
          ? new ClusterError({
              ...e,
              message: `the Dyff CRDs of group ${config.group} are not installed on ${config.server}: install them with installCrds() and an administrator's credentials, or kubectl apply -f manifests/crds.yaml`,
            })
          : e,
      ),
    );
    const served = new Set(
      ((discovery as { resources?: { kind?: string }[] }).resources ?? []).map((r) => r.kind),
    );
    const missing = dyffKindNames.filter((k) => !served.has(k));
    if (missing.length > 0)
      return yield* Effect.fail(
        new ClusterError({
          operation: "connect",
          kind: "CustomResourceDefinition",
          name: config.group,
          code: "NotFound",
          message: `group ${config.group} does not serve ${missing.join(", ")}: install the CRDs again (installCrds())`,
        }),
      );
  });

/**
 * The Cluster port on Kubernetes, in `config.namespace`: Dyff kinds are custom resources of
 * `config.group` (install them first: {@link installCrds}), steps are Jobs and Deployments run by
 * Kubernetes' controllers (or, with `steps: "external"`, left to whoever writes their conditions),
 * and InferenceSession steps are run by the adapter's own small controller. The configuration is
 * checked at once (a bad field throws a DecodeError naming it); building the layer checks that the
 * CRDs are served, and fails with a ClusterError if not; closing it stops every watch.
 *
 * @example
 * ```ts
 * import { layerK8s, k8sConfigFromEnv } from "@phasekit/adapter-k8s";
 * import { Cluster } from "@phasekit/core";
 * import { Effect } from "effect";
 *
 * const program = Effect.gen(function* () {
 *   const cluster = yield* Cluster;
 *   return yield* cluster.list("Evaluation");
 * });
 * const config = { server: "https://127.0.0.1:16443", token, ca, namespace: "dyff" };
 * await Effect.runPromise(program.pipe(Effect.provide(layerK8s(config))));
 * ```
 */
export function layerK8s(input: K8sConfigInput): Layer.Layer<Cluster, ClusterError> {
  const config = configOrThrow(input);
  return Layer.effect(
    Cluster,
    Effect.gen(function* () {
      const client = yield* Effect.acquireRelease(
        Effect.sync(() =>
          createKubeClient(
            { server: config.server, token: config.token, ca: config.ca },
            { requestTimeoutMs: config.requestTimeoutMs },
          ),
        ),
        (c) => Effect.sync(() => c.close()),
      );
      yield* checkCrds(client, config);
      const cluster = yield* Effect.acquireRelease(
        Effect.sync(() => makeKubeCluster(client, config)),
        (c) => Effect.promise(() => c.stop()),
      );
      if (config.steps === "kubernetes")
        yield* Effect.acquireRelease(
          Effect.sync(() => startSessionRunner(cluster)),
          (r) => Effect.promise(() => r.stop()),
        );
      return cluster.port;
    }),
  );
}
