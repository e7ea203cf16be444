import { DecodeError, TransitionError } from "../../lifecycle/errors.js";
import { trustedTime } from "../../lifecycle/time.js";
import { advanceClock, checkId, isoTime, putWorkflow, type RayFailure } from "./clock.js";
import {
  RayStepIdTakenError,
  RayStepNotFoundError,
  RayWorkflowNotFoundError,
  RayWorkflowNotRunningError,
} from "./errors.js";
import {
  nextRayStepId,
  type RayStats,
  type RayStoredStep,
  type RayStoredWorkflow,
  type RayWorkflows,
} from "./metadata.js";
import { rayExecutorOf } from "./queue.js";
import { type RayStepEvent, rayStepLifecycle } from "./step.js";
import { rayStepOptions, rayStepType } from "./step-options.js";
import { rayUserMetadata } from "./user-metadata.js";
import { deriveRayWorkflowStatus } from "./workflow.js";

/**
 * The step-level operations: a running workflow submits a step (its id deduplicated by name), the
 * step starts, and it returns or raises. Steps change only while their workflow runs.
 *
 * @module
 */

/** The workflow, if it runs now; steps of a queued, finished or interrupted workflow cannot change. */
function runningWorkflow(state: RayWorkflows, workflowId: string): RayStoredWorkflow | RayFailure {
  const wf = state.storage.get(workflowId);
  if (!wf) return new RayWorkflowNotFoundError(workflowId);
  const executor = rayExecutorOf(state.queue, workflowId);
  if (executor === "RUNNING") return wf;
  const observed = deriveRayWorkflowStatus(wf.record.status, executor);
  return new RayWorkflowNotRunningError(workflowId, observed, "its steps change only while it runs.");
}

/** What `step.options(name=, metadata=, ...)` and the step's function give Ray. */
export interface RayStepSubmission {
  readonly workflowId: string;
  /** The name given with `.options(name=)`; without it, `func` names the step (Ray: `module.qualname`). */
  readonly name?: string;
  readonly func?: string;
  readonly metadata?: unknown;
  readonly options?: unknown;
  /** FUNCTION (default), ACTOR_METHOD, READONLY_ACTOR_METHOD or WAIT. */
  readonly stepType?: string;
}

/**
 * A running workflow submits a step: its name, options and user metadata are checkpointed, and it
 * gets the step id `name`, `name_1`, `name_2` ... (one counter per name per workflow). The step is
 * PENDING, with no stats, until it starts.
 *
 * @example
 * ```ts
 * const { state: next, stepId } = submitRayStep(state, {
 *   workflowId: "add_example_2", name: "add_step", metadata: { step_k: "step_v" },
 * }) as { state: RayWorkflows; stepId: string };
 * stepId; // "add_step"
 * ```
 */
export function submitRayStep(
  state: RayWorkflows,
  input: RayStepSubmission,
): { readonly state: RayWorkflows; readonly stepId: string } | RayFailure {
  const name = checkId(input.name ?? input.func, input.name === undefined ? "func" : "name");
  if (name instanceof DecodeError) return name;
  const stepType = rayStepType.safeParse(input.stepType ?? "FUNCTION");
  if (!stepType.success)
    return new DecodeError("Ray step", [
      { path: "stepType", value: input.stepType, expected: `one of ${rayStepType.options.join(", ")}` },
    ]);
  const options = rayStepOptions(stepType.data, input.options);
  if (options instanceof DecodeError) return options;
  const metadata = rayUserMetadata(input.metadata);
  if (metadata instanceof DecodeError) return metadata;
  const wf = runningWorkflow(state, input.workflowId);
  if (wf instanceof Error) return wf;
  const { id, nameCounts } = nextRayStepId(wf.nameCounts, name);
  if (wf.steps.has(id)) return new RayStepIdTakenError(wf.id, name, id);
  const step: RayStoredStep = {
    id,
    name,
    step_options: options,
    user_metadata: metadata,
    stats: {},
    record: rayStepLifecycle.initial(state.clock === null ? null : isoTime(state.clock)),
  };
  const steps = new Map(wf.steps).set(id, step);
  return { state: putWorkflow(state, { ...wf, steps, nameCounts }), stepId: id };
}

type StepInput = { readonly workflowId: string; readonly stepId: string; readonly at: number };

function moveStep(
  state: RayWorkflows,
  input: StepInput,
  event: RayStepEvent,
  stats: (before: RayStats, at: number) => RayStats,
): { readonly state: RayWorkflows } | RayFailure {
  const ticked = advanceClock(state, input.at);
  if (ticked instanceof DecodeError) return ticked;
  const wf = runningWorkflow(state, input.workflowId);
  if (wf instanceof Error) return wf;
  const step = wf.steps.get(input.stepId);
  if (!step) return new RayStepNotFoundError(wf.id, input.stepId, [...wf.steps.keys()]);
  const record = trustedTime(rayStepLifecycle.step(step.record, { type: event, at: isoTime(input.at) }));
  if (record instanceof TransitionError) return record;
  const moved = { ...step, record, stats: stats(step.stats, input.at) };
  return { state: putWorkflow(ticked, { ...wf, steps: new Map(wf.steps).set(step.id, moved) }) };
}

/**
 * The step's task begins: RUNNING, and `stats.start_time` is now.
 *
 * @example
 * ```ts
 * startRayStep(state, { workflowId: "simple", stepId: "simple", at: 101 }); // { state }
 * ```
 */
export const startRayStep = (state: RayWorkflows, input: StepInput) =>
  moveStep(state, input, "start", (_, at) => ({ start_time: at }));

/**
 * The step returned: SUCCESSFUL, and `stats.end_time` is now.
 *
 * @example
 * ```ts
 * completeRayStep(state, { workflowId: "simple", stepId: "simple", at: 102 }); // { state }
 * ```
 */
export const completeRayStep = (state: RayWorkflows, input: StepInput) =>
  moveStep(state, input, "return", (before, at) => ({ ...before, end_time: at }));

/**
 * The step raised (retries exhausted): FAILED, and no `end_time` (Ray writes post-run metadata only on success).
 *
 * @example
 * ```ts
 * failRayStep(state, { workflowId: "simple", stepId: "simple", at: 102 }); // { state }
 * ```
 */
export const failRayStep = (state: RayWorkflows, input: StepInput) =>
  moveStep(state, input, "raise", (before) => before);
