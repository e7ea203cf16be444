import { type Phase, phaseOfOutcome } from "../../lifecycle/phase.js";
import type { StatusSpec } from "../../lifecycle/spec.js";

/**
 * Run:ai's job statuses (seed `runai-job-statuses.txt`, "Status Table" and the distributed table),
 * their end-state flag, their "Resource Allocation" column per kind, and the events between them.
 * The three machines (`training-job.ts`, `interactive-job.ts`, `distributed-job.ts`) pick from here.
 */

/** The three kinds of Run:ai job phasekit encodes (`runai submit`, `--interactive`, `submit-dist mpi`). */
export type RunaiJobType = "training" | "interactive" | "distributed";

/** The catalog kind of each job type. */
export const runaiKindOf = {
  training: "TrainingJob",
  interactive: "InteractiveJob",
  distributed: "DistributedJob",
} as const satisfies Record<RunaiJobType, string>;

export type RunaiKind = (typeof runaiKindOf)[RunaiJobType];

/** The machine status that stands for every `Init:<done>/<total>` Run:ai shows (the counts are data). */
export const INIT_PROGRESS = "Init:<done>/<total>";

/** Every status of the seed, in the seed's order, the distributed ones last. */
export const runaiStatusNames = [
  "Pending",
  "ContainerCreating",
  "Running",
  "Succeeded",
  "Terminating",
  "Deleted",
  "TimedOut",
  "Preempted",
  "ContainerCannotRun",
  "Error",
  "Fail",
  "CrashLoopBackOff",
  "ErrImagePull",
  "ImagePullBackOff",
  "Unknown",
  INIT_PROGRESS,
  "PodInitializing",
  "Init:Error",
  "Init:CrashLoopBackOff",
] as const;

export type RunaiStatus = (typeof runaiStatusNames)[number];

/** Pending's reasons, the two the seed lists: "Not enough resources", "Waiting in Queue (over-quota etc)". */
export const runaiPendingReasons = ["NotEnoughResources", "WaitingInQueue"] as const;
export type RunaiPendingReason = (typeof runaiPendingReasons)[number];

type Base = Omit<StatusSpec<RunaiPendingReason>, "columns">;
/** A status that does not end the job, in its common phase and why. */
const active = (description: string, phase: Phase, phaseRationale: string): Base => ({
  terminal: false,
  outcome: null,
  reasons: [],
  reasonRequired: false,
  description,
  phase,
  phaseRationale,
});
/** An end state: its phase is its outcome's. */
const end = (
  outcome: NonNullable<StatusSpec["outcome"]>,
  description: string,
  phaseRationale: string,
): Base => ({
  terminal: true,
  outcome,
  reasons: [],
  reasonRequired: false,
  description,
  phase: phaseOfOutcome[outcome],
  phaseRationale,
});

/** The seed's rows; descriptions are the seed's words. */
const base: Record<RunaiStatus, Base> = {
  Pending: {
    ...active(
      "Job is pending. Possible reasons: not enough resources (NotEnoughResources); waiting in queue, over-quota etc. (WaitingInQueue).",
      "Queued",
      "Both of its reasons are waits for capacity in the Run:ai scheduler's queue.",
    ),
    reasons: runaiPendingReasons,
  },
  ContainerCreating: active(
    "The Job has been scheduled; the image is being pulled from the registry.",
    "Starting",
    "Placed on a node and being prepared (Run:ai's newer workload status: Creating).",
  ),
  Running: active("Job is running successfully.", "Running", "The main container runs."),
  Succeeded: end(
    "success",
    "An unattended (training) Job has run and finished successfully (exit code 0).",
    "End state with exit code 0.",
  ),
  Terminating: active(
    "Pod is being evicted at the moment (e.g. due to an over-quota allocation). A new pod will be created shortly.",
    "Stopping",
    "The pod is being stopped; the job is not over (it waits again, or ends as Preempted or Deleted).",
  ),
  Deleted: end("deleted", "Job has been deleted.", "The Researcher deleted the job."),
  TimedOut: end(
    "early-termination",
    "Interactive Job has reached the defined timeout of the project.",
    "Ended by the project's timeout, not by the job's own success or failure.",
  ),
  Preempted: end(
    "early-termination",
    "Interactive preemptible Job has been evicted.",
    "Ended by the scheduler's eviction, not by the job itself.",
  ),
  ContainerCannotRun: end(
    "failure",
    "Container has failed to start running. This is typically a problem within the docker image itself.",
    "End state: the container cannot start and is not retried.",
  ),
  Error: active(
    "The Job has returned an exit code different than zero. It is now waiting for another run attempt (retry).",
    "Degraded",
    "A failure the platform retries: not an end state (Argo's Error of a retried node).",
  ),
  Fail: end(
    "failure",
    'Job has failed after a number of retries (according to the "--backoffLimit" field) and will not be trying again.',
    "End state: the retries are spent.",
  ),
  CrashLoopBackOff: active(
    "Interactive only: during backoff after Error, before a retry attempt to run the pod on the same node.",
    "Degraded",
    "Crashing and restarted without end: not progressing, not over (Kubernetes keeps such a pod Running).",
  ),
  ErrImagePull: active(
    "Failing to retrieve the docker image.",
    "Degraded",
    "The pull failed and is retried: not progressing, not over (Kubernetes keeps the pod Pending).",
  ),
  ImagePullBackOff: active(
    "Failing to retrieve the docker image; waiting before the next attempt.",
    "Degraded",
    "Backing off between failed pulls: not progressing, not over.",
  ),
  Unknown: end(
    "failure",
    "The Run:ai Scheduler wasn't running when the Job has finished, so how it finished is not known.",
    "Run:ai counts it an end state and phasekit its outcome a failure, so Failed, not Kubernetes' non-terminal Unknown.",
  ),
  [INIT_PROGRESS]: active(
    "The Pod has <total> init containers, and <done> have completed so far.",
    "Starting",
    "Init containers prepare the main one (Run:ai's newer workload status: Initializing).",
  ),
  PodInitializing: active(
    "The pod has finished executing its init containers. The system is creating the main 'launcher' container.",
    "Starting",
    "The main container is being created.",
  ),
  "Init:Error": active(
    "An init container has failed to execute.",
    "Degraded",
    "An init container failed and is restarted: not progressing, not over.",
  ),
  "Init:CrashLoopBackOff": active(
    "An init container has failed repeatedly to execute.",
    "Degraded",
    "Backing off between init container failures: not progressing, not over.",
  ),
};

