import { type KubectlPodStatus, kubectlPodStatus } from "./kubectl-status.js";
import { isTerminalPhase, type K8sPod, trueCondition } from "./kubernetes.js";
import type { RunaiRule } from "./rules.js";
import { INIT_PROGRESS, type RunaiJobType, type RunaiPendingReason, type RunaiStatus } from "./statuses.js";

/** What one pod says, in Run:ai's words, and the field that said it. */
export interface RunaiPodVerdict {
  readonly status: RunaiStatus;
  readonly reason: RunaiPendingReason | null;
  /** What Run:ai displays: the status, or the counts for `Init:<done>/<total>` (e.g. `Init:1/2`). */
  readonly display: string;
  readonly field: string;
  readonly value: string | number | boolean | null;
  readonly rule: RunaiRule;
  /** kubectl's STATUS column for the pod: evidence, not a status. */
  readonly kubectl: string;
}

/** How the pod is read: the job's type and, for a failed attempt, whether a retry remains. */
export interface RunaiPodContext {
  readonly type: RunaiJobType;
  readonly preemptible: boolean;
  /** For a failed training/distributed attempt: `retry` shows Error, `fail` shows Fail. */
  readonly onFailure: "retry" | "fail";
}

/** Pod reasons set when a pod is evicted or preempted (kubelet, scheduler, node shutdown). */
const evictionReasons = new Set(["Evicted", "Preempting", "Terminated", "Shutdown", "NodeShutdown"]);
/** Waiting reasons meaning "the image cannot be retrieved"; ImagePullBackOff is its own status. */
const imageErrors = new Set([
  "ErrImagePull",
  "ImageInspectError",
  "ErrImageNeverPull",
  "InvalidImageName",
  "RegistryUnavailable",
  "SignatureValidationFailed",
]);
/** Waiting and terminated reasons meaning "the container could not be started". */
const cannotRun = new Set([
  "ContainerCannotRun",
  "StartError",
  "RunContainerError",
  "CreateContainerError",
  "PreStartHookError",
  "PostStartHookError",
]);
/** Waiting reasons meaning "not started yet", for which ContainerCreating is what Run:ai shows. */
const creating = new Set(["ContainerCreating", "CreateContainerConfigError", "PodInitializing"]);
/** Terminated reasons whose exit code tells success from failure. */
const exited = new Set([
  "Completed",
  "Error",
  "OOMKilled",
  "ContainerStatusUnknown",
  "DeadlineExceeded",
  "Evicted",
]);

type Verdict = Omit<RunaiPodVerdict, "kubectl" | "display" | "field" | "value"> & {
  readonly field?: string;
  readonly value?: string | number | boolean | null;
};
const is = (status: RunaiStatus, rule: RunaiRule, reason: RunaiPendingReason | null = null): Verdict => ({
  status,
  reason,
  rule,
});

/** A failed attempt: Error, or Fail once retries are spent; an interactive job always shows Error. */
function failed(ctx: RunaiPodContext): Verdict {
  if (ctx.type === "interactive") return is("Error", "exited-non-zero");
  return ctx.onFailure === "fail" ? is("Fail", "backoff-limit-reached") : is("Error", "retry-pending");
}

/**
 * An attempt that exited with code 0: Succeeded for training and distributed jobs. An interactive job
 * never succeeds, and exit 0 is not an Error, so not CrashLoopBackOff either (the seed's
 * CrashLoopBackOff is the back-off "after Error"): while the pod runs (restartPolicy Always) the
 * kubelet restarts the container in place and the job is still Running; a pod in phase Succeeded is
 * never restarted, and its controller (a StatefulSet or Run:ai's own, for an interactive job) creates
 * a new pod, which waits to be scheduled: Pending.
 */
function succeeded(pod: K8sPod, ctx: RunaiPodContext): Verdict {
  if (ctx.type !== "interactive") return is("Succeeded", "exited-zero");
  return pod.status?.phase === "Succeeded"
    ? { ...is("Pending", "interactive-pod-succeeded"), field: "status.phase", value: "Succeeded" }
    : is("Running", "interactive-exited-zero");
}

