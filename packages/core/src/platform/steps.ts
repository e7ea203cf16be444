import type { ClusterObject, Condition } from "../ports/Cluster.js";

/**
 * The vocabulary shared by the operator and whatever runs the steps (the simulator's cluster, or
 * kwok/Kubernetes): which step objects a workflow has, how they are named and labelled, and which
 * conditions a step reports when it finishes. The operator only reads these conditions; it never
 * decides how a step ends.
 *
 * A step reports by writing ONE condition with `status: "True"`:
 * - `Complete` (a Job finished; reason e.g. `Complete`),
 * - `Failed` (a Job or a server failed; reason e.g. `BackoffLimitExceeded`, message free text),
 * - `Available` (a server step, Deployment or InferenceSession, is serving).
 *
 * @example
 * ```ts
 * // the simulator finishing an Evaluation's client job:
 * yield* cluster.writeConditions("Job", stepName("e1", "client"), job.resourceVersion, [
 *   stepCondition("Complete", "Complete", now),
 * ]);
 * ```
 *
 * @module
 */

/**
 * Condition types a step writes.
 *
 * @example
 * ```ts
 * stepConditionTypes.includes("Available"); // true
 * ```
 */
export const stepConditionTypes = ["Complete", "Failed", "Available"] as const;
export type StepConditionType = (typeof stepConditionTypes)[number];

/**
 * The object kinds of steps.
 *
 * @example
 * ```ts
 * for (const kind of stepKinds) yield* cluster.list(kind);
 * ```
 */
export const stepKinds = ["Job", "InferenceSession", "Deployment"] as const;
export type StepKind = (typeof stepKinds)[number];

/** What a step does in its workflow; the simulator picks durations and failures by role. */
export type StepRole = "session" | "client" | "verify" | "fetch" | "build" | "run" | "deployment";

/**
 * Labels on every step object.
 *
 * @example
 * ```ts
 * job.labels[stepLabels.role]; // "client"
 * ```
 */
export const stepLabels = {
  workflow: "workflows.dyff.io/workflow",
  workflowKind: "workflows.dyff.io/workflow-kind",
  role: "workflows.dyff.io/step",
} as const;

/**
 * Labels on every workflow object (set by the orchestrator).
 *
 * @example
 * ```ts
 * evaluation.labels[workflowLabels.account]; // "alice"
 * ```
 */
export const workflowLabels = {
  account: "workflows.dyff.io/account",
  kind: "workflows.dyff.io/kind",
} as const;

/** The spec of a step object. `resources` is what the step occupies on a node while it runs. */
export interface StepSpec {
  readonly workflow: { readonly kind: string; readonly id: string };
  readonly role: StepRole;
  readonly resources: { readonly gpu: number; readonly cpu: number; readonly memoryGiB: number };
}

/**
 * A step's object name: `<workflow>-<role>` (unique because entity ids are).
 *
 * @example
 * ```ts
 * stepName("e1", "client"); // "e1-client"
 * ```
 */
export const stepName = (workflow: string, role: StepRole): string => `${workflow}-${role}`;

/**
 * A step condition as a step runner writes it.
 *
 * @example
 * ```ts
 * stepCondition("Failed", "BackoffLimitExceeded", "2026-01-01T00:10:00Z", "exit code 1");
 * ```
 */
export const stepCondition = (
  type: StepConditionType,
  reason: string,
  at: string,
  message = "",
): Condition => ({ type, status: "True", reason, message, lastTransitionTime: at });

/** Where a step is, as its conditions say. A missing step is `absent`. */
export type StepPhase = "absent" | "running" | "available" | "complete" | "failed";

/**
 * The phase of a step from its conditions: Failed wins over Complete (a step that reports both has
 * failed), and either wins over Available.
 *
 * @example
 * ```ts
 * stepPhase(undefined); // "absent"
 * stepPhase(job); // "complete" once the runner wrote stepCondition("Complete", ...)
 * ```
 */
export function stepPhase(step: ClusterObject | undefined): StepPhase {
  if (!step) return "absent";
  // One pass over the conditions, no closure (a hot path: the operator asks for every step it reconciles).
  let complete = false;
  let available = false;
  for (const c of step.conditions) {
    if (c.status !== "True") continue;
    if (c.type === "Failed") return "failed";
    if (c.type === "Complete") complete = true;
    else if (c.type === "Available") available = true;
  }
  return complete ? "complete" : available ? "available" : "running";
}

/**
 * A step still holding resources: running, or a server that serves.
 *
 * @example
 * ```ts
 * stepActive(stepPhase(session)); // true while it serves
 * ```
 */
export const stepActive = (phase: StepPhase): boolean => phase === "running" || phase === "available";
