import type { StatusSpec } from "../../lifecycle/spec.js";
import { mpiLauncherLabels, type RunaiJobAttributes } from "./attributes.js";
import { type K8sJob, type K8sPod, k8sRef, trueCondition } from "./kubernetes.js";
import { runaiLifecycleOf } from "./lifecycles.js";
import { isLivePod, runaiPodStatus } from "./pod-status.js";
import { trainingRetryDecision } from "./retry.js";
import type { RunaiRule } from "./rules.js";
import { type RunaiKind, type RunaiPendingReason, type RunaiStatus, runaiKindOf } from "./statuses.js";

/** What the derivation reads: a Kubernetes Job and its pods (or a lone pod), and the Run:ai attributes. */
export interface RunaiObservation {
  readonly job?: K8sJob | undefined;
  /** The job's pods, in any order; a lone pod is `{ pods: [pod] }`. */
  readonly pods: readonly K8sPod[];
  readonly attributes: RunaiJobAttributes;
}

/** The field that decided a status: on which object, its JSON path, its value, and the rule applied. */
export interface RunaiDecidingField {
  /** `Pod/<name>`, `Job/<name>`, or `attributes`. */
  readonly object: string;
  readonly field: string;
  readonly value: string | number | boolean | null;
  readonly rule: RunaiRule;
}

/** The Run:ai status of a job, its table columns, and why. */
export interface RunaiDerivation {
  readonly kind: RunaiKind;
  /** A status of the kind's machine. */
  readonly status: RunaiStatus;
  readonly reason: RunaiPendingReason | null;
  /** What Run:ai shows: the status, or its counts for `Init:<done>/<total>` (e.g. `Init:1/2`). */
  readonly display: string;
  /** The seed's "End State" column. */
  readonly endState: boolean;
  /** The seed's "Resource Allocation" column, for this kind. */
  readonly resourcesAllocated: boolean;
  readonly decidedBy: RunaiDecidingField;
  /** kubectl's STATUS column for the deciding pod (evidence; `null` when no pod decided). */
  readonly kubectl: string | null;
}

type Decision = Omit<RunaiDerivation, "kind" | "endState" | "resourcesAllocated" | "display"> & {
  readonly display?: string;
};

/** The machine's End State and Resource Allocation columns for a status of the kind. */
function columns(type: RunaiJobAttributes["type"], status: RunaiStatus) {
  const spec = (runaiLifecycleOf[type].spec.statuses as Partial<Record<RunaiStatus, StatusSpec>>)[status];
  return {
    endState: spec?.terminal ?? false,
    resourcesAllocated: spec?.columns?.resourcesAllocated === true,
  };
}

const launcherOf = (pod: K8sPod) =>
  Object.entries(mpiLauncherLabels).some(([k, v]) => pod.metadata.labels?.[k] === v);

/**
 * The pod that speaks for the job: for a distributed job its launcher, if labelled; then a pod that
 * may still run before one that has stopped (a retry's new pod before the failed one); then the
 * newest by `creationTimestamp`, the later in the list on a tie.
 *
 * @example
 * ```ts
 * runaiDecidingPod([failedAttempt, retryPod], "training"); // retryPod
 * ```
 */
export function runaiDecidingPod(
  pods: readonly K8sPod[],
  type: RunaiJobAttributes["type"],
): K8sPod | undefined {
  const launchers = type === "distributed" ? pods.filter(launcherOf) : [];
  const candidates = launchers.length > 0 ? launchers : pods;
  let best: K8sPod | undefined;
  for (const pod of candidates) {
    if (best === undefined) best = pod;
    else if (isLivePod(pod) !== isLivePod(best)) best = isLivePod(pod) ? pod : best;
    else if ((pod.metadata.creationTimestamp ?? "") >= (best.metadata.creationTimestamp ?? "")) best = pod;
  }
  return best;
}

