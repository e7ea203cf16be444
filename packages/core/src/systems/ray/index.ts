import type { SystemDefinition } from "../../catalog/system.js";
import { rayStepLifecycle } from "./step.js";
import { rayWorkflowLifecycle } from "./workflow.js";

export type { RayFailure } from "./clock.js";
export {
  RayStepIdTakenError,
  RayStepNotFoundError,
  RayStepsUnfinishedError,
  RayWorkflowAlreadyActiveError,
  RayWorkflowAlreadyExecutedError,
  RayWorkflowError,
  RayWorkflowNotFoundError,
  RayWorkflowNotResumableError,
  RayWorkflowNotRunningError,
  RayWorkflowQueueFullError,
  RayWorkflowStillActiveError,
} from "./errors.js";
export {
  getRayMetadata,
  getRayStatus,
  listRayWorkflows,
  nextRayStepId,
  type RayStats,
  type RayStepMetadata,
  type RayStoredStep,
  type RayStoredWorkflow,
  type RayWorkflowMetadata,
  type RayWorkflows,
  rayWorkflows,
} from "./metadata.js";
export {
  cancelInRayQueue,
  checkRayDelete,
  loseRayExecutors,
  type RayAdmission,
  type RayQueue,
  type RayQueueLimits,
  rayExecutorOf,
  rayQueue,
  rayQueueLimits,
  releaseFromRayQueue,
  submitToRayQueue,
} from "./queue.js";
export { type RayResumeAllResult, resumeAllRayWorkflows } from "./resume-all.js";
export {
  type RayStepEvent,
  type RayStepStatus,
  rayStepEvents,
  rayStepLifecycle,
  rayStepStatus,
} from "./step.js";
export {
  completeRayStep,
  failRayStep,
  type RayStepSubmission,
  startRayStep,
  submitRayStep,
} from "./step-ops.js";
export {
  type RayRetrySemantics,
  type RayStepOptions,
  type RayStepOptionsInput,
  type RayStepType,
  rayRetrySemantics,
  rayStepOptions,
  rayStepOptionsInput,
  rayStepRetries,
  rayStepType,
} from "./step-options.js";
export {
  type JsonObject as RayJsonObject,
  type JsonValue as RayJsonValue,
  rayUserMetadata,
} from "./user-metadata.js";
export {
  deriveRayWorkflowStatus,
  type RayExecutorState,
  type RayStoredWorkflowStatus,
  type RayWorkflowEvent,
  type RayWorkflowStatus,
  rayStoredWorkflowStatus,
  rayWorkflowEvents,
  rayWorkflowLifecycle,
  rayWorkflowStatus,
  storableRayWorkflowStatus,
} from "./workflow.js";
export {
  callRayActor,
  cancelRayWorkflow,
  deleteRayWorkflow,
  failRaySystem,
  finishRayWorkflow,
  type RayCancelResult,
  type RayReleaseResult,
  type RayRunResult,
  resumeRayWorkflow,
  runRayWorkflow,
} from "./workflow-ops.js";

/**
 * Ray Workflows, as the catalog lists it: kinds `Workflow` and `Step`.
 *
 * @example
 * ```ts
 * import { catalog } from "@phasekit/core";
 * catalog.lifecycle("ray", "Workflow");
 * ```
 */
