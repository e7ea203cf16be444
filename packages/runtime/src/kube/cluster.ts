import type { K8sConfigInput } from "@phasekit/adapter-k8s";
import { type Cluster, type ClusterError, DecodeError, type NewClusterObject } from "@phasekit/core";
import { Cause, Effect, Exit, Layer } from "effect";
import { StoreConfigError } from "../stores.js";

/**
 * `--kube`: the cluster port (what the orchestrator and the operator write, what the informer
 * watches) on a real Kubernetes API server, from a kubeconfig path or, with `in-cluster`, from the
 * ServiceAccount Kubernetes mounts in a pod. The Kubernetes adapter loads only when the flag is
 * given. A value that names no usable API server is a {@link StoreConfigError} (the CLI exits 2)
 * naming the flag, the value and what was expected.
 *
 * @module
 */

/** The `--kube` value that reads the pod's ServiceAccount instead of a kubeconfig file. */
export const inCluster = "in-cluster";

/** The cluster part of a backend: its Layer and where it is, for the start-up line. */
export interface KubeClusterPart {
  readonly layer: Layer.Layer<Cluster, ClusterError>;
  readonly where: string;
  /** The API server and namespace, as read from the kubeconfig or the ServiceAccount. */
  readonly server: string;
  readonly namespace: string;
}

export interface KubeClusterOptions {
  /** The flag's name in messages (default `--kube`). */
  readonly flag?: string;
  /** Annotations on each step's pod (e.g. kwok's stage knobs, to make a step fail). */
  readonly podAnnotations?: (step: NewClusterObject) => Readonly<Record<string, string>>;
  /** Watch restarts and other recoveries of the adapter. */
  readonly log?: (message: string) => void;
  /** The environment `in-cluster` reads (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

const expected = `expected a kubeconfig file or "${inCluster}" (the pod's ServiceAccount)`;

/**
 * Reads `--kube` into the cluster part of a backend; nothing connects yet (see {@link checkKubeCluster}).
 *
 * @example
 * ```ts
 * const cluster = await kubeCluster(process.env.KUBECONFIG ?? "in-cluster");
 * await checkKubeCluster(cluster, process.env.KUBECONFIG ?? "in-cluster");
 * ```
 */
export async function kubeCluster(value: string, options: KubeClusterOptions = {}): Promise<KubeClusterPart> {
  const flag = options.flag ?? "--kube";
  if (value.trim() === "") throw new StoreConfigError(`${flag}: got "", ${expected}`);
  const k8s = await import("@phasekit/adapter-k8s");
  let input: K8sConfigInput;
  try {
    input = value === inCluster ? k8s.inClusterConfig(options.env) : k8s.loadKubeconfig(value);
  } catch (error) {
    if (error instanceof k8s.KubeconfigError)
      throw new StoreConfigError(
        `${flag}: got "${value}": ${error.message}${error.message.includes("expected") ? "" : `; ${expected}`}`,
      );
    throw error;
  }
  const config = {
    ...input,
    ...(options.podAnnotations && { podAnnotations: options.podAnnotations }),
    ...(options.log && { log: options.log }),
  };
  const decoded = k8s.decodeK8sConfig(config);
  if (decoded instanceof DecodeError)
    throw new StoreConfigError(`${flag}: got "${value}": ${decoded.message}`);
  return {
    layer: k8s.layerK8s(config),
    where: `Kubernetes ${decoded.server} namespace ${decoded.namespace}`,
    server: decoded.server,
    namespace: decoded.namespace,
  };
}

/**
 * Connects once: the API server answers and serves the Dyff CRDs to these credentials; else a
 * {@link StoreConfigError} naming the flag, the value, the server and what was expected.
 *
 * @example
 * ```ts
 * await checkKubeCluster(await kubeCluster("/home/me/.kube/config"), "/home/me/.kube/config");
 * ```
 */
export async function checkKubeCluster(part: KubeClusterPart, value: string, flag = "--kube"): Promise<void> {
  const built = await Effect.runPromiseExit(Effect.scoped(Layer.build(part.layer)));
  if (Exit.isSuccess(built)) return;
  const error = Cause.squash(built.cause);
  const why = error instanceof Error ? error.message : String(error);
  throw new StoreConfigError(
    `${flag}: got "${value}": the API server ${part.server} (namespace ${part.namespace}) cannot be used: ${why}; expected a reachable Kubernetes API server that serves the Dyff CRDs (kubectl apply -f manifests/crds.yaml of @phasekit/adapter-k8s, as an administrator) to these credentials`,
  );
}