function fromJob(job: K8sJob, pods: readonly K8sPod[], a: RunaiJobAttributes): Decision | undefined {
  const ref = k8sRef(job);
  const conditions = job.status?.conditions;
  const at = (index: number, rule: RunaiRule, status: RunaiStatus): Decision => ({
    status,
    reason: null,
    decidedBy: {
      object: ref,
      field: `status.conditions[${index}].type`,
      value: conditions![index]!.type,
      rule,
    },
    kubectl: null,
  });
  const done = trueCondition(conditions, "Complete") ?? trueCondition(conditions, "SuccessCriteriaMet");
  const failed = trueCondition(conditions, "Failed") ?? trueCondition(conditions, "FailureTarget");
  if (a.type !== "interactive" && done) return at(done.index, "job-complete", "Succeeded");
  if (a.type !== "interactive" && failed) return at(failed.index, "job-failed", "Fail");
  if (a.type === "interactive" && failed?.condition.reason === "DeadlineExceeded")
    return at(failed.index, "job-timed-out", "TimedOut");
  const deletion = job.metadata.deletionTimestamp;
  if (deletion) {
    const live = pods.some(isLivePod);
    return {
      status: live ? "Terminating" : "Deleted",
      reason: null,
      decidedBy: {
        object: ref,
        field: "metadata.deletionTimestamp",
        value: deletion,
        rule: live ? "job-deleting" : "job-deleted",
      },
      kubectl: null,
    };
  }
  if (pods.length > 0) return undefined;
  const suspended = trueCondition(conditions, "Suspended");
  if (job.spec.suspend === true || suspended)
    return {
      status: "Pending",
      reason: "WaitingInQueue",
      decidedBy: suspended
        ? {
            object: ref,
            field: `status.conditions[${suspended.index}].type`,
            value: "Suspended",
            rule: "job-suspended",
          }
        : { object: ref, field: "spec.suspend", value: true, rule: "job-suspended" },
      kubectl: null,
    };
  return {
    status: "Pending",
    reason: null,
    decidedBy: {
      object: ref,
      field: "status.active",
      value: job.status?.active ?? 0,
      rule: "job-without-pods",
    },
    kubectl: null,
  };
}

/**
 * Derives the status Run:ai shows for a job from its Kubernetes objects. Pure: the same objects and
 * attributes always give the same answer, so the simulator and the Kubernetes adapter share it.
 *
 * Order: the Job's own verdict (Complete, Failed, deletion, suspension, no pod yet); then the
 * deciding pod ({@link runaiDecidingPod}) read by `runaiPodStatus` (kubectl's precedence, mapped into
 * Run:ai's words). A failed training attempt is Error while the Job has not failed or, for a lone
 * pod, while `trainingRetryDecision(retries, backoffLimit)` says `retry`; then Fail. Last, an end state
 * reached while the Run:ai scheduler was not running is Unknown.
 *
 * @example
 * ```ts
 * const d = deriveRunaiStatus({ pods: [pod], attributes: runaiJobAttributes.parse({ type: "training" }) });
 * d.status; // "Running"
 * d.decidedBy.field; // "status.phase"
 * ```
 */
export function deriveRunaiStatus(observation: RunaiObservation): RunaiDerivation {
  const { job, pods, attributes: a } = observation;
  const pod = runaiDecidingPod(pods, a.type);
  let decision = job ? fromJob(job, pods, a) : undefined;
  if (decision === undefined && pod !== undefined) {
    // With a Job, its Failed condition (checked above) is the verdict; a lone pod uses the retry count.
    const onFailure = job ? "retry" : trainingRetryDecision(a.retries, a.backoffLimit);
    const v = runaiPodStatus(pod, { type: a.type, preemptible: a.preemptible, onFailure });
    decision = {
      status: v.status,
      reason: v.reason,
      display: v.display,
      decidedBy: { object: k8sRef(pod), field: v.field, value: v.value, rule: v.rule },
      kubectl: v.kubectl,
    };
  }
  decision ??= {
    status: "Pending",
    reason: null,
    decidedBy: { object: "attributes", field: "pods", value: 0, rule: "job-without-pods" },
    kubectl: null,
  };
  if (columns(a.type, decision.status).endState && !a.schedulerRunning)
    decision = {
      status: "Unknown",
      reason: null,
      decidedBy: {
        object: "attributes",
        field: "schedulerRunning",
        value: false,
        rule: "scheduler-was-down",
      },
      kubectl: decision.kubectl,
    };
  return {
    kind: runaiKindOf[a.type],
    status: decision.status,
    reason: decision.reason,
    display: decision.display ?? decision.status,
    ...columns(a.type, decision.status),
    decidedBy: decision.decidedBy,
    kubectl: decision.kubectl,
  };
}
