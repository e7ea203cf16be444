import {
  deriveRunaiStatus,
  type RunaiDecidingField,
  type RunaiDerivation,
  type RunaiObservation,
} from "./derive.js";
import { k8sRef, trueCondition } from "./kubernetes.js";
import { isLivePod } from "./pod-status.js";
import { INIT_PROGRESS, type RunaiStatus } from "./statuses.js";
import { RUNAI_WORKLOADS_SINCE, type RunaiWorkloadStatus, runaiWorkloadLifecycle } from "./workload.js";

/**
 * Every legacy (seed) job status and the workload statuses it may show in the current model: the
 * first is the default, the others need more of the objects (see `runaiWorkloadRules`). A property
 * test checks that the derivation never leaves this table.
 */
export const runaiLegacyToWorkload: {
  readonly [S in RunaiStatus]: { readonly to: readonly RunaiWorkloadStatus[]; readonly why: string };
} = {
  Pending: {
    to: ["Pending", "Creating", "Stopped"],
    why: "Waiting for the scheduler; Creating while no pod exists yet, Stopped when the Job was suspended after it had started.",
  },
  ContainerCreating: { to: ["Initializing"], why: "Scheduled; images pulled, containers starting." },
  Running: {
    to: ["Running", "Degraded"],
    why: "Degraded when another pod of the same job is not running.",
  },
  Succeeded: { to: ["Completed"], why: "Finished without errors." },
  Terminating: {
    to: ["Deleting", "Pending"],
    why: "Deleting when the workload is deleted; Pending when a pod is preempted or evicted and the job stays (the page: 'a new pod will be created shortly').",
  },
  Deleted: { to: ["Deleting"], why: "The workload's last status before it disappears." },
  TimedOut: {
    to: ["Failed"],
    why: "Inferred: the Job failed with DeadlineExceeded, an error that prevents completion.",
  },
  Preempted: {
    to: ["Pending"],
    why: "Inferred: the current model has no Preempted end; a preempted workload waits in the queue again.",
  },
  ContainerCannotRun: { to: ["Failed"], why: "The containers cannot start." },
  Error: {
    to: ["Degraded"],
    why: "A failed attempt Kubernetes retries: not over, not operational (Failed only once retries are spent).",
  },
  Fail: { to: ["Failed"], why: "Retries spent: the workload failed." },
  CrashLoopBackOff: { to: ["Degraded"], why: "A container crashes and is restarted: not operational." },
  ErrImagePull: {
    to: ["Degraded"],
    why: "Image retrieval failed and is retried (the docs' Failed names image retrieval once it is final).",
  },
  ImagePullBackOff: { to: ["Degraded"], why: "Backing off between failed pulls." },
  Unknown: {
    to: ["Failed", "Completed", "Deleting", "Pending"],
    why: "The workload model has no 'scheduler was down': the end state the objects show is mapped (Succeeded -> Completed, Deleted -> Deleting, Preempted -> Pending, the others -> Failed).",
  },
  [INIT_PROGRESS]: { to: ["Initializing"], why: "Init containers run: pods are being prepared." },
  PodInitializing: { to: ["Initializing"], why: "Init containers done; the main container is created." },
  "Init:Error": { to: ["Degraded"], why: "An init container failed and is retried." },
  "Init:CrashLoopBackOff": { to: ["Degraded"], why: "An init container keeps failing." },
};

/** Why a workload status was chosen beyond the mapping's default. */
export const runaiWorkloadRules = {
  mapped: "the legacy status's default in the current model (runaiLegacyToWorkload)",
  "no-pod-group": "no pod exists yet: the workload is being set up (Creating)",
  "job-stopped": "the Job is suspended and had started before (status.startTime): stopped, resumable",
  "pods-not-aligned": "one pod of the job runs while another live pod of it does not: Degraded",
  "pod-requeued": "a pod is preempted or evicted and the job stays: its pods wait for the scheduler again",
} as const;
export type RunaiWorkloadRule = keyof typeof runaiWorkloadRules;

/** A job's status in the current workload model, why, and the legacy derivation it refines. */
export interface RunaiWorkloadDerivation {
  readonly status: RunaiWorkloadStatus;
  readonly endState: boolean;
  /** The Run:ai version the status applies from. */
  readonly since: string;
  readonly rule: RunaiWorkloadRule;
  readonly decidedBy: Omit<RunaiDecidingField, "rule">;
  /** The seed's job status of the same objects. */
  readonly legacy: RunaiDerivation;
}

const jobStopped = (o: RunaiObservation) =>
  o.job?.spec.suspend === true && typeof o.job.status?.startTime === "string";

function refine(
  o: RunaiObservation,
  d: RunaiDerivation,
): { status: RunaiWorkloadStatus; rule: RunaiWorkloadRule; by?: Omit<RunaiDecidingField, "rule"> } {
  const rule = d.decidedBy.rule;
  if (d.status === "Pending" && jobStopped(o) && o.job)
    return {
      status: "Stopped",
      rule: "job-stopped",
      by: { object: k8sRef(o.job), field: "spec.suspend", value: true },
    };
  if (d.status === "Pending" && rule === "job-without-pods")
    return { status: "Creating", rule: "no-pod-group" };
  if (d.status === "Terminating") {
    const pod = o.pods.find((p) => p.metadata.deletionTimestamp);
    const disrupted =
      pod !== undefined && trueCondition(pod.status?.conditions, "DisruptionTarget") !== undefined;
    const jobStays = o.job !== undefined && !o.job.metadata.deletionTimestamp;
    if (jobStays || disrupted) return { status: "Pending", rule: "pod-requeued" };
  }
  if (d.status === "Running") {
    const live = o.pods.filter(isLivePod);
    const stalled = live.find((p) => p.status?.phase !== "Running");
    if (live.length > 1 && stalled)
      return {
        status: "Degraded",
        rule: "pods-not-aligned",
        by: { object: k8sRef(stalled), field: "status.phase", value: stalled.status?.phase ?? "Pending" },
      };
  }
  return { status: runaiLegacyToWorkload[d.status].to[0]!, rule: "mapped" };
}

/**
 * Derives a job's status in Run:ai's current workload model (Creating, Pending, Initializing,
 * Running, Degraded, Deleting, Stopped, Failed, Completed) from the same Pods and Jobs as the legacy
 * job status: the legacy derivation mapped by {@link runaiLegacyToWorkload}, refined where the
 * objects say more (no pod yet, a stopped Job, a requeued pod, pods out of step).
 *
 * @example
 * ```ts
 * const w = deriveRunaiWorkloadStatus({ pods: [pod], attributes: runaiJobAttributes.parse({ type: "training" }) });
 * w.status; // "Running"
 * w.legacy.status; // "Running"
 * ```
 */
export function deriveRunaiWorkloadStatus(
  observation: RunaiObservation,
  legacy: RunaiDerivation = deriveRunaiStatus(observation),
): RunaiWorkloadDerivation {
  // The workload model has no "the scheduler was down": map the end state the objects show.
  const shown =
    legacy.decidedBy.rule === "scheduler-was-down"
      ? deriveRunaiStatus({
          ...observation,
          attributes: { ...observation.attributes, schedulerRunning: true },
        })
      : legacy;
  const r = refine(observation, shown);
  const { rule: _, ...by } = shown.decidedBy;
  return {
    status: r.status,
    endState: runaiWorkloadLifecycle.isTerminal(r.status),
    since: RUNAI_WORKLOADS_SINCE,
    rule: r.rule,
    decidedBy: r.by ?? by,
    legacy,
  };
}
