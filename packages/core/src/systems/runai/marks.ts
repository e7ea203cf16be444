import type { RunaiJobType } from "./statuses.js";

/**
 * What Run:ai itself writes on the objects of a job, from which phasekit reads the job's type when
 * neither `--type` nor phasekit's own annotation says it. Only marks Run:ai documents publicly:
 *
 * - Owner references to Run:ai's workload resources (API group `run.ai`, docs "Submit a Run:ai Job
 *   via YAML" and the Cluster API pages): `TrainingWorkload`, `InteractiveWorkload`,
 *   `DistributedWorkload` (run.ai/v2alpha1), and `RunaiJob` (run.ai/v1), the resource behind both
 *   `runai submit` and `runai submit --interactive`.
 * - The priority class Run:ai gives a workload, as the pod's `spec.priorityClassName` or the
 *   `priorityClassName` label (docs "Submit a Run:ai Job via YAML": `build` is the same as
 *   `--interactive`; docs "Workload priority control": `build`, `train`, `interactive-preemptible`,
 *   `inference`). `interactive-preemptible` also says preemptible.
 *
 * Owner kinds outrank priority classes: a priority class is a scheduling choice a user may give any
 * workload (an Argo pipeline's CPU stage may run as `interactive-preemptible`), a workload kind is not.
 */

/** Run:ai's workload kinds and the job type each is. */
export const runaiWorkloadKinds: Readonly<Record<string, RunaiJobType>> = {
  TrainingWorkload: "training",
  InteractiveWorkload: "interactive",
  DistributedWorkload: "distributed",
};

/** Run:ai's priority classes that name a job type (`inference` names none phasekit models). */
export const runaiPriorityClasses: Readonly<
  Record<string, { readonly type: RunaiJobType; readonly preemptible?: boolean }>
> = {
  train: { type: "training" },
  build: { type: "interactive", preemptible: false },
  "interactive-preemptible": { type: "interactive", preemptible: true },
};

/** An object as the marks are read from it: its `Kind/name`, metadata and (for a pod) spec. */
export interface MarkedObject {
  readonly ref: string;
  readonly metadata: {
    readonly labels?: Readonly<Record<string, string>> | null | undefined;
    readonly ownerReferences?:
      | readonly { readonly apiVersion: string; readonly kind: string; readonly name: string }[]
      | null
      | undefined;
  };
  readonly priorityClassName?: string | null | undefined;
}

/** A job type read from Run:ai's marks, and where: the object, the field and its value. */
export interface RunaiMark {
  readonly type: RunaiJobType;
  readonly preemptible?: boolean;
  readonly object: string;
  readonly field: string;
  readonly value: string;
}

const isRunai = (apiVersion: string) => apiVersion === "run.ai" || apiVersion.startsWith("run.ai/");

function byPriorityClass(objects: readonly MarkedObject[]): RunaiMark | undefined {
  for (const o of objects) {
    const fromSpec = o.priorityClassName ?? undefined;
    const fromLabel = o.metadata.labels?.priorityClassName;
    for (const [field, value] of [
      ["spec.priorityClassName", fromSpec],
      ['metadata.labels["priorityClassName"]', fromLabel],
    ] as const) {
      const known = value === undefined ? undefined : runaiPriorityClasses[value];
      if (known && value !== undefined) return { ...known, object: o.ref, field, value };
    }
  }
  return undefined;
}

/**
 * The job type Run:ai's own marks give a job's objects (its Job and pods), first found wins: an owner
 * reference to a Run:ai workload kind, then Run:ai's priority class. A `RunaiJob` owner is training
 * unless a priority class says interactive. `undefined` when no object carries a mark.
 *
 * @example
 * ```ts
 * runaiMarkOf([{ ref: "Pod/p", metadata: { ownerReferences: [
 *   { apiVersion: "run.ai/v2alpha1", kind: "InteractiveWorkload", name: "ws" }] } }]);
 * // { type: "interactive", object: "Pod/p", field: "metadata.ownerReferences[0].kind", value: "InteractiveWorkload" }
 * ```
 */
export function runaiMarkOf(objects: readonly MarkedObject[]): RunaiMark | undefined {
  let runaiJob: RunaiMark | undefined;
  for (const o of objects) {
    for (const [i, r] of (o.metadata.ownerReferences ?? []).entries()) {
      if (!isRunai(r.apiVersion)) continue;
      const field = `metadata.ownerReferences[${i}].kind`;
      const type = runaiWorkloadKinds[r.kind];
      if (type !== undefined) return { type, object: o.ref, field, value: r.kind };
      if (r.kind === "RunaiJob") runaiJob ??= { type: "training", object: o.ref, field, value: r.kind };
    }
  }
  const priority = byPriorityClass(objects);
  if (runaiJob === undefined) return priority;
  return priority?.type === "interactive" ? priority : runaiJob;
}
