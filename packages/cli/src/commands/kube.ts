import {
  checkKubeCluster,
  type KubeClusterOptions,
  type KubeClusterPart,
  kubeCluster,
} from "@phasekit/runtime";
import type { Io } from "../io.js";

/**
 * `--kube`, as `serve`, `serve api` and `simulate` take it: undefined when not given; else the
 * cluster on the API server it names, once that server has answered. A bad value or a server that
 * cannot be used throws the runtime's StoreConfigError, which the CLI prints and exits 2 with.
 *
 * @example
 * ```ts
 * const cluster = await kubeFlag("/home/me/.kube/config", processIo);
 * ```
 */
export async function kubeFlag(
  value: string | undefined,
  io: Io,
  options: Omit<KubeClusterOptions, "log"> = {},
): Promise<KubeClusterPart | undefined> {
  if (value === undefined) return undefined;
  const part = await kubeCluster(value, { ...options, log: (m) => io.err(`phasekit: kubernetes: ${m}\n`) });
  await checkKubeCluster(part, value);
  return part;
}
