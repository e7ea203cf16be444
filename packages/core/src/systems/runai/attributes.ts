import * as z from "zod";
import { DEFAULT_BACKOFF_LIMIT } from "./retry.js";

/**
 * What Run:ai knows about a job that Kubernetes objects do not say: its type, whether it is
 * preemptible, its retry budget and retries so far, and whether the Run:ai scheduler was running.
 */
export interface RunaiJobAttributes {
  readonly type: "training" | "interactive" | "distributed";
  /** Only interactive jobs use it: a preemptible one ends as Preempted when evicted. */
  readonly preemptible: boolean;
  /** Retries allowed before Fail (training and distributed jobs; a Job's `spec.backoffLimit` wins). */
  readonly backoffLimit: number;
  /** Retries already made, i.e. failed attempts before the current pod. */
  readonly retries: number;
  /** False when the Run:ai scheduler was not running when the job finished: the status is Unknown. */
  readonly schedulerRunning: boolean;
}

/**
 * Decodes attributes, filling the defaults: not preemptible, backoffLimit 6 (Kubernetes' default),
 * no retries yet, scheduler running.
 *
 * @example
 * ```ts
 * runaiJobAttributes.parse({ type: "interactive", preemptible: true });
 * ```
 */
export const runaiJobAttributes = z
  .object({
    type: z.enum(["training", "interactive", "distributed"]),
    preemptible: z.boolean().default(false),
    backoffLimit: z.number().int().nonnegative().default(DEFAULT_BACKOFF_LIMIT),
    retries: z.number().int().nonnegative().default(0),
    schedulerRunning: z.boolean().default(true),
  })
  .strict();

/**
 * The annotation (or label) keys from which `phasekit explain runai` reads attributes. Run:ai's own
 * keys are not public, so phasekit uses its own prefix; a Job's `spec.backoffLimit` and
 * `status.failed` are read from the Job itself.
 */
export const runaiAttributeKeys = {
  type: "runai.phasekit.dev/job-type",
  preemptible: "runai.phasekit.dev/preemptible",
  backoffLimit: "runai.phasekit.dev/backoff-limit",
  retries: "runai.phasekit.dev/retries",
  schedulerRunning: "runai.phasekit.dev/scheduler-running",
} as const;

/** Labels that mark an MPI launcher pod (kubeflow mpi-operator v2 and v1). */
export const mpiLauncherLabels: Readonly<Record<string, string>> = {
  "training.kubeflow.org/job-role": "launcher",
  "mpi-job-role": "launcher",
  mpi_role_type: "launcher",
};