function waiting(reason: string, ctx: RunaiPodContext): Verdict {
  if (reason === "PodInitializing" && ctx.type === "distributed")
    return is("PodInitializing", "waiting-reason");
  if (creating.has(reason)) return is("ContainerCreating", "waiting-reason");
  if (reason === "CrashLoopBackOff")
    return ctx.type === "interactive"
      ? is("CrashLoopBackOff", "waiting-reason")
      : is("Error", "waiting-reason");
  if (reason === "ImagePullBackOff") return is("ImagePullBackOff", "waiting-reason");
  if (imageErrors.has(reason)) return is("ErrImagePull", "waiting-reason");
  if (cannotRun.has(reason)) return is("ContainerCannotRun", "cannot-run");
  return is("ContainerCreating", "unknown-waiting-reason");
}

function terminated(pod: K8sPod, reason: string | null, exitCode: number, ctx: RunaiPodContext): Verdict {
  if (reason !== null && cannotRun.has(reason)) return is("ContainerCannotRun", "cannot-run");
  const verdict = exitCode === 0 ? succeeded(pod, ctx) : failed(ctx);
  // A rule that already names its own evidence (the interactive pod's phase) keeps it.
  if (verdict.field !== undefined) return verdict;
  return reason === null || exited.has(reason) ? verdict : { ...verdict, rule: "unknown-terminated-reason" };
}

function init(
  k: KubectlPodStatus & { init: NonNullable<KubectlPodStatus["init"]> },
  ctx: RunaiPodContext,
): Verdict {
  const { state, reason } = k.init;
  const distributed = ctx.type === "distributed";
  const progress = distributed
    ? is(INIT_PROGRESS, "init-progress")
    : is("ContainerCreating", "init-progress");
  if (state === "terminated") return distributed ? is("Init:Error", "init-failed") : failed(ctx);
  if (state === "progress" || reason === null) return progress;
  if (reason === "CrashLoopBackOff")
    return distributed ? is("Init:CrashLoopBackOff", "init-crash-loop") : waiting(reason, ctx);
  if (reason === "ImagePullBackOff") return is("ImagePullBackOff", "init-image");
  if (imageErrors.has(reason)) return is("ErrImagePull", "init-image");
  return { ...progress, rule: "init-unknown-waiting-reason" };
}

