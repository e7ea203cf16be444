import * as z from "zod";
import { decode } from "../../decode.js";
import { DecodeError } from "../../lifecycle/errors.js";
import {
  RayWorkflowAlreadyActiveError,
  RayWorkflowAlreadyExecutedError,
  RayWorkflowNotFoundError,
  RayWorkflowNotResumableError,
  RayWorkflowQueueFullError,
  RayWorkflowStillActiveError,
} from "./errors.js";
import type { RayExecutorState, RayStoredWorkflowStatus } from "./workflow.js";

/**
 * The workflow management actor's bookkeeping (Ray 2.x `workflow_access.py`), pure: which workflows
 * have a live executor, running or queued, and the rules that depend on it. Storage is not here:
 * each rule takes the workflow's stored status as an argument.
 *
 * @module
 */

/** `workflow.init(max_running_workflows=, max_pending_workflows=)`; -1 means no limit, as in Ray. */
export interface RayQueueLimits {
  readonly maxRunning: number;
  readonly maxPending: number;
}

export const rayQueueLimits = z
  .object({
    maxRunning: z
      .number()
      .int("an integer")
      .refine((n) => n === -1 || n > 0, "a positive integer, or -1 for no limit")
      .default(-1),
    maxPending: z
      .number()
      .int("an integer")
      .min(-1, "a non-negative integer, or -1 for no limit")
      .default(-1),
  })
  .strict();

/** Live executors: `running` in admission order, `pending` in FIFO order. */
export interface RayQueue {
  readonly limits: RayQueueLimits;
  readonly running: readonly string[];
  readonly pending: readonly string[];
}

/**
 * An empty queue with the given limits (default: none), or a {@link DecodeError} naming the bad limit.
 *
 * @example
 * ```ts
 * const queue = rayQueue({ maxRunning: 2, maxPending: 2 });
 * rayQueue({ maxRunning: 0 }); // DecodeError: maxRunning: got 0, expected a positive integer, or -1 for no limit
 * ```
 */
export function rayQueue(limits: unknown = {}): RayQueue | DecodeError {
  const parsed = decode(rayQueueLimits, limits ?? {}, "Ray workflow queue limits");
  return parsed instanceof DecodeError ? parsed : { limits: parsed, running: [], pending: [] };
}

/**
 * Whether the id has a live executor, and which (Ray's `get_workflow_status` reads this first).
 *
 * @example
 * ```ts
 * rayExecutorOf(queue, "workflow_2"); // "PENDING"
 * ```
 */
export function rayExecutorOf(queue: RayQueue, id: string): RayExecutorState {
  if (queue.running.includes(id)) return "RUNNING";
  return queue.pending.includes(id) ? "PENDING" : null;
}

/** A submission's outcome: the slot it took, or null when a resumed workflow had already succeeded. */
export interface RayAdmission {
  readonly queue: RayQueue;
  readonly placed: RayExecutorState;
}

/**
 * Ray's `submit_workflow` and the checks `run`/`resume` make before it. An active id is refused; a
 * stored id is refused unless `resume` is asked (then a CANCELED one is not resumable, and a
 * SUCCESSFUL one has nothing left to run); a new or resumed workflow runs if a running slot is free,
 * else waits last in the FIFO queue, else the queue is full.
 *
 * @example
 * ```ts
 * const admitted = submitToRayQueue(rayQueue({ maxRunning: 1 }) as RayQueue, "wf", undefined, { resume: false });
 * // { queue: { running: ["wf"], pending: [] ... }, placed: "RUNNING" }
 * ```
 */
