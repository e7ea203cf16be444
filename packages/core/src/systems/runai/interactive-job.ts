import { type RunaiEdge, runaiLifecycle } from "./edges.js";

/** The statuses an interactive job (`runai submit --interactive`) can show: never Succeeded nor Fail. */
export const interactiveJobStatuses = [
  "Pending",
  "ContainerCreating",
  "Running",
  "Terminating",
  "Deleted",
  "TimedOut",
  "Preempted",
  "ContainerCannotRun",
  "Error",
  "CrashLoopBackOff",
  "ErrImagePull",
  "ImagePullBackOff",
  "Unknown",
] as const;

export type InteractiveJobStatus = (typeof interactiveJobStatuses)[number];

/**
 * An interactive job's edges (seed). It never reaches Succeeded: the Researcher closes it (Deleted),
 * the project's timeout ends it (TimedOut, from any non-terminal status), or, when it is preemptible,
 * an eviction does (Preempted). An error shows Error, then CrashLoopBackOff, then a retry on the same
 * node, with no limit: there is no Fail.
 *
 * `preemptible` is a flag of the job, not a second machine: the Preempted edge is in this machine and
 * only a preemptible job takes it (`deriveRunaiStatus` never yields Preempted for a job that is not,
 * and a property test proves it). A non-preemptible job that is evicted (a node drain) goes back to
 * Pending.
 */
export const interactiveJobEdges = [
  ["wait", ["Pending"], "Pending"],
  ["schedule", ["Pending"], "ContainerCreating"],
  ["pullFailed", ["ContainerCreating", "ImagePullBackOff"], "ErrImagePull"],
  ["pullBackOff", ["ErrImagePull"], "ImagePullBackOff"],
  ["start", ["ContainerCreating", "ErrImagePull", "ImagePullBackOff", "CrashLoopBackOff"], "Running"],
  [
    "cannotRun",
    ["ContainerCreating", "ErrImagePull", "ImagePullBackOff", "CrashLoopBackOff"],
    "ContainerCannotRun",
  ],
  ["crash", ["ContainerCreating", "Running", "CrashLoopBackOff"], "Error"],
  ["backOff", ["Error", "Running"], "CrashLoopBackOff"],
  [
    "terminate",
    [
      "Pending",
      "ContainerCreating",
      "Running",
      "ErrImagePull",
      "ImagePullBackOff",
      "Error",
      "CrashLoopBackOff",
    ],
    "Terminating",
  ],
  ["requeue", ["Terminating", "Running"], "Pending"],
  ["replace", ["ContainerCreating", "Running", "CrashLoopBackOff"], "Pending"],
  ["preempt", ["Terminating", "Running"], "Preempted"],
] as const satisfies readonly RunaiEdge<InteractiveJobStatus>[];

export const interactiveJobNotes = [
  "Error allocates resources for an interactive job: the pod keeps its node (restartPolicy Always) and the container is restarted there.",
  "Running -> CrashLoopBackOff: the kubelet backs off within moments of a crash, so the Error between them may never be observed. A container that exits with code 0 is not an Error: in a running pod it is restarted in place and the job stays Running; a pod that ended in phase Succeeded is replaced by a new one (replace -> Pending).",
  "CrashLoopBackOff -> Error: a restarted container that fails again before its running state is reported.",
  "Running -> Pending and Running -> Preempted: a node-pressure eviction by the kubelet fails the pod without a deletion, so Terminating is never shown.",
];

/**
 * The lifecycle of a Run:ai interactive job (preemptible or not).
 *
 * @example
 * ```ts
 * import { runai } from "@phasekit/core";
 * const r = runai.InteractiveJob.replay([{ type: "schedule" }, { type: "start" }, { type: "delete" }]);
 * ```
 */
export const interactiveJobLifecycle = runaiLifecycle(
  "interactive",
  interactiveJobStatuses,
  interactiveJobEdges,
  interactiveJobNotes,
);
