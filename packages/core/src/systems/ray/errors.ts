/**
 * The errors of the Ray workflow API. Each says which workflow (and step) it is about; the messages
 * start with Ray's own wording (`ray/workflow/exceptions.py`, `workflow_access.py`) so a Ray user
 * recognises them, and add what Ray leaves out. They are returned, never thrown.
 *
 * @module
 */

/** Base of every Ray workflow error: `_tag` tells them apart, `workflowId` says which workflow. */
export abstract class RayWorkflowError extends Error {
  abstract readonly _tag: string;
  constructor(
    readonly workflowId: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * No workflow with this id is stored. `get_status`, `resume`, `cancel` and `delete` say so as Ray's
 * `WorkflowNotFoundError` does ("Workflow[id=...] was referenced but doesn't exist."); `get_metadata`
 * (`operation: "get_metadata"`) says it as Ray 2.x's `WorkflowStorage.load_workflow_metadata` does,
 * with a `ValueError`: "No such workflow_id '...'" (ray 2.47.1, `workflow_storage.py`).
 *
 * @example
 * ```ts
 * const found = getRayStatus(state, "nope");
 * if (found instanceof RayWorkflowNotFoundError) console.error(found.message);
 * getRayMetadata(state, "nope"); // RayWorkflowNotFoundError: No such workflow_id 'nope'
 * ```
 */
export class RayWorkflowNotFoundError extends RayWorkflowError {
  readonly _tag = "RayWorkflowNotFoundError" as const;
  override readonly name = "RayWorkflowNotFoundError";
  /** The Python exception Ray raises here: `WorkflowNotFoundError`, or `ValueError` for `get_metadata`. */
  readonly pythonError: "WorkflowNotFoundError" | "ValueError";
  constructor(
    workflowId: string,
    readonly operation: "get_metadata" | "other" = "other",
  ) {
    super(
      workflowId,
      operation === "get_metadata"
        ? `No such workflow_id '${workflowId}'`
        : `Workflow[id=${workflowId}] was referenced but doesn't exist.`,
    );
    this.pythonError = operation === "get_metadata" ? "ValueError" : "WorkflowNotFoundError";
  }
}

/**
 * `get_metadata(id, task_id)` (1.x: `name`) with a task id the workflow does not have. The message is
 * Ray 2.x's `ValueError` ("No such task_id '...' in workflow '...'", ray 2.47.1 `workflow_storage.py`),
 * followed by the ids the workflow has, which Ray leaves out.
 */
export class RayStepNotFoundError extends RayWorkflowError {
  readonly _tag = "RayStepNotFoundError" as const;
  override readonly name = "RayStepNotFoundError";
  constructor(
    workflowId: string,
    readonly stepId: string,
    readonly known: readonly string[],
  ) {
    super(
      workflowId,
      `No such task_id '${stepId}' in workflow '${workflowId}'; its task ids are: ${known.length === 0 ? "none" : known.join(", ")}`,
    );
  }
}

/** Every running slot and every pending slot is taken (Ray: `queue.Full("Workflow queue has been full")`). */
export class RayWorkflowQueueFullError extends RayWorkflowError {
  readonly _tag = "RayWorkflowQueueFullError" as const;
  override readonly name = "RayWorkflowQueueFullError";
  constructor(
    workflowId: string,
    readonly maxRunning: number,
    readonly maxPending: number,
  ) {
    super(
      workflowId,
      `Workflow queue has been full: Workflow[id=${workflowId}] can neither run nor wait, as all ${maxRunning} running and ${maxPending} pending slots are taken.`,
    );
  }
}

/** An operation refused while the workflow runs or is queued (Ray's `WorkflowStillActiveError`). */
export class RayWorkflowStillActiveError extends RayWorkflowError {
  readonly _tag = "RayWorkflowStillActiveError" as const;
  override readonly name = "RayWorkflowStillActiveError";
  constructor(
    readonly operation: string,
    workflowId: string,
  ) {
    super(
      workflowId,
      `${operation} couldn't be completed because Workflow[id=${workflowId}] is still running or pending.`,
    );
  }
}

/** `run` or `resume` of a workflow that already runs or waits in the queue. */
export class RayWorkflowAlreadyActiveError extends RayWorkflowError {
  readonly _tag = "RayWorkflowAlreadyActiveError" as const;
  override readonly name = "RayWorkflowAlreadyActiveError";
  constructor(workflowId: string) {
    super(workflowId, `Workflow '${workflowId}' is already running or pending.`);
  }
}

/** `run` with the id of a workflow that is already stored, without asking to resume it. */
export class RayWorkflowAlreadyExecutedError extends RayWorkflowError {
  readonly _tag = "RayWorkflowAlreadyExecutedError" as const;
  override readonly name = "RayWorkflowAlreadyExecutedError";
  constructor(
    workflowId: string,
    readonly status: string,
  ) {
    super(
      workflowId,
      `Workflow[id=${workflowId}] has been executed (status ${status}); pass resume: true, or call resume, to run it again from its checkpoints.`,
    );
  }
}

/** `resume` of a CANCELED workflow (Ray: "It got canceled and can't be resumed later."). */
export class RayWorkflowNotResumableError extends RayWorkflowError {
  readonly _tag = "RayWorkflowNotResumableError" as const;
  override readonly name = "RayWorkflowNotResumableError";
  constructor(
    workflowId: string,
    readonly status: string,
  ) {
    super(workflowId, `Workflow[id=${workflowId}] is not resumable: it is ${status}.`);
  }
}

/** A step operation (or `finish`) on a workflow that is not running, or still has unfinished steps. */
export class RayWorkflowNotRunningError extends RayWorkflowError {
  readonly _tag = "RayWorkflowNotRunningError" as const;
  override readonly name = "RayWorkflowNotRunningError";
  constructor(
    workflowId: string,
    readonly status: string,
    detail: string,
  ) {
    super(workflowId, `Workflow[id=${workflowId}] is ${status}: ${detail}`);
  }
}

/**
 * A generated step id that another step already holds: a step named `add_1` by hand, then a second
 * step named `add`. Ray keys its name counter by name, so both get `add_1` and the second overwrites
 * the first's checkpoints; phasekit refuses instead.
 */
export class RayStepIdTakenError extends RayWorkflowError {
  readonly _tag = "RayStepIdTakenError" as const;
  override readonly name = "RayStepIdTakenError";
  constructor(
    workflowId: string,
    readonly stepName: string,
    readonly stepId: string,
  ) {
    super(
      workflowId,
      `Step name "${stepName}" gives step_id "${stepId}" in workflow ${workflowId}, which another step already holds; choose another name.`,
    );
  }
}

/** `finish` of a workflow whose steps have not all finished (Ray ends a workflow once none is left). */
export class RayStepsUnfinishedError extends RayWorkflowError {
  readonly _tag = "RayStepsUnfinishedError" as const;
  override readonly name = "RayStepsUnfinishedError";
  constructor(
    workflowId: string,
    readonly unfinished: readonly string[],
  ) {
    super(
      workflowId,
      `Workflow[id=${workflowId}] cannot end yet: steps ${unfinished.join(", ")} have not finished (complete or fail them first).`,
    );
  }
}
