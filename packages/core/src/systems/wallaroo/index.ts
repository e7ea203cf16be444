import type { SystemDefinition } from "../../catalog/system.js";
import {
  wallarooDeployment,
  wallarooDeploymentChoices,
  wallarooDeploymentDifferences,
} from "./deployment.js";
import { wallarooOrchestration } from "./orchestration.js";
import { wallarooTask } from "./task.js";
import { wallarooTaskRun } from "./task-run.js";

export * from "./autoscaler.js";
export {
  type CronField,
  parseWallarooCron,
  type WallarooCron,
  wallarooCronFields,
  wallarooCronMatches,
  wallarooCronNext,
} from "./cron.js";
export * from "./deployment.js";
export * from "./deployment-config.js";
export * from "./deployment-model.js";
export * from "./deployment-state.js";
export * from "./deployment-wait.js";
export {
  requireReadyOrchestration,
  type WallarooOrchestration,
  type WallarooOrchestrationEvent,
  type WallarooOrchestrationStatus,
  wallarooOrchestration,
  wallarooOrchestrationEvents,
  wallarooOrchestrationSchema,
  wallarooOrchestrationStatuses,
} from "./orchestration.js";
export {
  buildWallarooPackageZip,
  checkWallarooPackage,
  type WallarooPackage,
  type WallarooPackageCheck,
  type WallarooPackageMeta,
  type WallarooPackageViolation,
  wallarooEntrypoint,
  wallarooSha256,
  wallarooZipEntries,
} from "./package.js";
export {
  lastWallarooRunStatus,
  lastWallarooRuns,
  listWallarooOrchestrations,
  listWallarooTasks,
  type WallarooRunStatusFilter,
  type WallarooTaskRow,
  wallarooRunLogs,
  wallarooRunStatusFilters,
  wallarooTaskRow,
} from "./queries.js";
export {
  planWallarooTask,
  type WallarooPlannedStart,
  type WallarooPlannedStop,
  type WallarooTaskPlan,
  type WallarooTaskState,
  wallarooContinuousRestartDelayMs,
  wallarooMaxStartsPerPlan,
  wallarooRunDeadline,
} from "./schedule.js";
export {
  isWallarooTaskActive,
  isWallarooTaskKilled,
  type WallarooTaskEvent,
  type WallarooTaskStatus,
  wallarooExperimentalTaskStatuses,
  wallarooTask,
  wallarooTaskEvents,
  wallarooTaskStatuses,
  wallarooTaskStatusSource,
} from "./task.js";
export {
  createWallarooTask,
  type WallarooTask,
  type WallarooTaskRequest,
  type WallarooTaskType,
  wallarooCustomImageRunLabel,
  wallarooTaskRequestSchema,
  wallarooTaskTypeDisplay,
  wallarooTaskTypeLabel,
  wallarooTaskTypeOfRunType,
  wallarooTaskTypes,
} from "./task-record.js";
export {
  isWallarooTaskRunActive,
  type WallarooTaskRun,
  type WallarooTaskRunEvent,
  type WallarooTaskRunReason,
  type WallarooTaskRunStatus,
  wallarooSeedTaskRunStatuses,
  wallarooTaskRun,
  wallarooTaskRunEvents,
  wallarooTaskRunReasons,
  wallarooTaskRunSchema,
  wallarooTaskRunStatuses,
  wallarooTaskRunStatusSource,
} from "./task-run.js";
export {
  appendWallarooRunLogs,
  applyWallarooPlan,
  finishWallarooRun,
  killWallarooTask,
  observeWallarooRun,
  pauseWallarooTask,
} from "./task-state.js";

/**
 * Wallaroo ML Workload Orchestration, as the catalog lists it: Orchestration, Task and TaskRun.
 *
 * @example
 * ```ts
 * import { catalog } from "@phasekit/core";
 * catalog.lifecycle("wallaroo", "Task");
 * ```
 */
