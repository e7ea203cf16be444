import { RUNAI_DEFAULT_BACKOFF_LIMIT, type RunaiJobType } from "@phasekit/core";
import { newPod, type SimJobObject, type SimPod } from "./pods.js";
import { type RunaiJobSpec, runaiScenarioKinds } from "./scenario.js";
import type { Allocation } from "./scheduler.js";

/**
 * One simulated Run:ai job: its spec, its Kubernetes objects (current pod, workers, Job), where the
 * engine is in its life, and the counters the kubelet's back-offs read.
 *
 * @module
 */

/** Where a job is: its pod waits, initialises, pulls, runs, has exited, backs off, or it has ended. */
export type JobStage =
  | "queued"
  | "init"
  | "creating"
  | "pullFailed"
  | "pullBackOff"
  | "running"
  | "exited"
  | "backOff"
  | "awaitingPod"
  | "ended";

export interface SimJob {
  readonly spec: RunaiJobSpec;
  readonly type: RunaiJobType;
  readonly backoffLimit: number;
  /** May the scheduler preempt it: training and distributed jobs always, interactive ones if preemptible. */
  readonly preemptible: boolean;
  /** GPUs of each pod that holds GPUs: the job's pod, or a distributed job's workers. */
  readonly demand: readonly number[];
  stage: JobStage;
  pod: SimPod;
  workers: SimPod[];
  /** Pods created so far (the next pod's name suffix). */
  podCount: number;
  readonly object: SimJobObject;
  allocation: Allocation[];
  inQuota: boolean;
  boundSeq: number;
  queuedSeq: number;
  /** Why its pods are being deleted, while they are. */
  terminating: "preemption" | "delete" | null;
  /** Runs that ended by themselves: the index of the next run in `spec.attempts`. */
  exits: number;
  /** Image pulls that failed so far (the job's image, on any node). */
  pullsFailed: number;
  /** The current pod's image pull back-offs and container restarts (the kubelet's back-off exponents). */
  pullBackOffs: number;
  restarts: number;
  /** When its main container first ran (an interactive job's timeout counts from there). */
  firstRun: number | null;
  /** Bumped when the job's pending timers must no longer fire (preempted, deleted, ended). */
  gen: number;
}

/** A submitted job, its first pod waiting for the scheduler. */
export function newJob(spec: RunaiJobSpec, queuedSeq: number, now: number): SimJob {
  const type = runaiScenarioKinds[spec.kind];
  const workers = type === "distributed" ? (spec.workers ?? 2) : 1;
  return {
    spec,
    type,
    backoffLimit: spec.backoffLimit ?? RUNAI_DEFAULT_BACKOFF_LIMIT,
    preemptible: type !== "interactive" || spec.preemptible === true,
    demand: Array.from({ length: workers }, () => spec.gpu),
    stage: "queued",
    pod: newPod(`${spec.id}-0`, now, type),
    workers: [],
    podCount: 1,
    object: { failures: 0, condition: null, deletion: null, unobserved: false },
    allocation: [],
    inQuota: false,
    boundSeq: 0,
    queuedSeq,
    terminating: null,
    exits: 0,
    pullsFailed: 0,
    pullBackOffs: 0,
    restarts: 0,
    firstRun: null,
    gen: 0,
  };
}

/** The job's next pod (a retry, or a preempted job back in the queue): a fresh pod, fresh back-offs. */
export function replacePod(job: SimJob, now: number, queuedSeq: number): void {
  job.pod = newPod(`${job.spec.id}-${job.podCount}`, now, job.type);
  job.podCount++;
  job.workers = [];
  job.stage = "queued";
  job.queuedSeq = queuedSeq;
  job.terminating = null;
  job.pullBackOffs = 0;
  job.restarts = 0;
}

/** The run the main container makes next: the attempt after the runs that ended, the last one repeating. */
export const nextAttempt = (job: SimJob) =>
  job.spec.attempts[Math.min(job.exits, job.spec.attempts.length - 1)]!;

/** Whether the next pull of the job's image fails. */
export const pullFails = (job: SimJob) =>
  job.spec.pullFailures === "always" || job.pullsFailed < job.spec.pullFailures;

/** The kubelet's back-off: 10s, doubling, at most 5 minutes (image pulls and container restarts). */
export const kubeletBackOff = (n: number) => Math.min(10_000 * 2 ** n, 300_000);

/** The Job controller's delay before a failed pod's replacement: 10s, doubling, at most 6 minutes. */
export const jobBackOff = (failures: number) => Math.min(10_000 * 2 ** Math.max(0, failures - 1), 360_000);

/** Stages in which the job's pod is bound to a node and may still run. */
export const boundStages: readonly JobStage[] = [
  "init",
  "creating",
  "pullFailed",
  "pullBackOff",
  "running",
  "exited",
  "backOff",
];