/**
 * The seed's "Resource Allocation" column: does Run:ai allocate resources to a job in this status.
 * Only Error depends on the kind ("Yes for interactive only"). The seed leaves Init:Error and
 * Init:CrashLoopBackOff blank; phasekit reads the blank as "-" (no), as for the other non-"Yes" rows.
 *
 * @example
 * ```ts
 * runaiResourcesAllocated("interactive", "Error"); // true
 * runaiResourcesAllocated("training", "Error"); // false
 * ```
 */
export function runaiResourcesAllocated(kind: RunaiJobType, status: RunaiStatus): boolean {
  switch (status) {
    case "ContainerCreating":
    case "Running":
    case "Terminating":
    case "CrashLoopBackOff":
    case "ErrImagePull":
    case "ImagePullBackOff":
    case INIT_PROGRESS:
    case "PodInitializing":
      return true;
    case "Error":
      return kind === "interactive";
    default:
      return false;
  }
}

/** The status specs of one kind, each with its `resourcesAllocated` column. */
export function runaiStatusSpecs<S extends RunaiStatus>(
  kind: RunaiJobType,
  statuses: readonly S[],
): Record<S, StatusSpec<RunaiPendingReason>> {
  const out = {} as Record<S, StatusSpec<RunaiPendingReason>>;
  for (const s of statuses)
    out[s] = { ...base[s], columns: { resourcesAllocated: runaiResourcesAllocated(kind, s) } };
  return out;
}

/** What each event means; shared by the three machines so the reference shows one meaning per event. */
export const runaiEvents = {
  wait: "The pod waits to be scheduled; the event carries why (NotEnoughResources, WaitingInQueue) or nothing.",
  schedule:
    "The pod was bound to a node (after an Error: a new pod, possibly on another node) and its image is pulled.",
  initialize:
    "The pod runs its init containers: after scheduling, after an init image was pulled, or when an init container is restarted.",
  initDone: "Every init container has completed; the main ('launcher') container is being created.",
  initFailed: "An init container exited with a non-zero code.",
  initBackOff: "The kubelet backs off before restarting the failed init container.",
  pullFailed: "The image could not be retrieved (ErrImagePull, also InvalidImageName, ErrImageNeverPull...).",
  pullBackOff: "The kubelet backs off before pulling the image again.",
  start:
    "The main container runs: after creation, after its image was pulled, or (interactive) after a back-off, on the same node.",
  cannotRun: "The container could not be started (ContainerCannotRun, StartError, RunContainerError).",
  succeed: "The main container exited with code 0 (training and distributed jobs only).",
  crash: "The main container exited with a non-zero code.",
  backOff: "Interactive: the kubelet backs off before restarting the container on the same node.",
  retry:
    "A training job's retry: a new pod waits to be scheduled (the retry count stays below backoffLimit).",
  fail: "The job failed and will not be retried: backoffLimit retries are spent, or the Job gave up.",
  terminate:
    "The pod is being deleted: preempted by the Run:ai scheduler, evicted, or deleted by the Researcher.",
  requeue: "Preempted or evicted, the job waits in the queue again; a new pod will be created.",
  preempt:
    "An interactive preemptible job was evicted: it ends as Preempted (only preemptible jobs take this edge).",
  delete: "The Researcher deleted the job.",
  timeOut: "An interactive job reached the project's timeout.",
  finishUnobserved:
    "The job finished while the Run:ai scheduler was not running: how it finished is not known.",
} as const;

export type RunaiEvent = keyof typeof runaiEvents;
