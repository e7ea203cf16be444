import { type RunaiEdge, runaiLifecycle } from "./edges.js";
import { INIT_PROGRESS } from "./statuses.js";
import { trainingJobEdges, trainingJobStatuses } from "./training-job.js";

/** A distributed (MPI) job's statuses: a training job's, and the four of its launcher's init stage. */
export const distributedJobStatuses = [
  ...trainingJobStatuses,
  INIT_PROGRESS,
  "PodInitializing",
  "Init:Error",
  "Init:CrashLoopBackOff",
] as const;

export type DistributedJobStatus = (typeof distributedJobStatuses)[number];

const initStages: DistributedJobStatus[] = [
  INIT_PROGRESS,
  "PodInitializing",
  "Init:Error",
  "Init:CrashLoopBackOff",
];

/** Adds `from` statuses to the training edge of an event. */
const widen = (edge: (typeof trainingJobEdges)[number], extra: DistributedJobStatus[]) =>
  [edge[0], [...edge[1], ...extra], edge[2]] as const;

const extraFrom: Partial<Record<string, DistributedJobStatus[]>> = {
  pullFailed: [INIT_PROGRESS, "PodInitializing"],
  start: ["PodInitializing", "Error"],
  cannotRun: ["PodInitializing"],
  succeed: ["PodInitializing"],
  crash: ["PodInitializing"],
  retry: ["Init:Error"],
  fail: ["PodInitializing", "Init:Error", "Init:CrashLoopBackOff"],
  // A launcher in Error is still a live pod (restartPolicy OnFailure restarts it in place), so its
  // deletion shows Terminating, as kubectl prints for any deleted pod whose phase is not terminal.
  terminate: [...initStages, "Error"],
};

/**
 * A distributed job's edges (seed, "Distributed Training (mpi) Jobs"): the launcher pod runs its init
 * containers (Init:0/N ... Init:N-1/N), then PodInitializing while the launcher container is created,
 * then Running. A failing init container shows Init:Error, then Init:CrashLoopBackOff while the
 * kubelet backs off, then Init:<done>/<total> again when it is restarted. Everything else is a
 * training job's.
 */
export const distributedJobEdges = [
  ...trainingJobEdges.map((e) => widen(e, extraFrom[e[0]] ?? [])),
  [
    "initialize",
    ["Pending", "Error", "ErrImagePull", "ImagePullBackOff", "Init:Error", "Init:CrashLoopBackOff"],
    INIT_PROGRESS,
  ],
  ["initDone", [INIT_PROGRESS], "PodInitializing"],
  ["initFailed", [INIT_PROGRESS, "Init:CrashLoopBackOff"], "Init:Error"],
  ["initBackOff", ["Init:Error"], "Init:CrashLoopBackOff"],
] as const satisfies readonly RunaiEdge<DistributedJobStatus>[];

export const distributedJobNotes = [
  "Init:<done>/<total> is one status: the counts are data on the observation (`display` in the derivation, e.g. Init:1/2), so Init:0/2 -> Init:1/2 is no transition.",
  "Init:Error and Init:CrashLoopBackOff are not end states (the page leaves End State blank; the kubelet restarts the init container) and allocate no resources (the page leaves Resource Allocation blank, read as '-').",
  "Error -> Terminating: the launcher in Error is still a pod in phase Running (restartPolicy OnFailure), so deleting it shows Terminating, as for an interactive job.",
  "Error -> Running: a launcher with restartPolicy OnFailure (which is what lets an init container back off into Init:CrashLoopBackOff) is restarted in place after an Error.",
  "Init:Error -> Pending (retry) and Init:Error -> Fail: a launcher pod whose init container failed is replaced, or the job gives up, as for a training job's Error.",
  "Image pull failures of an init container show ErrImagePull / ImagePullBackOff (Run:ai has no Init:ErrImagePull); once pulled, the pod is back in Init:<done>/<total>.",
];

/**
 * The lifecycle of a Run:ai distributed (MPI) job, as its launcher pod shows it.
 *
 * @example
 * ```ts
 * import { runai } from "@phasekit/core";
 * const r = runai.DistributedJob.replay([{ type: "initialize" }, { type: "initDone" }, { type: "start" }]);
 * ```
 */
export const distributedJobLifecycle = runaiLifecycle(
  "distributed",
  distributedJobStatuses,
  distributedJobEdges,
  distributedJobNotes,
);
