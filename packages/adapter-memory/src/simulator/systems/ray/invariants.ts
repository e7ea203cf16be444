import {
  type RayWorkflows,
  rayStepLifecycle,
  rayStoredWorkflowStatus,
  rayWorkflowLifecycle,
} from "@phasekit/core";
import type { InvariantResult } from "../../invariants.js";
import type { TimelineEntry } from "../../timeline.js";
import { invariant as result } from "../fields.js";
import { machinePaths } from "../paths.js";

/**
 * Ray's invariants (issue 6): the queue limits hold, RESUMABLE is never stored, stats are
 * consistent, and every status sequence the timeline shows is a path of the Workflow (or Step)
 * machine. `checkRayState` runs after every action of the engine; the rest at the end of a run.
 *
 * @module
 */

const stored = new Set<string>(rayStoredWorkflowStatus.options);

/**
 * What is wrong with a Ray state now: a queue over its limits, a stored status that storage may not
 * hold (NONE, RESUMABLE), an `end_time` before its `start_time` or on a workflow that runs or waits.
 *
 * @example
 * ```ts
 * checkRayState(engine.state); // [] when all is well
 * ```
 */
export function checkRayState(state: RayWorkflows): string[] {
  const problems: string[] = [];
  const { limits, running, pending } = state.queue;
  if (limits.maxRunning !== -1 && running.length > limits.maxRunning)
    problems.push(`${running.length} workflows run, more than max_running_workflows ${limits.maxRunning}`);
  if (limits.maxPending !== -1 && pending.length > limits.maxPending)
    problems.push(`${pending.length} workflows wait, more than max_pending_workflows ${limits.maxPending}`);
  for (const [id, wf] of state.storage) {
    if (!stored.has(wf.record.status)) problems.push(`${id} is stored as ${wf.record.status}`);
    const { start_time: start, end_time: end } = wf.stats;
    // A resume clears end_time; a CANCELED workflow keeps the end_time of a run that had ended before.
    if (end !== undefined && (wf.record.status === "RUNNING" || wf.record.status === "PENDING"))
      problems.push(`${id} has an end_time but is stored as ${wf.record.status}`);
    if (end !== undefined && (start === undefined || end < start))
      problems.push(`${id}'s end_time ${end} is not after its start_time ${start}`);
    for (const [stepId, step] of wf.steps)
      if (step.stats.end_time !== undefined && step.record.status !== "SUCCESSFUL")
        problems.push(`step ${id}/${stepId} has an end_time but is ${step.record.status}`);
  }
  return problems;
}

/** Ray's end-of-run invariants, from the engine's breaches, errors and timeline. */
export function rayInvariants(run: {
  readonly breaches: readonly string[];
  readonly errors: readonly string[];
  readonly timeline: readonly TimelineEntry[];
}): InvariantResult[] {
  const ray = run.timeline.filter((e) => e.system === "ray");
  const of = (kind: string) => ray.filter((e) => e.kind === kind);
  const queue = run.breaches.filter((b) => b.includes("max_"));
  const storage = run.breaches.filter((b) => !b.includes("max_"));
  return [
    result(
      "ray: the queue limits (max_running_workflows, max_pending_workflows) held at every instant",
      queue,
    ),
    result("ray: RESUMABLE (and NONE) is never stored, and stats are consistent", storage),
    result(
      "ray: every workflow and step status sequence is a path of its machine (RESUMABLE only after a system failure)",
      [
        ...machinePaths(of("Workflow"), () => rayWorkflowLifecycle),
        ...machinePaths(of("Step"), () => rayStepLifecycle),
      ],
    ),
    result("ray: every operation the script called was accepted where it had to be", run.errors),
  ];
}