export const wallarooSystem: SystemDefinition = {
  name: "wallaroo",
  title: "Wallaroo",
  description:
    'Wallaroo ML Workload Orchestration: an Orchestration (an uploaded ZIP: the recipe) is packaged until ready; Tasks (Run Once, Run Scheduled, Run Continuously) say when to run it; each Task Run is one execution with its own logs. This reference is generated from phasekit\'s machines, which encode Wallaroo\'s guide "Inference Automation" (https://docs.wallaroo.ai/wallaroo-model-operations/wallaroo-model-operations-automate; "the guide" below) and the status values of Wallaroo\'s Python SDK (the `wallaroo` package on PyPI, https://pypi.org/project/wallaroo: `wallaroo_ml_ops_api_client` models `OrchestrationStatus`, `ArbexStatus`, `ListTaskRunsRequestStatus`; `task.py`). A pipeline Deployment is the engine replicas serving a pipeline: its status is what `pipeline.status()["status"]` reports (`StatusGetDeploymentResponse200Status`), its replica count is data that autoscales between a minimum (possibly 0) and a maximum.',
  lifecycles: [wallarooOrchestration, wallarooTask, wallarooTaskRun, wallarooDeployment],
  choices: [
    "Orchestration: `uninitialized` (the SDK's value) is the initial status; `packagingFailed` (to `error`) is possible from pending_packaging and packaging. ready and error are terminal. The Dashboard's Active/Inactive/Error is the `dashboard` column: ready is Active, error is Error, the rest Inactive.",
    "Creating a task from an orchestration that is not `ready` is refused with an error naming the orchestration, its status and `ready` (`requireReadyOrchestration`, `createWallarooTask`).",
    'Package entrypoint: `main.py` at the root; else the first `main.py` in a subdirectory, "first" meaning the shallowest path, ties broken by code-unit order of the path (`b/main.py` before `a/x/main.py`; `a/main.py` before `b/main.py`). The guide does not define "first".',
    "Package rules: every broken rule is reported, not only the first: no entrypoint, more than one `requirements.txt` anywhere in the tree, and (our addition) an entry path that is absolute or contains `..`. Directory entries are ignored; names are case-sensitive. The sha is sha256 of the ZIP's bytes.",
    "Task statuses: the SDK's ArbexStatus values. Terminal: success (outcome success), failed, timed_out and schedule_error (outcome failure), killed (outcome early-termination). crash_loop and resource_contention are not terminal: they are Kubernetes conditions the task can recover from (back to started).",
    "success, failed and timed_out are reached only by a Run Once task, from its single run's outcome; Run Scheduled and Run Continuously tasks stay started until killed.",
    "`active` is true until the task is killed (pending_kill, killed) or has finished (success, failed, timed_out, schedule_error), as the SDK docs define it. `killed` is true from pending_kill on; `list_tasks(killed=True)` lists those.",
    "Kill is asynchronous and idempotent: `kill` moves any status, finished ones included, to pending_kill, and is accepted without change in pending_kill and killed. The next plan halts every run that has not ended (running or unknown: it becomes `killed`, the SDK's run status since wallaroo 2026.1.3), deletes every run's logs and confirms killed. No run starts once kill was issued, and log lines arriving after it are dropped.",
    'Run Continuously is displayed as "Continuous Run" (the SDK\'s mapping of run type NetworkService), so the three kinds stay distinguishable. Any other `run_type` is displayed as "Custom Image Run" (`wallarooTaskTypeLabel`, the SDK\'s `_descriptive_task_type` fallback, wallaroo 2026.1.3); phasekit creates no such task (the seed\'s three methods only) but labels one it reads.',
    'Run Continuously: the next run starts 10 s after the previous one ends, whatever its outcome (Kubernetes\' first container-restart back-off; the guide promises "within one minute"). It has no timeout: `run_continuously` takes only name and json_args.',
    "Run Scheduled: a run starts at every cron match strictly after the task's creation, whether or not earlier runs have ended; a match at the very instant of a kill does not start. Missed matches are all started when planning late, at most 100 per plan. Schedules are read in UTC.",
    "Cron: exactly 5 fields, validated as a Kubernetes CronJob reads them (robfig/cron's standard parser): `*`, `?`, numbers, JAN-DEC, SUN-SAT, ranges, steps (`N/s` means N to the field's end), lists; day-of-week 0-6; a day matches when either restricted day field matches. Macros (`@hourly`) and 6-field expressions are refused. Next times are computed as robfig does, day by day in UTC (giving up after five years, as robfig does for a schedule such as Feb 30): croner, used at first, skipped matches when both day fields were restricted across a month's end, which a property test against a reference of the CronJob rules found.",
    "A run still running when its task's timeout has elapsed since it started is timed_out at that deadline; an end reported at or after the deadline is too late and becomes timed_out.",
    "Queries: `last_runs` is newest first by updated_at (ties: newer created_at, then id); `limit` is a whole number >= 0. A task's last run status is the status of its most recently started run, `unknown` before any. `logs(limit)` returns the last `limit` lines. `list_tasks(killed=False)` returns every task, killed or not, and `killed=True` only killed ones, as the guide documents. Listings are newest first by created_at.",
    ...wallarooDeploymentChoices,
  ],
  differences: [
    'Run Continuously type: the guide\'s 2024 example displays a continuous task as "Temporary Run"; the SDK\'s `_descriptive_task_type` maps it to "Continuous Run". phasekit shows "Continuous Run".',
    "`active`: the SDK displays `not killed`, so the guide's own list shows a finished Run Once task (last run success) with Active True; the SDK docs say False once the task has completed. phasekit follows the docs: a finished task is not active.",
    'The experimental pause family of ArbexStatus (`pending_pause`, `paused`, `pending_resume`, wallaroo 2026.1.3) is modelled and marked experimental (`experimental` column, `wallarooExperimentalTaskStatuses`), as the SDK marks `Task._pause`/`_resume` (private, "EXPERIMENTAL"). What the server does with runs already started, with missed schedule matches, and with a pause of a Run Once or Run Continuously task is not documented: phasekit lets started runs go on, starts no match missed while paused, and refuses to pause a task that is not Run Scheduled (the SDK documents pause for `run_scheduled` tasks).',
    'The guide lists the cron fields as "hour, minute, day_of_week, day_of_month, month", but its own examples (`42 * * * *` runs at minute 42) use the standard order minute, hour, day-of-month, month, day-of-week, which phasekit follows.',
    "Kubernetes accepts `@hourly`-style macros and the guide says the schedule follows the cron utility (which accepts day-of-week 7); phasekit takes 5 fields only and day-of-week 0-6, as Kubernetes' parser does.",
    'List Orchestrations: the guide says reverse chronological order but its example lists them oldest first; phasekit lists newest first. Its field table says "last run status" where the example and the SDK show the orchestration\'s status; phasekit uses the status.',
    "List Tasks: the guide's field table gives `id` as an Integer; its examples and the SDK use UUID strings, as phasekit does.",
    "The SDK's last run status is `last_runs[-1].status` of the task's record, in whatever order the server sent it; phasekit defines it as the most recently started run.",
    "Run statuses: the seed's Dashboard shows Success, Failure and Timed_out (and its examples running); the SDK's `TaskStatus` (wallaroo 2026.1.3, `models/task_status.py`) adds `killed` and `unknown`. phasekit has all six, each marked with its source (`source` column, `wallarooTaskRunStatusSource`; `wallarooSeedTaskRunStatuses` is the seed's four): a run halted by a kill is `killed`. Earlier phasekit releases, following the seed, reported it as failure/TaskKilled.",
    "`last_runs(status=)` filters by the SDK's `ListTaskRunsRequestStatus` (all, running, success, failure, timed_out), which cannot select `killed` or `unknown` runs; `all` lists them.",
    "When a run becomes `unknown` is not documented: phasekit reaches it by `lose` (the platform lost the run's pod without an outcome) and leaves it by `regain` or by any end (success, failure, timed_out, killed); an unknown run has not ended, so its timeout and a kill still apply and a Run Continuously task starts no next run meanwhile.",
    ...wallarooDeploymentDifferences,
  ],
};
