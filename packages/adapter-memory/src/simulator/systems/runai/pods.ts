import {
  mpiLauncherLabels,
  type RunaiContainerSketch,
  type RunaiJobType,
  type RunaiK8sCondition,
  type RunaiK8sJob,
  type RunaiObservation,
  runaiJobAttributes,
  runaiK8sJob,
  runaiPodFixture,
} from "@phasekit/core";
import { isoAt } from "../fields.js";
import type { RunaiJobSpec } from "./scenario.js";

/**
 * The Kubernetes objects of one simulated Run:ai job, as the engine writes them (scheduler, kubelet,
 * Job controller), and the observation `deriveRunaiStatus` reads from them. The engine never decides
 * a status itself: it writes pods and Jobs, and the status is whatever the derivation says they show.
 *
 * @module
 */

/** One pod of a job, as the API server holds it: its placement, phase, conditions and containers. */
export interface SimPod {
  readonly name: string;
  /** Milliseconds since the start. */
  readonly created: number;
  node: string | null;
  phase: "Pending" | "Running" | "Succeeded" | "Failed";
  reason: string | null;
  /** Milliseconds since the start, once the pod is being deleted. */
  deletion: number | null;
  /** Why the scheduler has not bound it: held back (a scheduling gate) or no room (Unschedulable). */
  unbound: "gated" | "unschedulable" | null;
  /** Set when the scheduler preempted the pod (condition DisruptionTarget). */
  disrupted: boolean;
  /** The launcher's init containers (distributed jobs); null for the other kinds. */
  init: RunaiContainerSketch[] | null;
  /** The main container; null until the pod is bound. */
  main: RunaiContainerSketch | null;
}

/** The job's own record, besides its pods: what the Job controller and Run:ai know. */
export interface SimJobObject {
  /** Failed attempts so far (a Job's `status.failed`). */
  failures: number;
  /** The Job's verdict, once there is one. */
  condition: "Complete" | "Failed" | null;
  /** Milliseconds since the start, once the Researcher deleted the job. */
  deletion: number | null;
  /** The job reached an end state while the Run:ai scheduler was not running. */
  unobserved: boolean;
}

/** A new pod of a job, not bound yet. */
export function newPod(name: string, created: number, type: RunaiJobType): SimPod {
  return {
    name,
    created,
    node: null,
    phase: "Pending",
    reason: null,
    deletion: null,
    unbound: null,
    disrupted: false,
    init: type === "distributed" ? [{ waiting: "PodInitializing" }, { waiting: "PodInitializing" }] : null,
    main: null,
  };
}

function conditions(pod: SimPod): RunaiK8sCondition[] {
  const out: RunaiK8sCondition[] = [];
  if (pod.unbound === "gated") out.push({ type: "PodScheduled", status: "False", reason: "SchedulingGated" });
  else if (pod.unbound === "unschedulable")
    out.push({ type: "PodScheduled", status: "False", reason: "Unschedulable" });
  else if (pod.node !== null) out.push({ type: "PodScheduled", status: "True" });
  if (pod.main !== null && "running" in pod.main) out.push({ type: "Ready", status: "True" });
  if (pod.disrupted) out.push({ type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler" });
  return out;
}

const restartPolicy = { training: "Never", interactive: "Always", distributed: "Never" } as const;

function podObject(spec: RunaiJobSpec, type: RunaiJobType, pod: SimPod, labels?: Record<string, string>) {
  return runaiPodFixture({
    name: pod.name,
    created: isoAt(pod.created),
    phase: pod.phase,
    ...(pod.reason !== null && { reason: pod.reason }),
    ...(pod.deletion !== null && { deletion: isoAt(pod.deletion) }),
    ...(pod.node !== null && { nodeName: pod.node }),
    restartPolicy: restartPolicy[type],
    conditions: conditions(pod),
    ...(labels && { labels }),
    ...(type !== "interactive" && { ownerJob: spec.id }),
    ...(pod.init !== null && { initTotal: pod.init.length, ...(pod.node !== null && { init: pod.init }) }),
    ...(pod.main !== null && { main: [pod.main] }),
  });
}

function jobObject(spec: RunaiJobSpec, job: SimJobObject, backoffLimit: number): RunaiK8sJob {
  const condition =
    job.condition === "Complete"
      ? [{ type: "Complete", status: "True" }]
      : job.condition === "Failed"
        ? [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }]
        : [];
  return runaiK8sJob.parse({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: spec.id,
      namespace: "runai-team",
      creationTimestamp: isoAt(spec.at),
      ...(job.deletion !== null && { deletionTimestamp: isoAt(job.deletion) }),
    },
    spec: { template: {}, backoffLimit },
    status: { failed: job.failures, conditions: condition },
  });
}

const launcherLabel = Object.fromEntries(Object.entries(mpiLauncherLabels).slice(0, 1));

/**
 * What `deriveRunaiStatus` reads for a job: training and distributed jobs are a Kubernetes Job and
 * its pods (a distributed job's launcher, labelled as such, and its running workers); an interactive
 * job is its pod alone. The attributes say the job's type, whether it is preemptible, its retry
 * budget and whether the Run:ai scheduler saw it finish.
 */
export function observationOf(
  spec: RunaiJobSpec,
  type: RunaiJobType,
  job: SimJobObject,
  pod: SimPod,
  workers: readonly SimPod[],
  backoffLimit: number,
): RunaiObservation {
  const attributes = runaiJobAttributes.parse({
    type,
    preemptible: spec.preemptible ?? false,
    backoffLimit,
    retries: job.failures,
    schedulerRunning: !job.unobserved,
  });
  if (type === "interactive") return { pods: [podObject(spec, type, pod)], attributes };
  const launcher = type === "distributed" ? launcherLabel : undefined;
  const pods = [podObject(spec, type, pod, launcher), ...workers.map((w) => podObject(spec, type, w))];
  return { job: jobObject(spec, job, backoffLimit), pods, attributes };
}
