import type { StepTemplate, WorkflowPlan } from "./plans.js";
import type { StepPhase } from "./steps.js";

/**
 * A workflow plan laid out for the operator's reconcile: its steps in one list, looked at by index
 * (no Set or closure per reconcile).
 *
 * @module
 */

/**
 * A plan's steps in one list (stage by stage), with where each stage starts: made once per plan.
 *
 * @example
 * ```ts
 * flatPlan(workflowPlans.Evaluation!).stageStart; // [0, 2, 3]
 * ```
 */
export interface FlatPlan {
  readonly steps: readonly StepTemplate[];
  /** The index in `steps` of each stage's first step, and `steps.length` last. */
  readonly stageStart: readonly number[];
  /** The indexes in `steps` of the last stage's servers. */
  readonly lastServers: readonly number[];
}
const flatPlans = new WeakMap<WorkflowPlan, FlatPlan>();
/** The {@link FlatPlan} of a plan, made on its first use. */
export function flatPlan(plan: WorkflowPlan): FlatPlan {
  let flat = flatPlans.get(plan);
  if (!flat) {
    const steps = plan.stages.flatMap((s) => s.steps);
    const stageStart = [0];
    for (const stage of plan.stages) stageStart.push(stageStart.at(-1)! + stage.steps.length);
    const last = stageStart.at(-2)!;
    const lastServers = steps.flatMap((t, i) => (i >= last && t.server ? [i] : []));
    flatPlans.set(plan, (flat = { steps, stageStart, lastServers }));
  }
  return flat;
}

/**
 * Whether step `i`'s name is among the names of the steps `keep` (indexes).
 *
 * @example
 * ```ts
 * kept(["e1-session", "e1-client"], [0], 1); // false
 * ```
 */
export function kept(names: readonly string[], keep: readonly number[], i: number): boolean {
  for (const j of keep) if (names[j] === names[i]) return true;
  return false;
}

/**
 * Whether the stage of steps `from`..`to` (excluded) is done: all its jobs Complete, or (servers
 * only) all servers Available.
 *
 * @example
 * ```ts
 * stageDone(flatPlan(workflowPlans.Model!), 0, 1, ["complete"]); // true
 * ```
 */
export function stageDone(flat: FlatPlan, from: number, to: number, phases: readonly StepPhase[]): boolean {
  let jobs = false;
  for (let i = from; i < to; i++) if (!flat.steps[i]!.server) jobs = true;
  for (let i = from; i < to; i++) {
    if (jobs ? !flat.steps[i]!.server && phases[i] !== "complete" : phases[i] !== "available") return false;
  }
  return true;
}
