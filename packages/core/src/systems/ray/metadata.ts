import { DecodeError } from "../../lifecycle/errors.js";
import type { StatusRecord } from "../../lifecycle/record.js";
import { RayStepNotFoundError, RayWorkflowNotFoundError } from "./errors.js";
import { type RayQueue, rayExecutorOf, rayQueue } from "./queue.js";
import type { RayStepStatus } from "./step.js";
import type { RayStepOptions } from "./step-options.js";
import type { JsonObject } from "./user-metadata.js";
import { deriveRayWorkflowStatus, type RayStoredWorkflowStatus, type RayWorkflowStatus } from "./workflow.js";

/**
 * What Ray's workflow storage holds and what `get_status`, `get_metadata` and `list_all` read from
 * it, pure. Times are seconds since the epoch (Python's `time.time()`), passed in as data.
 *
 * @module
 */

/** Run stats: `start_time` from the pre-run checkpoint, `end_time` from the post-run one; absent until known. */
export interface RayStats {
  readonly start_time?: number;
  readonly end_time?: number;
}

/** One stored step. `name` is the name the step was given (or its function's name); `id` is deduplicated. */
export interface RayStoredStep {
  readonly id: string;
  readonly name: string;
  readonly step_options: RayStepOptions;
  readonly user_metadata: JsonObject;
  readonly stats: RayStats;
  readonly record: StatusRecord<RayStepStatus, never>;
}

/** One stored workflow. Its status record never holds NONE or RESUMABLE (the type says so). */
export interface RayStoredWorkflow {
  readonly id: string;
  readonly record: StatusRecord<RayStoredWorkflowStatus, never>;
  readonly user_metadata: JsonObject;
  readonly stats: RayStats;
  /** In submission order. */
  readonly steps: ReadonlyMap<string, RayStoredStep>;
  /** How many steps have asked for each name (Ray's `DUPLICATE_NAME_COUNTER`). */
  readonly nameCounts: ReadonlyMap<string, number>;
  /** True for a virtual actor: each method call runs the workflow again. */
  readonly actor: boolean;
}

/** Everything: the management actor's queue, the storage, and the latest time seen. */
export interface RayWorkflows {
  readonly queue: RayQueue;
  readonly storage: ReadonlyMap<string, RayStoredWorkflow>;
  /** The latest `at` any operation carried; operations may not go back in time. */
  readonly clock: number | null;
}

/**
 * An empty Ray workflow system with the queue limits of `workflow.init` (default: none).
 *
 * @example
 * ```ts
 * const state = rayWorkflows({ maxRunning: 2, maxPending: 2 });
 * ```
 */
export function rayWorkflows(limits: unknown = {}): RayWorkflows | DecodeError {
  const queue = rayQueue(limits);
  return queue instanceof DecodeError ? queue : { queue, storage: new Map(), clock: null };
}

/** `get_metadata(workflow_id)`. */
export interface RayWorkflowMetadata {
  readonly status: RayWorkflowStatus;
  readonly user_metadata: JsonObject;
  readonly stats: RayStats;
}

/** `get_metadata(workflow_id, name)`. */
export interface RayStepMetadata {
  readonly name: string;
  readonly step_options: RayStepOptions;
  readonly user_metadata: JsonObject;
  readonly stats: RayStats;
}

/**
 * The next step id for a name in one workflow: `name` the first time, then `name_1`, `name_2` ...
 * (Ray's `gen_step_id`: a counter per name, index 0 is the bare name).
 *
 * @example
 * ```ts
 * nextRayStepId(new Map([["add", 1]]), "add"); // { id: "add_1", nameCounts: Map { "add" => 2 } }
 * ```
 */
export function nextRayStepId(
  nameCounts: ReadonlyMap<string, number>,
  name: string,
): { readonly id: string; readonly nameCounts: ReadonlyMap<string, number> } {
  const index = nameCounts.get(name) ?? 0;
  return {
    id: index === 0 ? name : `${name}_${index}`,
    nameCounts: new Map(nameCounts).set(name, index + 1),
  };
}

/**
 * `workflow.get_status(id)`: the stored status seen through {@link deriveRayWorkflowStatus}, or
 * {@link RayWorkflowNotFoundError}.
 *
 * @example
 * ```ts
 * getRayStatus(state, "add_example"); // "SUCCESSFUL"
 * ```
 */
