import * as z from "zod";
import { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { Phase } from "../../lifecycle/phase.js";
import type { LifecycleSpec, StatusSpec } from "../../lifecycle/spec.js";
import { steps } from "./steps.generated.js";

/**
 * A workflow step (1.x; a "task" in 2.x). Ray keeps a step's status only in the management actor
 * (`update_step_status` with WorkflowStatus values) and shows it in metadata through its stats:
 * submitted (inputs checkpointed, no stats), RUNNING (`start_time` written), SUCCESSFUL (`end_time`
 * written). A failed step checkpoints its exception and never writes `end_time`.
 */
export const rayStepStatus = z.enum(["PENDING", "RUNNING", "SUCCESSFUL", "FAILED", "CANCELED"]);
export type RayStepStatus = z.infer<typeof rayStepStatus>;

export const rayStepEvents = {
  start: "The step's task begins executing: `start_time` is written (pre-run metadata).",
  return: "The step returned and its output is checkpointed: `end_time` is written (post-run metadata).",
  raise: "The step raised and exhausted its retries: the exception is checkpointed, no `end_time`.",
  abort: "The workflow is canceled while the step has not finished.",
  rerun:
    "The workflow is resumed: a step without a checkpointed output (failed, or cut short by a system failure) runs again.",
} as const;
export type RayStepEvent = keyof typeof rayStepEvents;

const status = (
  terminal: boolean,
  outcome: StatusSpec["outcome"],
  description: string,
  phase: Phase,
  phaseRationale: string,
): StatusSpec<never> => ({
  terminal,
  outcome,
  reasons: [],
  reasonRequired: false,
  description,
  phase,
  phaseRationale,
});

const spec: LifecycleSpec<RayStepStatus, never, RayStepEvent> = {
  system: "ray",
  kind: "Step",
  initial: { status: "PENDING", reason: null },
  statuses: {
    PENDING: status(
      false,
      null,
      "Submitted: name, options and user metadata are checkpointed; no stats yet.",
      "Pending",
      "Submitted, not executing yet.",
    ),
    RUNNING: status(
      false,
      null,
      "Executing: `stats.start_time` is known, `stats.end_time` is not.",
      "Running",
      "Its task executes (retries included).",
    ),
    SUCCESSFUL: status(
      true,
      "success",
      "Finished: `stats.end_time` is known.",
      "Succeeded",
      "Terminal with outcome success.",
    ),
    FAILED: status(
      true,
      "failure",
      "Raised an error; rerun when the workflow is resumed.",
      "Failed",
      "Ends the step with outcome failure; `rerun` reopens it on resume (declared in reopenedBy).",
    ),
    CANCELED: status(
      true,
      "early-termination",
      "Stopped by `workflow.cancel`; no `end_time`.",
      "Stopped",
      "Ended by the workflow's cancel: neither success nor failure.",
    ),
  },
  transitions: [
    { event: "start", from: ["PENDING"], to: "RUNNING", reason: null },
    { event: "return", from: ["RUNNING"], to: "SUCCESSFUL", reason: null },
    { event: "raise", from: ["RUNNING"], to: "FAILED", reason: null },
    { event: "abort", from: ["PENDING", "RUNNING"], to: "CANCELED", reason: null },
    { event: "rerun", from: ["RUNNING", "FAILED"], to: "PENDING", reason: null },
  ],
  events: rayStepEvents,
  reopenedBy: {
    rerun: "A failed step runs again when its workflow is resumed (its output was never checkpointed).",
  },
  notes: [
    "Retries (`max_retries`) happen inside one RUNNING period, as Ray 1.x's `_wrap_run` loops over them: a step is FAILED only once they are exhausted.",
  ],
};

/**
 * The lifecycle of one Ray workflow step.
 *
 * @example
 * ```ts
 * import { rayStepLifecycle } from "@phasekit/core";
 * const running = rayStepLifecycle.stepOrThrow(rayStepLifecycle.initial(), { type: "start" });
 * rayStepLifecycle.step(running, { type: "return" }); // { status: "SUCCESSFUL", ... }
 * ```
 */
export const rayStepLifecycle = new Lifecycle(spec, steps.Step);