export function submitToRayQueue(
  queue: RayQueue,
  id: string,
  stored: RayStoredWorkflowStatus | undefined,
  { resume }: { readonly resume: boolean },
):
  | RayAdmission
  | RayWorkflowAlreadyActiveError
  | RayWorkflowAlreadyExecutedError
  | RayWorkflowNotFoundError
  | RayWorkflowNotResumableError
  | RayWorkflowQueueFullError {
  if (rayExecutorOf(queue, id) !== null) return new RayWorkflowAlreadyActiveError(id);
  if (!resume && stored !== undefined) return new RayWorkflowAlreadyExecutedError(id, stored);
  if (resume && stored === undefined) return new RayWorkflowNotFoundError(id);
  if (stored === "CANCELED") return new RayWorkflowNotResumableError(id, stored);
  if (stored === "SUCCESSFUL") return { queue, placed: null };
  const { maxRunning, maxPending } = queue.limits;
  if (maxRunning === -1 || queue.running.length < maxRunning)
    return { queue: { ...queue, running: [...queue.running, id] }, placed: "RUNNING" };
  if (maxPending === -1 || queue.pending.length < maxPending)
    return { queue: { ...queue, pending: [...queue.pending, id] }, placed: "PENDING" };
  return new RayWorkflowQueueFullError(id, maxRunning, maxPending);
}

/**
 * An executor ends (its workflow finished or was canceled). If it held a running slot, the head of
 * the pending queue takes it (FIFO), as Ray's `execute_workflow` does in its `finally`.
 *
 * @example
 * ```ts
 * releaseFromRayQueue(queue, "workflow_0"); // { queue, promoted: "workflow_2" }
 * ```
 */
export function releaseFromRayQueue(
  queue: RayQueue,
  id: string,
): { readonly queue: RayQueue; readonly promoted: string | null } {
  if (!queue.running.includes(id))
    return { queue: { ...queue, pending: queue.pending.filter((p) => p !== id) }, promoted: null };
  const running = queue.running.filter((r) => r !== id);
  const [head, ...rest] = queue.pending;
  if (head === undefined) return { queue: { ...queue, running }, promoted: null };
  return { queue: { ...queue, running: [...running, head], pending: rest }, promoted: head };
}

/**
 * A system failure (Ray shut down, the management actor died): every executor is lost.
 *
 * @example
 * ```ts
 * loseRayExecutors(queue).running; // []
 * ```
 */
export const loseRayExecutors = (queue: RayQueue): RayQueue => ({ ...queue, running: [], pending: [] });

/**
 * `workflow.cancel(id)` (ray 2.47.1 `workflow_access.py` `cancel_workflow`): a running workflow has
 * its executor cancelled (freeing its slot for the head of the queue); an inactive one is marked
 * CANCELED in storage by the caller; an unknown id is an error. A queued (PENDING) workflow is not
 * canceled at all: its executor has no running task, so `WorkflowExecutor.cancel()` cancels nothing,
 * and `cancel_workflow` then waits for the workflow's output, which comes only once the workflow has
 * been promoted and has run to its end (`queued: true`; the queue is unchanged).
 *
 * @example
 * ```ts
 * cancelInRayQueue(queue, "workflow_0", "RUNNING"); // { active: true, queued: false, queue, promoted: "workflow_2" }
 * cancelInRayQueue(queue, "workflow_2", "PENDING"); // { active: true, queued: true }
 * ```
 */
export function cancelInRayQueue(
  queue: RayQueue,
  id: string,
  stored: RayStoredWorkflowStatus | undefined,
):
  | {
      readonly active: true;
      readonly queued: false;
      readonly queue: RayQueue;
      readonly promoted: string | null;
    }
  | { readonly active: true; readonly queued: true }
  | { readonly active: false }
  | RayWorkflowNotFoundError {
  const executor = rayExecutorOf(queue, id);
  if (executor === "PENDING") return { active: true, queued: true };
  if (executor === "RUNNING") return { active: true, queued: false, ...releaseFromRayQueue(queue, id) };
  return stored === undefined ? new RayWorkflowNotFoundError(id) : { active: false };
}

/**
 * `workflow.delete(id)` is refused while the workflow runs or waits (`WorkflowStillActiveError`).
 *
 * @example
 * ```ts
 * checkRayDelete(queue, "workflow_0", "RUNNING"); // RayWorkflowStillActiveError
 * ```
 */
export function checkRayDelete(
  queue: RayQueue,
  id: string,
  stored: RayStoredWorkflowStatus | undefined,
): RayWorkflowStillActiveError | RayWorkflowNotFoundError | null {
  if (rayExecutorOf(queue, id) !== null) return new RayWorkflowStillActiveError("DELETE", id);
  return stored === undefined ? new RayWorkflowNotFoundError(id) : null;
}