export function getRayStatus(
  state: RayWorkflows,
  workflowId: string,
): RayWorkflowStatus | RayWorkflowNotFoundError {
  const wf = state.storage.get(workflowId);
  if (!wf) return new RayWorkflowNotFoundError(workflowId);
  return deriveRayWorkflowStatus(wf.record.status, rayExecutorOf(state.queue, workflowId));
}

/**
 * `workflow.get_metadata(workflow_id, name?)`: what is known now. Without a name, the workflow's
 * `{ status, user_metadata, stats }`, its status derived exactly as {@link getRayStatus} derives it;
 * with a step id (`add`, `add_1` ...), that step's `{ name, step_options, user_metadata, stats }`.
 * `stats.end_time` is absent until the workflow or step has finished.
 *
 * @example
 * ```ts
 * getRayMetadata(state, "add_example").stats; // { start_time: 100, end_time: 101 }
 * getRayMetadata(state, "vid", "add_1").user_metadata; // { k2: "v2" }
 * ```
 */
export function getRayMetadata(
  state: RayWorkflows,
  workflowId: string,
): RayWorkflowMetadata | RayWorkflowNotFoundError;
export function getRayMetadata(
  state: RayWorkflows,
  workflowId: string,
  name: string,
): RayStepMetadata | RayWorkflowNotFoundError | RayStepNotFoundError;
export function getRayMetadata(
  state: RayWorkflows,
  workflowId: string,
  name?: string,
): RayWorkflowMetadata | RayStepMetadata | RayWorkflowNotFoundError | RayStepNotFoundError {
  const wf = state.storage.get(workflowId);
  if (!wf) return new RayWorkflowNotFoundError(workflowId, "get_metadata");
  if (name === undefined) {
    return {
      status: deriveRayWorkflowStatus(wf.record.status, rayExecutorOf(state.queue, workflowId)),
      user_metadata: structuredClone(wf.user_metadata),
      stats: { ...wf.stats },
    };
  }
  const step = wf.steps.get(name);
  if (!step) return new RayStepNotFoundError(workflowId, name, [...wf.steps.keys()]);
  return {
    name: step.name,
    step_options: structuredClone(step.step_options),
    user_metadata: structuredClone(step.user_metadata),
    stats: { ...step.stats },
  };
}

/**
 * `workflow.list_all(status_filter?)`: every stored workflow with its derived status, optionally only
 * those whose status is in the filter, in Ray 2.x's order (ray 2.47.1 `api.py`):
 *
 * - a filter of RUNNING and/or PENDING only is answered by the management actor: the running
 *   workflows first, then the pending ones;
 * - any other filter reads storage: the workflows that are not RESUMABLE, then the RESUMABLE ones
 *   that were running when their executor was lost, then those that were pending ("the workflows
 *   that was running ranks before the workflow that was pending"). `resume_all` resumes them in this
 *   order, so formerly running workflows take the free running slots first.
 *
 * Within each group, workflows keep the order they were first run (Ray's is a directory listing).
 *
 * @example
 * ```ts
 * listRayWorkflows(state, ["RESUMABLE"]); // [["was-running", "RESUMABLE"], ["was-pending", "RESUMABLE"]]
 * ```
 */
export function listRayWorkflows(
  state: RayWorkflows,
  filter?: readonly RayWorkflowStatus[],
): [string, RayWorkflowStatus][] {
  const fromActor =
    filter !== undefined && filter.length > 0 && filter.every((s) => s === "RUNNING" || s === "PENDING");
  const groups: [string, RayWorkflowStatus][][] = [[], [], []];
  for (const [id, wf] of state.storage) {
    const status = deriveRayWorkflowStatus(wf.record.status, rayExecutorOf(state.queue, id));
    if (filter && !filter.includes(status)) continue;
    const group = fromActor
      ? status === "RUNNING"
        ? 0
        : 1
      : status !== "RESUMABLE"
        ? 0
        : wf.record.status === "RUNNING"
          ? 1
          : 2;
    groups[group]!.push([id, status]);
  }
  return groups.flat();
}