/** The Pending reason the scheduler gave: Unschedulable means no node has enough resources. */
function pending(pod: K8sPod): Verdict {
  const conditions = pod.status?.conditions ?? [];
  const index = conditions.findIndex(
    (c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable",
  );
  if (index < 0) return is("Pending", "pod-phase");
  return {
    ...is("Pending", "unschedulable", "NotEnoughResources"),
    field: `status.conditions[${index}].reason`,
    value: "Unschedulable",
  };
}

/** Run:ai's end-of-life signals, which kubectl does not render: eviction, deadline, finished deletion. */
function endOfLife(pod: K8sPod, ctx: RunaiPodContext): Verdict | undefined {
  const phase = pod.status?.phase;
  const reason = pod.status?.reason ?? null;
  const disruption = trueCondition(pod.status?.conditions, "DisruptionTarget");
  if (phase === "Failed" && ((reason !== null && evictionReasons.has(reason)) || disruption)) {
    const field = disruption ? `status.conditions[${disruption.index}].type` : "status.reason";
    const value = disruption ? "DisruptionTarget" : reason;
    const preempted = ctx.type === "interactive" && ctx.preemptible;
    return {
      ...is(preempted ? "Preempted" : "Pending", preempted ? "evicted-preempted" : "evicted-requeued"),
      field,
      value,
    };
  }
  if (phase === "Failed" && reason === "DeadlineExceeded") {
    const verdict = ctx.type === "interactive" ? is("TimedOut", "pod-timed-out") : failed(ctx);
    return { ...verdict, field: "status.reason", value: reason };
  }
  const deletion = pod.metadata.deletionTimestamp;
  if (deletion && (phase === "Failed" || (phase === "Succeeded" && ctx.type === "interactive")))
    return { ...is("Deleted", "pod-deleted"), field: "metadata.deletionTimestamp", value: deletion };
  return undefined;
}

/**
 * Run:ai's status for one pod of a job: its end-of-life signals first (eviction, deadline, finished
 * deletion: Run:ai's own statuses, which kubectl does not show), then kubectl's STATUS column in its
 * own precedence (deletion, init containers, containers, scheduling gate, pod reason, phase), mapped
 * into Run:ai's vocabulary for the job's type.
 *
 * @example
 * ```ts
 * runaiPodStatus(pod, { type: "interactive", preemptible: false, onFailure: "retry" }).status; // "Running"
 * ```
 */
export function runaiPodStatus(pod: K8sPod, ctx: RunaiPodContext): RunaiPodVerdict {
  const k = kubectlPodStatus(pod);
  const v = endOfLife(pod, ctx) ?? fromKubectl(pod, k, ctx);
  // kubectl prints Init:<reason> for a waiting init container; Run:ai's Init status shows the counts.
  const display = v.status === INIT_PROGRESS && k.init ? `Init:${k.init.index}/${k.init.total}` : v.status;
  return { ...v, display, field: v.field ?? k.field, value: v.value ?? k.value, kubectl: k.text };
}

function fromKubectl(pod: K8sPod, k: KubectlPodStatus, ctx: RunaiPodContext): Verdict {
  if (k.source === "deletion")
    return k.text === "Unknown" ? is("Terminating", "node-lost") : is("Terminating", "pod-terminating");
  if (k.init) return init({ ...k, init: k.init }, ctx);
  if (k.container) {
    const { state, reason, exitCode } = k.container;
    if (state === "running") return is("Running", "completed-with-running");
    if (state === "waiting") return waiting(reason ?? "", ctx);
    return terminated(pod, reason, exitCode ?? 0, ctx);
  }
  if (k.source === "scheduling-gated") return is("Pending", "scheduling-gated", "WaitingInQueue");
  const byPhase = phase(pod, ctx);
  return k.source === "pod-reason" && byPhase.rule === "pod-phase"
    ? { ...byPhase, rule: "pod-reason-by-phase" }
    : byPhase;
}

function phase(pod: K8sPod, ctx: RunaiPodContext): Verdict {
  switch (pod.status?.phase ?? "Pending") {
    case "Pending":
      return pending(pod);
    case "Running":
      return is("Running", "pod-phase");
    case "Succeeded":
      return succeeded(pod, ctx);
    case "Failed":
      return failed(ctx);
    default:
      return lastKnown(pod);
  }
}

/**
 * Phase Unknown: the pod's node stopped reporting, so its last reported state is kept. kubectl has
 * already shown any waiting or terminated reason (those decide before the phase); what is left is a
 * container last seen running (Running), or none started yet: ContainerCreating when the pod is
 * bound to a node, Pending when it is not.
 */
function lastKnown(pod: K8sPod): Verdict {
  const statuses = pod.status?.containerStatuses ?? [];
  const running = statuses.findIndex((c) => c.state?.running != null);
  if (running >= 0)
    return {
      ...is("Running", "pod-phase-unknown"),
      field: `status.containerStatuses[${running}].state.running`,
      value: true,
    };
  const node = pod.spec.nodeName;
  if (node)
    return {
      ...is("ContainerCreating", "pod-phase-unknown-not-started"),
      field: "spec.nodeName",
      value: node,
    };
  return is("Pending", "pod-phase-unknown-unscheduled");
}

/** Whether a pod may still run (its phase is not Succeeded or Failed). */
export const isLivePod = (pod: K8sPod) => !isTerminalPhase(pod.status?.phase);
