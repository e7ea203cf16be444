import { DecodeError, TransitionError } from "../../lifecycle/errors.js";
import type { StatusRecord } from "../../lifecycle/record.js";
import { trustedTime } from "../../lifecycle/time.js";
import type { RayWorkflowError } from "./errors.js";
import type { RayStoredWorkflow, RayWorkflows } from "./metadata.js";
import { type RayQueue, rayExecutorOf } from "./queue.js";
import {
  deriveRayWorkflowStatus,
  type RayStoredWorkflowStatus,
  type RayWorkflowEvent,
  rayWorkflowLifecycle,
  storableRayWorkflowStatus,
} from "./workflow.js";

/**
 * What the Ray operations share: the clock (time comes in as data and never goes back), input
 * checks, and the one way a stored workflow's status changes: through its observed status and the
 * Workflow machine.
 *
 * @module
 */

/** Any way a Ray operation can be refused. */
export type RayFailure = RayWorkflowError | TransitionError | DecodeError;

const SUBJECT = "Ray workflow operation";

/** Checks `at` (seconds since the epoch) and moves the clock to it; earlier than the clock is refused. */
export function advanceClock(state: RayWorkflows, at: unknown): RayWorkflows | DecodeError {
  if (typeof at !== "number" || !Number.isFinite(at))
    return new DecodeError(SUBJECT, [
      { path: "at", value: at, expected: "a time in seconds since the epoch (a finite number)" },
    ]);
  if (state.clock !== null && at < state.clock)
    return new DecodeError(SUBJECT, [
      {
        path: "at",
        value: at,
        expected: `a time no earlier than ${state.clock}, the latest time seen (time only moves forward)`,
      },
    ]);
  return { ...state, clock: at };
}

/** A workflow or step id: a non-empty string. */
export function checkId(value: unknown, path: string): string | DecodeError {
  return typeof value === "string" && value.length > 0
    ? value
    : new DecodeError(SUBJECT, [{ path, value, expected: "a non-empty string" }]);
}

/** `at` as the RFC 3339 text of a status record's `lastTransitionTime`. */
export const isoTime = (at: number): string => new Date(at * 1000).toISOString();

/**
 * Steps a stored workflow's status by an event of the Workflow machine. The machine is stepped from
 * the *observed* status (derived with the queue as it was before the operation, so a stored RUNNING
 * without executor is RESUMABLE), and the result must be a status storage may hold: no event the
 * operations send leads to NONE or RESUMABLE, and this is where that is enforced.
 */
export function stepStoredWorkflow(
  queueBefore: RayQueue,
  wf: RayStoredWorkflow | undefined,
  event: RayWorkflowEvent,
  at: number,
): StatusRecord<RayStoredWorkflowStatus, never> | TransitionError {
  const observed = wf
    ? { ...wf.record, status: deriveRayWorkflowStatus(wf.record.status, rayExecutorOf(queueBefore, wf.id)) }
    : rayWorkflowLifecycle.initial();
  const next = trustedTime(rayWorkflowLifecycle.step(observed, { type: event, at: isoTime(at) }));
  if (next instanceof TransitionError) return next;
  const stored = storableRayWorkflowStatus(next.status);
  if (stored === null) throw new Error(`ray: event ${event} led to ${next.status}, which is never stored`);
  return { ...next, status: stored };
}

/** The state with one workflow replaced (or added). */
export const putWorkflow = (state: RayWorkflows, wf: RayStoredWorkflow): RayWorkflows => ({
  ...state,
  storage: new Map(state.storage).set(wf.id, wf),
});
