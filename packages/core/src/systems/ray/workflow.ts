import * as z from "zod";
import { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { Phase } from "../../lifecycle/phase.js";
import type { LifecycleSpec, StatusSpec } from "../../lifecycle/spec.js";
import { steps } from "./steps.generated.js";

/**
 * Ray Workflows' `WorkflowStatus` (seed `ray-workflow-metadata.txt`; `ray/workflow/common.py`, 2.x),
 * as a user observes it through `get_status` and `get_metadata`. RESUMABLE is never written to
 * storage: Ray derives it at read time from a stored RUNNING or PENDING workflow that has no live
 * executor, and so does phasekit, through {@link deriveRayWorkflowStatus}.
 */
export const rayWorkflowStatus = z.enum([
  "NONE",
  "PENDING",
  "RUNNING",
  "SUCCESSFUL",
  "FAILED",
  "RESUMABLE",
  "CANCELED",
]);
export type RayWorkflowStatus = z.infer<typeof rayWorkflowStatus>;

/** The statuses phasekit's storage may hold: NONE and RESUMABLE are never written. */
export const rayStoredWorkflowStatus = z.enum(["PENDING", "RUNNING", "SUCCESSFUL", "FAILED", "CANCELED"]);
export type RayStoredWorkflowStatus = z.infer<typeof rayStoredWorkflowStatus>;

/** What the management actor says about an id: it runs it, it queues it, or it holds no executor for it. */
export type RayExecutorState = "RUNNING" | "PENDING" | null;

export const rayWorkflowEvents = {
  submit: "The workflow is submitted and a running slot is free: it is stored as RUNNING and starts.",
  enqueue:
    "The workflow is submitted while every running slot is taken: it is stored as PENDING, last in the FIFO queue.",
  promote: "A running workflow ended and freed its slot: the head of the pending queue starts running.",
  succeed: "Every step finished and the output is checkpointed.",
  fail: "A step raised an application error that was not caught (after its retries).",
  cancel:
    "`workflow.cancel(id)`: a running workflow's executor is cancelled; an inactive FAILED or RESUMABLE one is marked CANCELED and can never be resumed. A PENDING (queued) one is not canceled (Ray 2.47: its executor has no running task to cancel; it runs once promoted).",
  systemFailure:
    "The workflow's executor is lost (Ray shut down, the management actor died). Nothing is written: the stored RUNNING or PENDING now reads as RESUMABLE.",
  resume: "`workflow.resume(id)` with a free running slot: re-executed from its checkpoints.",
  resumeQueued: "`workflow.resume(id)` while every running slot is taken: queued as PENDING.",
} as const;
export type RayWorkflowEvent = keyof typeof rayWorkflowEvents;

const status = (
  terminal: boolean,
  outcome: StatusSpec["outcome"],
  stored: boolean,
  resumable: boolean,
  description: string,
  phase: Phase,
  phaseRationale: string,
  source = "seed",
): StatusSpec<never> => ({
  terminal,
  outcome,
  reasons: [],
  reasonRequired: false,
  description,
  phase,
  phaseRationale,
  columns: { stored, resumable, source },
});

const spec: LifecycleSpec<RayWorkflowStatus, never, RayWorkflowEvent> = {
  system: "ray",
  kind: "Workflow",
  initial: { status: "NONE", reason: null },
  statuses: {
    NONE: status(
      false,
      null,
      false,
      false,
      "No status is set: the id is unknown to storage (`get_status` raises WorkflowNotFoundError).",
      "Pending",
      "Not submitted yet: the initial status, before any work.",
      "ray 2.47.1",
    ),
    PENDING: status(
      false,
      null,
      true,
      false,
      "Queued, waiting for a running slot (max_running_workflows).",
      "Queued",
      "Last in the FIFO queue of pending workflows, waiting for a running slot.",
      "ray 2.47.1",
    ),
    RUNNING: status(
      false,
      null,
      true,
      false,
      "At least one task of the workflow runs in the cluster.",
      "Running",
      "Its tasks run.",
    ),
    SUCCESSFUL: status(
      true,
      "success",
      true,
      false,
      "The workflow ran successfully.",
      "Succeeded",
      "Terminal with outcome success.",
    ),
    FAILED: status(
      true,
      "failure",
      true,
      true,
      "Failed with an application error. It can be resumed.",
      "Failed",
      "Ends the run with outcome failure; `resume` reopens it (declared in reopenedBy).",
    ),
    RESUMABLE: status(
      true,
      "failure",
      false,
      true,
      "Failed with a system error (e.g. Ray shut down). It can be resumed. Derived, never stored.",
      "Failed",
      "Ends the run with outcome failure (a system failure); `resume` reopens it (declared in reopenedBy).",
    ),
    CANCELED: status(
      true,
      "early-termination",
      true,
      false,
      "Canceled. It can't be resumed.",
      "Stopped",
      "Ended by `workflow.cancel`: neither success nor failure, and final.",
    ),
  },
  transitions: [
    { event: "submit", from: ["NONE"], to: "RUNNING", reason: null },
    { event: "enqueue", from: ["NONE"], to: "PENDING", reason: null },
    { event: "promote", from: ["PENDING"], to: "RUNNING", reason: null },
    { event: "succeed", from: ["RUNNING"], to: "SUCCESSFUL", reason: null },
    { event: "fail", from: ["RUNNING"], to: "FAILED", reason: null },
    { event: "cancel", from: ["RUNNING", "FAILED", "RESUMABLE"], to: "CANCELED", reason: null },
    { event: "systemFailure", from: ["PENDING", "RUNNING"], to: "RESUMABLE", reason: null },
    { event: "resume", from: ["FAILED", "RESUMABLE"], to: "RUNNING", reason: null },
    { event: "resumeQueued", from: ["FAILED", "RESUMABLE"], to: "PENDING", reason: null },
  ],
  events: rayWorkflowEvents,
  reopenedBy: {
    resume:
      'Ray: FAILED and RESUMABLE workflows "can be resumed"; `workflow.resume(id)` re-executes from the checkpoints.',
    resumeQueued: "The same resume, queued as PENDING while every running slot is taken.",
  },
  notes: [
    "`source` says where a status comes from: `seed` (the metadata page: RUNNING, FAILED, RESUMABLE, CANCELED, SUCCESSFUL) or the package (`WorkflowStatus` of ray 2.47.1, `common.py`, adds NONE and PENDING). To validate against the seed's vocabulary, accept the `seed` ones only.",
    "RESUMABLE is reachable only through `systemFailure`, which phasekit never writes: the status is what `deriveRayWorkflowStatus` reports for a stored RUNNING or PENDING workflow that has no live executor. The `stored` column says which statuses storage may hold.",
    "SUCCESSFUL and CANCELED are final. FAILED and RESUMABLE end a run but are not final: `resume`/`resumeQueued` re-enter RUNNING/PENDING, and `cancel` makes them CANCELED.",
  ],
};

/**
 * The lifecycle of a Ray workflow as observed through `get_status`.
 *
 * @example
 * ```ts
 * import { rayWorkflowLifecycle } from "@phasekit/core";
 * const running = rayWorkflowLifecycle.stepOrThrow(rayWorkflowLifecycle.initial(), { type: "submit" });
 * rayWorkflowLifecycle.step(running, { type: "fail" }); // { status: "FAILED", ... }
 * ```
 */
export const rayWorkflowLifecycle = new Lifecycle(spec, steps.Workflow);

/**
 * The one derivation from what is stored to what a user sees, shared by `getStatus`, `getMetadata`
 * and `listAll` (Ray's own `get_status` derives RESUMABLE but its `get_metadata` reads storage
 * directly, so the two disagree: ray-project/ray issues 33633 and 41980).
 *
 * A live executor wins (it is PENDING while queued, RUNNING otherwise); without one, a stored
 * RUNNING or PENDING workflow was cut short by a system failure and reads as RESUMABLE; any other
 * stored status reads as itself.
 *
 * @example
 * ```ts
 * deriveRayWorkflowStatus("RUNNING", null); // "RESUMABLE"
 * deriveRayWorkflowStatus("RUNNING", "RUNNING"); // "RUNNING"
 * deriveRayWorkflowStatus("FAILED", null); // "FAILED"
 * ```
 */
export function deriveRayWorkflowStatus(
  stored: RayStoredWorkflowStatus,
  executor: RayExecutorState,
): RayWorkflowStatus {
  if (executor !== null) return executor;
  return stored === "RUNNING" || stored === "PENDING" ? "RESUMABLE" : stored;
}

/**
 * Narrows an observed status to one storage may hold, or null for NONE and RESUMABLE.
 *
 * @example
 * ```ts
 * storableRayWorkflowStatus("RESUMABLE"); // null
 * ```
 */
export function storableRayWorkflowStatus(status: RayWorkflowStatus): RayStoredWorkflowStatus | null {
  const parsed = rayStoredWorkflowStatus.safeParse(status);
  return parsed.success ? parsed.data : null;
}
