import { DecodeError } from "../../lifecycle/errors.js";
import { advanceClock, type RayFailure } from "./clock.js";
import { listRayWorkflows, type RayWorkflows } from "./metadata.js";
import type { RayWorkflowStatus } from "./workflow.js";
import { resumeRayWorkflow } from "./workflow-ops.js";

/** What `resumeAllRayWorkflows` did: each resumed workflow with the status it has now, in resume order. */
export interface RayResumeAllResult {
  readonly state: RayWorkflows;
  readonly resumed: readonly (readonly [string, RayWorkflowStatus])[];
}

/**
 * `workflow.resume_all(include_failed=False)` (ray 2.47.1 `api.py`): resumes every RESUMABLE
 * workflow, and every FAILED one too with `includeFailed`, in the order `list_all` gives them: the
 * FAILED ones, then the RESUMABLE ones that were running when their executor was lost, then those
 * that were pending. Each is resubmitted in that order, so with `max_running_workflows` set the
 * formerly running workflows take the free running slots and the formerly pending ones queue behind
 * them. All or nothing: if one cannot be resumed (the queue is full), the error is returned and
 * nothing changes (Ray raises after having resubmitted the earlier ones).
 *
 * @example
 * ```ts
 * const { resumed } = resumeAllRayWorkflows(afterRestart, { at: 500 }) as RayResumeAllResult;
 * // [["was-running", "RUNNING"], ["was-pending", "PENDING"]] with max_running_workflows=1
 * ```
 */
export function resumeAllRayWorkflows(
  state: RayWorkflows,
  input: { readonly at: number; readonly includeFailed?: boolean },
): RayResumeAllResult | RayFailure {
  const filter: RayWorkflowStatus[] = input.includeFailed === true ? ["RESUMABLE", "FAILED"] : ["RESUMABLE"];
  let next = advanceClock(state, input.at);
  if (next instanceof DecodeError) return next;
  const resumed: (readonly [string, RayWorkflowStatus])[] = [];
  for (const [id] of listRayWorkflows(state, filter)) {
    const r = resumeRayWorkflow(next, { workflowId: id, at: input.at });
    if (r instanceof Error) return r;
    next = r.state;
    resumed.push([id, r.status]);
  }
  return { state: next, resumed };
}
