import { type RunaiEdge, runaiLifecycle } from "./edges.js";

/** The statuses a training job (`runai submit`) can show: no CrashLoopBackOff, TimedOut or Preempted. */
export const trainingJobStatuses = [
  "Pending",
  "ContainerCreating",
  "Running",
  "Succeeded",
  "Terminating",
  "Deleted",
  "ContainerCannotRun",
  "Error",
  "Fail",
  "ErrImagePull",
  "ImagePullBackOff",
  "Unknown",
] as const;

export type TrainingJobStatus = (typeof trainingJobStatuses)[number];

/**
 * A training job's edges (seed, "Successful Flow", "Error flow"). Success: Pending ->
 * ContainerCreating -> Running -> Succeeded. Preemption: Running -> Terminating -> Pending. An error
 * (non-zero exit) shows Error, then a new pod is scheduled, possibly on another node (Pending or
 * straight to ContainerCreating), until backoffLimit retries are spent: then Fail. Which of retry and
 * fail is taken is data (`trainingRetryDecision`), not a state: the machine allows both from Error.
 */
export const trainingJobEdges = [
  ["wait", ["Pending"], "Pending"],
  ["schedule", ["Pending", "Error"], "ContainerCreating"],
  ["pullFailed", ["ContainerCreating", "ImagePullBackOff"], "ErrImagePull"],
  ["pullBackOff", ["ErrImagePull"], "ImagePullBackOff"],
  ["start", ["ContainerCreating", "ErrImagePull", "ImagePullBackOff"], "Running"],
  ["cannotRun", ["ContainerCreating", "ErrImagePull", "ImagePullBackOff"], "ContainerCannotRun"],
  ["succeed", ["ContainerCreating", "Running"], "Succeeded"],
  ["crash", ["ContainerCreating", "Running"], "Error"],
  ["retry", ["Error"], "Pending"],
  ["fail", ["ContainerCreating", "Running", "Error"], "Fail"],
  [
    "terminate",
    ["Pending", "ContainerCreating", "Running", "ErrImagePull", "ImagePullBackOff"],
    "Terminating",
  ],
  ["requeue", ["Terminating", "Running"], "Pending"],
] as const satisfies readonly RunaiEdge<TrainingJobStatus>[];

export const trainingJobNotes = [
  "Error does not allocate resources for a training job: its pod has exited (restartPolicy Never) and the retry is a new pod, which is why the next status is Pending or ContainerCreating.",
  "Running -> Fail and ContainerCreating -> Fail: the last allowed attempt fails and the Job gives up at once; Error is shown only while a retry is still to come.",
  "Running -> Pending (requeue) without Terminating: a node-pressure eviction by the kubelet fails the pod without a deletion, so Terminating is never shown.",
];

/**
 * The lifecycle of a Run:ai training job.
 *
 * @example
 * ```ts
 * import { runai } from "@phasekit/core";
 * const r = runai.TrainingJob.replay([{ type: "schedule" }, { type: "start" }, { type: "succeed" }]);
 * ```
 */
export const trainingJobLifecycle = runaiLifecycle(
  "training",
  trainingJobStatuses,
  trainingJobEdges,
  trainingJobNotes,
);