export const raySystem: SystemDefinition = {
  name: "ray",
  title: "Ray Workflows",
  description:
    "Ray Workflows (`ray.workflow`, a deprecated Ray library) runs durable workflows of steps (1.x; tasks in 2.x) with checkpoints, and reports a `WorkflowStatus` and metadata (`get_status`, `get_metadata`, `list_all`). This reference is generated from phasekit's machines, which encode Ray's \"Workflow Metadata\" documentation (1.x; today's page: https://docs.ray.io/en/latest/workflows/metadata.html) and Ray's source, `python/ray/workflow/` of https://github.com/ray-project/ray (`workflow_access.py`, `workflow_storage.py`, `api.py`). phasekit's pure API (`runRayWorkflow`, `resumeRayWorkflow`, `cancelRayWorkflow`, `deleteRayWorkflow`, `finishRayWorkflow`, `failRaySystem`, `callRayActor`, `submitRayStep` ..., `getRayStatus`, `getRayMetadata`, `listRayWorkflows`) takes time as data and runs the metadata page's examples as tests.",
  lifecycles: [rayWorkflowLifecycle, rayStepLifecycle],
  choices: [
    "NONE (Ray: \"no status is set\") is the Workflow machine's initial status and is never stored: `getRayStatus` and `getRayMetadata` of an unknown id return `RayWorkflowNotFoundError`, as Ray's `get_status` raises `WorkflowNotFoundError`.",
    "RESUMABLE is a status of the machine reachable only by the `systemFailure` event, which no operation writes: storage holds PENDING, RUNNING, SUCCESSFUL, FAILED or CANCELED (its type and `rayStoredWorkflowStatus` exclude NONE and RESUMABLE), and `deriveRayWorkflowStatus(stored, executor)` is the one function that turns a stored RUNNING or PENDING without a live executor into RESUMABLE for `getRayStatus`, `getRayMetadata` and `listRayWorkflows` alike.",
    "FAILED and RESUMABLE end a run but are not final: `resume` (a running slot is free) re-enters RUNNING, `resumeQueued` re-enters PENDING, and `cancel` makes them CANCELED (Ray's cancel of an inactive workflow writes CANCELED). SUCCESSFUL and CANCELED are final.",
    "A workflow's `start_time` is written when its run starts (submitted into a free running slot, or promoted from the queue); a PENDING workflow has none yet. A workflow ends by `finishRayWorkflow` (SUCCESSFUL or FAILED, with `end_time`) once every step has finished, as Ray ends it when no step remains.",
    "A resume clears `end_time` until the resumed run ends, and moves `start_time` to the time the resumed run starts (a resume that waits in the queue keeps the old `start_time` until then). Steps without a checkpointed output (FAILED, or RUNNING when a system failure cut them short) go back to PENDING with no stats, and get new stats when they run again.",
    "`resumeRayWorkflow` of a SUCCESSFUL workflow changes nothing and reports SUCCESSFUL (Ray returns its output at once); of a CANCELED one it returns `RayWorkflowNotResumableError`. Canceling a CANCELED workflow changes nothing. Canceling a running workflow cancels its unfinished steps (CANCELED, no `end_time`) and its running slot goes to the head of the queue.",
    "Canceling a PENDING (queued) workflow does what Ray 2.47.1 does (`workflow_access.py` `cancel_workflow`, `workflow_executor.py` `cancel`): nothing. Its executor has no running task, so there is nothing to cancel; the workflow stays queued and runs once promoted, and Ray's `cancel` call returns only when it has ended (raising its error if it fails). The machine has no `cancel` from PENDING; `cancelRayWorkflow` returns `canceled: false, waitsFor: <id>`.",
    "The Step kind has PENDING (submitted: name, options and user metadata checkpointed; no stats), RUNNING (`start_time`), SUCCESSFUL (`end_time`), FAILED (exception checkpointed, no `end_time`) and CANCELED. Step metadata shows no status, as in Ray; the status is in the stored step record.",
    "Retries (`max_retries`) happen inside one RUNNING period. Step options default as `WorkflowStepRuntimeOptions.make` does (3 retries, checkpointed, not in place, no caught exceptions, and 2.x's `retry_exceptions` false); a virtual-actor method starts from 0 retries, the default of `ActorMethod.options`.",
    'Which failures are retried follows Ray 2.x by default (`rayStepRetries`, ray 2.47.1 `workflow_executor.py`): an application error (the step raised) is retried only with `retry_exceptions: true`, a system error always, each while fewer than `max_retries` retries were made (so `-1` retries nothing). Ray 1.x retried every raise while `max_retries` allowed (`-1`: without end); ask for it with `rayStepRetries(..., "1.x")`, or `retrySemantics: 1.x` in a scenario\'s `ray:` section.',
    "A step's `name` in its metadata is the name it was given (or its function's name, Ray's `module.qualname`); its id is that name deduplicated: `name`, `name_1`, `name_2` ... per name and per workflow, in submission order. A generated id that another step already holds (a step named `add_1` by hand, then a second `add`) is refused with `RayStepIdTakenError`.",
    "A virtual actor (1.x) is a workflow whose id is the actor id; each method call (`callRayActor`) starts a new run of it (a fresh Workflow record, NONE -> RUNNING or PENDING, through the queue like any run) that keeps the actor's steps and name counters. One call runs at a time per actor.",
    '`max_pending_workflows=0` means no pending slot: with every running slot taken, a submission is refused with "Workflow queue has been full". `-1` means no limit, as in Ray.',
    "Times are seconds since the epoch (Python's `time.time()`), passed in as `at`; an operation whose `at` is earlier than the latest time seen is refused, so `end_time >= start_time` always holds and a resume's `start_time` is never earlier than the failed run's.",
    "`listRayWorkflows` (`list_all`) follows Ray 2.47.1's order: a filter of RUNNING and/or PENDING only lists the running workflows, then the pending ones; any other listing gives the workflows that are not RESUMABLE, then the RESUMABLE ones that were running, then those that were pending. Within a group, the order they were first run (Ray's is a storage directory listing, which it does not define).",
    "`resumeAllRayWorkflows` (`resume_all(include_failed)`) resumes in `list_all`'s order (FAILED ones first with `includeFailed`, then formerly running, then formerly pending RESUMABLE ones), so the formerly running workflows take the free running slots first.",
    "`getRayMetadata` of an unknown workflow or task uses Ray 2.x's wording (`ValueError`: \"No such workflow_id 'x'\", \"No such task_id 'y' in workflow 'x'\", ray 2.47.1 `workflow_storage.py`) and lists the task ids the workflow has; `getRayStatus` keeps `WorkflowNotFoundError`'s (\"Workflow[id=x] was referenced but doesn't exist.\").",
    "`deleteRayWorkflow` removes the workflow and its steps, so the id may be run again as a new workflow; it is not a transition of the machine (there is no DELETED status in Ray).",
  ],
  differences: [
    "Ray's `get_status` derives RESUMABLE but `get_metadata` reads the status straight from storage, so a workflow cut short by a system failure is RESUMABLE for one and RUNNING for the other (ray-project/ray issues 33633 and 41980). phasekit derives both through `deriveRayWorkflowStatus`, so they always agree.",
    "The metadata page phasekit follows is Ray 1.x's (the step era: `@workflow.step`, `.step().run()`, `step_options`, `get_metadata(id, name)`, virtual actors). Ray 2.x (the task era) runs `@ray.remote` DAGs with `workflow.run(dag)`, shows `task_options`, takes `get_metadata(id, task_id=)`, has no virtual actors, and adds PENDING and the bounded queue (`max_running_workflows`, `max_pending_workflows`). phasekit keeps the 1.x names and adds 2.x's PENDING, NONE and queue; 1.x's `get_status` turned only a stored RUNNING into RESUMABLE (it had no PENDING).",
    'Ray\'s `run` with the id of a stored workflow resumes it silently ("If the workflow with the given id already exists, it will be resumed"); phasekit refuses with `RayWorkflowAlreadyExecutedError` unless the caller asks with `resume: true` (or calls `resumeRayWorkflow`).',
    "While a resumed workflow runs, Ray still returns the failed run's `end_time` (its post-run checkpoint is only overwritten when the new run ends), so `end_time < start_time`; phasekit clears `end_time` on resume. Likewise Ray keeps a rerun step's old `start_time` until it starts again; phasekit clears it.",
    "Ray's cancel of an inactive workflow writes CANCELED whatever is stored, even over SUCCESSFUL and even for an id that was never run; phasekit refuses to cancel a SUCCESSFUL workflow (TransitionError: SUCCESSFUL is final) and returns `RayWorkflowNotFoundError` for an unknown id.",
    "Ray's pending queue is `queue.Queue(max_pending_workflows)`, and Python's `Queue(0)` is unbounded, so `max_pending_workflows=0` means no limit there; phasekit reads 0 as zero pending slots.",
    "Ray's `run` saves the user metadata and the workflow's checkpoint before it submits, so a run refused because the queue is full leaves a stored workflow without a status; phasekit's refused run changes nothing.",
    "Ray validates user metadata with `json.dumps`, which accepts NaN and Infinity (writing non-standard JSON); phasekit requires strict JSON: finite numbers only, plain objects, no cycles.",
    "Ray's `resume_all` resubmits the workflows one by one and raises when the queue is full, leaving the earlier ones submitted but never executed; phasekit's `resumeAllRayWorkflows` is all or nothing (`RayWorkflowQueueFullError`, nothing resumed).",
    "Ray's step metadata also lists the step's input steps (`workflows`, `workflow_refs`; 2.x: task inputs); phasekit does not model step inputs and leaves them out.",
    "Ray keys its step-name counter by name, so a step named `add_1` by hand and the second step named `add` share the id `add_1` and the second overwrites the first's checkpoints; phasekit refuses the second.",
  ],
};
