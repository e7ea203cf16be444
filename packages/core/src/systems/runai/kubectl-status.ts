import { isTerminalPhase, type K8sContainerStatus, type K8sPod } from "./kubernetes.js";

/** Which step of kubectl's `printPod` produced the STATUS text. */
export type KubectlSource = "deletion" | "init" | "container" | "scheduling-gated" | "pod-reason" | "phase";

/** One container's state as the STATUS text was read from it. */
export interface KubectlContainerState {
  /** Index in `status.initContainerStatuses` or `status.containerStatuses`. */
  readonly index: number;
  /** `progress`: an init container neither failed nor waiting with a reason (kubectl's `Init:i/N`). */
  readonly state: "waiting" | "terminated" | "running" | "progress";
  /** The waiting or terminated reason (`null` when Kubernetes gave none). */
  readonly reason: string | null;
  readonly exitCode: number | null;
}

/** What `kubectl get pod` prints in its STATUS column, and exactly where it came from. */
export interface KubectlPodStatus {
  /** The text kubectl prints: `Running`, `Init:1/2`, `CrashLoopBackOff`, `ExitCode:3`, `Terminating`... */
  readonly text: string;
  readonly source: KubectlSource;
  /** JSON path of the deciding field in the pod, e.g. `status.containerStatuses[0].state.waiting.reason`. */
  readonly field: string;
  readonly value: string | number | boolean | null;
  /** Set when an init container decided: its index, state, reason, exit code, and the init count. */
  readonly init?: KubectlContainerState & { readonly total: number };
  /** Set when a main container decided. */
  readonly container?: KubectlContainerState;
}

const phaseOf = (pod: K8sPod) => pod.status?.phase ?? "Pending";

const exitText = (t: { exitCode: number; signal?: number | null | undefined }) =>
  t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;

function initStatus(pod: K8sPod): KubectlPodStatus | undefined {
  // kubectl divides by len(pod.Spec.InitContainers), not by the statuses it walks: with statuses
  // but no spec.initContainers it prints Init:0/0 (printers.go, printPod).
  const total = pod.spec.initContainers?.length ?? 0;
  const specs = new Map((pod.spec.initContainers ?? []).map((c) => [c.name, c]));
  const statuses = pod.status?.initContainerStatuses ?? [];
  for (const [index, c] of statuses.entries()) {
    const at = `status.initContainerStatuses[${index}]`;
    // A restartable init container (a sidecar) that has started does not hold initialisation back.
    if (specs.get(c.name)?.restartPolicy === "Always" && c.started === true) continue;
    const { waiting, terminated } = c.state ?? {};
    if (terminated && terminated.exitCode === 0) continue;
    if (terminated) {
      const reason = terminated.reason || null;
      return {
        text: `Init:${reason ?? exitText(terminated)}`,
        source: "init",
        field: reason ? `${at}.state.terminated.reason` : `${at}.state.terminated.exitCode`,
        value: reason ?? terminated.exitCode,
        init: { index, state: "terminated", reason, exitCode: terminated.exitCode, total },
      };
    }
    if (waiting?.reason && waiting.reason !== "PodInitializing") {
      return {
        text: `Init:${waiting.reason}`,
        source: "init",
        field: `${at}.state.waiting.reason`,
        value: waiting.reason,
        init: { index, state: "waiting", reason: waiting.reason, exitCode: null, total },
      };
    }
    return {
      text: `Init:${index}/${total}`,
      source: "init",
      field: `${at}.state`,
      value: `${index}/${total}`,
      init: { index, state: "progress", reason: waiting?.reason ?? null, exitCode: null, total },
    };
  }
  return undefined;
}

/** The first container (kubectl walks them last to first, so the first one with a reason wins). */
function containerStatus(pod: K8sPod, statuses: readonly K8sContainerStatus[]): KubectlPodStatus | undefined {
  let found: KubectlPodStatus | undefined;
  let running: number | undefined;
  for (let index = statuses.length - 1; index >= 0; index--) {
    const c = statuses[index]!;
    const at = `status.containerStatuses[${index}].state`;
    const { waiting, terminated, running: isRunning } = c.state ?? {};
    if (waiting?.reason) {
      found = {
        text: waiting.reason,
        source: "container",
        field: `${at}.waiting.reason`,
        value: waiting.reason,
        container: { index, state: "waiting", reason: waiting.reason, exitCode: null },
      };
    } else if (terminated) {
      const reason = terminated.reason || null;
      found = {
        text: reason ?? exitText(terminated),
        source: "container",
        field: reason ? `${at}.terminated.reason` : `${at}.terminated.exitCode`,
        value: reason ?? terminated.exitCode,
        container: { index, state: "terminated", reason, exitCode: terminated.exitCode },
      };
    } else if (c.ready && isRunning) running = index;
  }
  if (found?.text === "Completed" && running !== undefined) {
    const ready = pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
    return {
      text: ready ? "Running" : "NotReady",
      source: "container",
      field: `status.containerStatuses[${running}].state.running`,
      value: true,
      container: { index: running, state: "running", reason: null, exitCode: null },
    };
  }
  return found;
}

/**
 * kubectl's STATUS column for a pod (`printPod` in kubernetes `pkg/printers/internalversion`), with
 * the field that decided it. kubectl starts from the phase, overridden by `status.reason`, then by a
 * SchedulingGated condition, then by the first unfinished init container, then (unless initialising)
 * by the containers' waiting or terminated reasons; last, a deletion overrides everything while the
 * phase is not terminal ("Terminating"; "Unknown" when the node was lost).
 *
 * @example
 * ```ts
 * kubectlPodStatus(pod).text; // "CrashLoopBackOff"
 * kubectlPodStatus(pod).field; // "status.containerStatuses[0].state.waiting.reason"
 * ```
 */
export function kubectlPodStatus(pod: K8sPod): KubectlPodStatus {
  const deletion = pod.metadata.deletionTimestamp;
  if (deletion && pod.status?.reason === "NodeLost")
    return { text: "Unknown", source: "deletion", field: "metadata.deletionTimestamp", value: deletion };
  if (deletion && !isTerminalPhase(phaseOf(pod)))
    return { text: "Terminating", source: "deletion", field: "metadata.deletionTimestamp", value: deletion };

  const init = initStatus(pod);
  const initialized = pod.status?.conditions?.some((c) => c.type === "Initialized" && c.status === "True");
  if (init && !initialized) return init;
  const container = containerStatus(pod, pod.status?.containerStatuses ?? []);
  if (container) return container;
  if (init) return init;

  const conditions = pod.status?.conditions ?? [];
  const gated = conditions.findIndex((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated");
  if (gated >= 0)
    return {
      text: "SchedulingGated",
      source: "scheduling-gated",
      field: `status.conditions[${gated}].reason`,
      value: "SchedulingGated",
    };
  if (pod.status?.reason)
    return {
      text: pod.status.reason,
      source: "pod-reason",
      field: "status.reason",
      value: pod.status.reason,
    };
  return { text: phaseOf(pod), source: "phase", field: "status.phase", value: phaseOf(pod) };
}
