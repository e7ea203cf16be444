import { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { Phase } from "../../lifecycle/phase.js";
import type { LifecycleSpec, StatusSpec, TransitionReasons, TransitionSpec } from "../../lifecycle/spec.js";
import { steps } from "./steps.generated.js";

/**
 * Run:ai's workload statuses, the model of its current releases (the Workloads view): nine statuses
 * with their meaning, entry and exit conditions, from Run:ai's documentation, "Workloads Overview"
 * (2.16, dated 2023-12-26) and "Managing workloads" (2.18 and later), section "Workload status".
 * The seed's job statuses (`TrainingJob`, `InteractiveJob`, `DistributedJob`) stay beside it: the
 * same Pods and Jobs derive both (`deriveRunaiWorkloadStatus`).
 */

/** Where the workload statuses come from: every value of this machine is tagged with it. */
export const RUNAI_WORKLOADS_SOURCE = "Run:ai docs 'Workload status'";

/** The Run:ai version the workload statuses apply from: the docs list all nine together, from 2.16. */
export const RUNAI_WORKLOADS_SINCE = "2.16";

/** The nine statuses, in the docs' order. */
export const runaiWorkloadStatuses = [
  "Creating",
  "Pending",
  "Initializing",
  "Running",
  "Degraded",
  "Deleting",
  "Stopped",
  "Failed",
  "Completed",
] as const;
export type RunaiWorkloadStatus = (typeof runaiWorkloadStatuses)[number];

const columns = { source: RUNAI_WORKLOADS_SOURCE, since: RUNAI_WORKLOADS_SINCE } as const;
const status = (
  description: string,
  phase: Phase,
  phaseRationale: string,
  end?: NonNullable<StatusSpec["outcome"]>,
): StatusSpec<never> => ({
  terminal: end !== undefined,
  outcome: end ?? null,
  reasons: [],
  reasonRequired: false,
  description,
  phase,
  phaseRationale,
  columns,
});

/** The docs' descriptions, entry and exit conditions in short. */
const statuses: { readonly [S in RunaiWorkloadStatus]: StatusSpec<never> } = {
  Creating: status(
    "Workload setup is initiated in the cluster; resources and pods are provisioning. Entry: the workload is submitted. Exit: a multi-pod group is created.",
    "Starting",
    "Being set up in the cluster, before any pod asks the scheduler for capacity.",
  ),
  Pending: status(
    "Workload is queued and awaiting resource allocation. Entry: a pod group exists. Exit: all pods are scheduled.",
    "Queued",
    "Waits in the Run:ai scheduler's queue for capacity.",
  ),
  Initializing: status(
    "Workload is retrieving images, starting containers, and preparing pods. Entry: all pods are scheduled. Exit: all pods are initialized, or a failure to initialize is detected.",
    "Starting",
    "Placed on nodes and being prepared.",
  ),
  Running: status(
    "Workload is in progress with all pods operational. Entry: all pods initialized (all containers ready). Exit: completion or failure.",
    "Running",
    "All pods run.",
  ),
  Degraded: status(
    "Pods may not align with specifications, network services might be incomplete, or persistent volumes may be detached. Exit: Running (all resources OK), Completed (finished with fewer resources), Failed.",
    "Degraded",
    "Not over and not fully operational.",
  ),
  Deleting: status(
    "Workload and its associated resources are being decommissioned from the cluster. Entry: deleting the workload. Exit: resources are fully deleted.",
    "Deleted",
    "The last status a workload shows: once its resources are deleted it is gone (outcome deleted).",
    "deleted",
  ),
  Stopped: status(
    "Workload is on hold; resources are intact but inactive. Entry: stopping the workload without deleting it. Exit: back to initializing (run), or deleting.",
    "Pending",
    "Resumable (Run), so not an end: it holds no capacity and asks for none until run again.",
  ),
  Failed: status(
    "Image retrieval failed or containers crashed; an error prevents the workload's successful completion. Terminal.",
    "Failed",
    "Terminal with outcome failure.",
    "failure",
  ),
  Completed: status(
    "Workload has successfully finished its execution. Terminal.",
    "Succeeded",
    "Terminal with outcome success.",
    "success",
  ),
};

/** What each event means (the docs' entry and exit conditions; `inferred` where the docs are silent). */
export const runaiWorkloadEvents = {
  create: "A multi-pod group is created: the pods wait to be scheduled.",
  schedule:
    "All pods are scheduled: images are pulled, containers start (also: a stopped workload is run again, as the docs say; a retry's new pod is placed).",
  start: "All pods are initialized: every container is ready.",
  degrade: "Pods run, but not as specified (some pods not running, containers crashing or not pulled).",
  complete: "The workload finished processing without errors (possibly with fewer resources, from Degraded).",
  fail: "An error prevents the successful completion of the workload.",
  stop: "The user stops the workload without deleting it: its pods are killed, its resources released.",
  requeue:
    "Inferred: the pods wait for the scheduler again (preempted, a retry's new pod, or a stopped workload run again).",
  delete: "The user deletes the workload (also a finished one): its resources are decommissioned.",
} as const;
export type RunaiWorkloadEvent = keyof typeof runaiWorkloadEvents;

const active = ["Creating", "Pending", "Initializing", "Running", "Degraded", "Stopped"] as const;
const transitions = [
  { event: "create", from: ["Creating"], to: "Pending", reason: null },
  {
    event: "schedule",
    from: ["Creating", "Pending", "Degraded", "Stopped"],
    to: "Initializing",
    reason: null,
  },
  { event: "start", from: ["Pending", "Initializing", "Degraded"], to: "Running", reason: null },
  { event: "degrade", from: ["Pending", "Initializing", "Running"], to: "Degraded", reason: null },
  { event: "complete", from: ["Initializing", "Running", "Degraded"], to: "Completed", reason: null },
  { event: "fail", from: active, to: "Failed", reason: null },
  {
    event: "stop",
    from: ["Creating", "Pending", "Initializing", "Running", "Degraded"],
    to: "Stopped",
    reason: null,
  },
  { event: "requeue", from: ["Initializing", "Running", "Degraded", "Stopped"], to: "Pending", reason: null },
  { event: "delete", from: [...active, "Failed", "Completed"], to: "Deleting", reason: null },
] as const satisfies readonly TransitionSpec<RunaiWorkloadStatus, never, RunaiWorkloadEvent>[];

const spec: LifecycleSpec<RunaiWorkloadStatus, never, RunaiWorkloadEvent> = {
  system: "runai",
  kind: "Workload",
  family: "workload",
  initial: { status: "Creating", reason: null },
  statuses,
  transitions,
  events: runaiWorkloadEvents,
  notes: [
    `Source of every status: ${RUNAI_WORKLOADS_SOURCE}, the table of the Workloads view in "Workloads Overview" (docs 2.16, dated 2023-12-26; https://docs.run.ai/v2.16/admin/workloads/) and "Managing workloads" (2.18 and later; https://docs.run.ai/latest/platform-admin/workloads/overviews/managing-workloads/). All nine apply from Run:ai ${RUNAI_WORKLOADS_SINCE}: the docs list them together and give no status a later version. The entry and exit conditions are the docs'; edges the docs do not list are marked inferred in the events.`,
    "Deleting is terminal here (outcome deleted): it is the last status Run:ai shows before the workload disappears, and Completed or Failed workloads can still be deleted (Completed -> Deleting, Failed -> Deleting), as Dyff's terminal statuses can be Deleted.",
    "Stopped is not terminal: the docs' exit is 'back to initializing' when the user runs the workload again (Stopped -> Initializing), or Pending when its pods must be scheduled first (requeue, inferred).",
    "Observed jumps: a poller may miss a status (Creating -> Initializing, Pending -> Running, Initializing -> Completed), so those edges are allowed.",
  ],
};

/**
 * The lifecycle of a Run:ai workload in the current releases' model (Creating, Pending, Initializing,
 * Running, Degraded, Deleting, Stopped, Failed, Completed).
 *
 * @example
 * ```ts
 * import { runai } from "@phasekit/core";
 * const w = runai.Workload.replay([{ type: "create" }, { type: "schedule" }, { type: "start" }, { type: "complete" }]);
 * ```
 */
export const runaiWorkloadLifecycle = new Lifecycle<
  RunaiWorkloadStatus,
  never,
  RunaiWorkloadEvent,
  TransitionReasons<typeof transitions, RunaiWorkloadEvent>
>(spec, steps.Workload);
