import { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { Phase } from "../../lifecycle/phase.js";
import type { StatusRecord } from "../../lifecycle/record.js";
import type { From, LifecycleSpec, StatusSpec } from "../../lifecycle/spec.js";
import { steps } from "./steps.generated.js";

/**
 * A Wallaroo Task: when to run an orchestration (Run Once, Run Scheduled, Run Continuously). Its
 * statuses are the SDK's `ArbexStatus` values (`wallaroo_ml_ops_api_client/models/arbex_status.py`,
 * wallaroo 2026.1.3), the pause family (`pending_pause`, `paused`, `pending_resume`) included and
 * marked experimental, as the SDK marks `Task._pause` and `Task._resume`.
 */

export const wallarooTaskStatuses = [
  "pending",
  "resource_contention",
  "started",
  "crash_loop",
  "success",
  "failed",
  "timed_out",
  "schedule_error",
  "pending_kill",
  "killed",
  "pending_pause",
  "paused",
  "pending_resume",
] as const;
export type WallarooTaskStatus = (typeof wallarooTaskStatuses)[number];

export const wallarooTaskEvents = {
  start: "The task's workload is live: scheduled (Run Scheduled) or its run executing.",
  contend: "The cluster has no room for the task's pod yet (Kubernetes could not schedule it).",
  crashLoop: "The task's container keeps crashing and being restarted (Kubernetes CrashLoopBackOff).",
  runSucceeded: "A Run Once task's single run succeeded.",
  runFailed: "A Run Once task's single run failed.",
  runTimedOut: "A Run Once task's single run outlived the task's timeout.",
  scheduleError: "The task could not be scheduled.",
  kill: "`Task.kill()`: halt every active run, delete every run's logs, start no run again. Returns at once with pending_kill; repeating it changes nothing.",
  confirmKill: "Every run of the killed task has stopped: the kill is complete.",
  pause:
    "EXPERIMENTAL (`Task._pause()`, wallaroo 2026.1.3): pause a started Run Scheduled task; it is pending_pause until the platform confirms.",
  confirmPause: "The platform has paused the task: no scheduled run starts until it is resumed.",
  resume:
    "EXPERIMENTAL (`Task._resume()`, wallaroo 2026.1.3): resume a paused task; it is pending_resume until the platform confirms.",
  confirmResume:
    "The platform has resumed the task: started again, the next schedule match after the resume starts a run (missed ones do not).",
} as const;

/** The statuses of the SDK's experimental pause (`Task._pause`, `Task._resume`; wallaroo 2026.1.3). */
export const wallarooExperimentalTaskStatuses = ["pending_pause", "paused", "pending_resume"] as const;

/** Where each task status comes from: the seed, or the package and version that declares it. */
export const wallarooTaskStatusSource = {
  pending: "wallaroo 2026.1.3",
  resource_contention: "wallaroo 2026.1.3",
  started: "seed",
  crash_loop: "wallaroo 2026.1.3",
  success: "wallaroo 2026.1.3",
  failed: "wallaroo 2026.1.3",
  timed_out: "wallaroo 2026.1.3",
  schedule_error: "wallaroo 2026.1.3",
  pending_kill: "seed",
  killed: "wallaroo 2026.1.3",
  pending_pause: "wallaroo 2026.1.3 (experimental)",
  paused: "wallaroo 2026.1.3 (experimental)",
  pending_resume: "wallaroo 2026.1.3 (experimental)",
} as const satisfies Record<WallarooTaskStatus, string>;
export type WallarooTaskEvent = keyof typeof wallarooTaskEvents;

/**
 * A status with its `active` and `killed` columns, its common phase and why; terminal exactly when
 * it has an outcome.
 */
const status = (
  description: string,
  outcome: StatusSpec["outcome"],
  active: boolean,
  phase: Phase,
  phaseRationale: string,
  killed = false,
): StatusSpec<never> => ({
  terminal: outcome !== null,
  outcome,
  reasons: [],
  reasonRequired: false,
  description,
  phase,
  phaseRationale,
  columns: { active, killed },
});

const notKilled = wallarooTaskStatuses.filter((s) => s !== "pending_kill" && s !== "killed");
const running: From<WallarooTaskStatus, never>[] = ["started", "crash_loop"];

/** Adds each status's `source` and `experimental` columns. */
function withSource(
  statuses: Record<WallarooTaskStatus, StatusSpec<never>>,
): Record<WallarooTaskStatus, StatusSpec<never>> {
  const out = { ...statuses };
  for (const name of wallarooTaskStatuses)
    out[name] = {
      ...statuses[name],
      columns: {
        ...statuses[name].columns,
        source: wallarooTaskStatusSource[name],
        experimental: (wallarooExperimentalTaskStatuses as readonly string[]).includes(name),
      },
    };
  return out;
}

const spec: LifecycleSpec<WallarooTaskStatus, never, WallarooTaskEvent> = {
  system: "wallaroo",
  kind: "Task",
  initial: { status: "pending", reason: null },
  statuses: withSource({
    pending: status(
      "The task has not been started or is being prepared.",
      null,
      true,
      "Pending",
      "Not started, and no capacity wait is known yet.",
    ),
    resource_contention: status(
      "Waiting for cluster resources; the task starts once they are free.",
      null,
      true,
      "Queued",
      "A wait for capacity: Kubernetes could not schedule its pod yet.",
    ),
    started: status(
      "The task is live: it is scheduled, or its run is executing.",
      null,
      true,
      "Running",
      "Live: scheduled, or its run executes.",
    ),
    crash_loop: status(
      "The task's container is crashing and being restarted.",
      null,
      true,
      "Degraded",
      "Crashing and restarted: not progressing, not over (it may start again).",
    ),
    success: status(
      "A Run Once task whose run succeeded.",
      "success",
      false,
      "Succeeded",
      "Terminal with outcome success.",
    ),
    failed: status(
      "A Run Once task whose run failed.",
      "failure",
      false,
      "Failed",
      "Terminal with outcome failure.",
    ),
    timed_out: status(
      "A Run Once task whose run outlived the task's timeout.",
      "failure",
      false,
      "Failed",
      "Terminal with outcome failure: the timeout is the run's failure.",
    ),
    schedule_error: status(
      "The task could not be scheduled.",
      "failure",
      false,
      "Failed",
      "Terminal with outcome failure.",
    ),
    pending_kill: status(
      "Kill was issued: active runs are being halted and every run's logs deleted; no run starts again.",
      null,
      false,
      "Stopping",
      "Being killed: runs are halting; killed follows.",
      true,
    ),
    killed: status(
      "Killed: no run is active and none will start.",
      "early-termination",
      false,
      "Stopped",
      "Ended by a user's kill: neither success nor failure.",
      true,
    ),
    pending_pause: status(
      "EXPERIMENTAL: pause was asked (`Task._pause()`); the platform has not confirmed it yet. No scheduled run starts.",
      null,
      true,
      "Stopping",
      "Being paused: the platform decides when it is paused.",
    ),
    paused: status(
      "EXPERIMENTAL: paused; no scheduled run starts until it is resumed. Runs already started go on.",
      null,
      true,
      "Pending",
      "Known, not running its schedule, and asking for no capacity: it waits for a resume.",
    ),
    pending_resume: status(
      "EXPERIMENTAL: resume was asked (`Task._resume()`); the platform has not confirmed it yet.",
      null,
      true,
      "Starting",
      "Being made live again: started follows once the platform confirms.",
    ),
  }),
  transitions: [
    { event: "start", from: ["pending", "resource_contention", "crash_loop"], to: "started", reason: null },
    { event: "contend", from: ["pending"], to: "resource_contention", reason: null },
    { event: "crashLoop", from: ["started"], to: "crash_loop", reason: null },
    { event: "runSucceeded", from: ["started"], to: "success", reason: null },
    { event: "runFailed", from: running, to: "failed", reason: null },
    { event: "runTimedOut", from: running, to: "timed_out", reason: null },
    { event: "scheduleError", from: ["pending"], to: "schedule_error", reason: null },
    { event: "kill", from: notKilled, to: "pending_kill", reason: null },
    // Kill is idempotent: repeating it is accepted and changes nothing.
    { event: "kill", from: ["pending_kill"], to: "pending_kill", reason: null },
    { event: "kill", from: ["killed"], to: "killed", reason: null },
    { event: "confirmKill", from: ["pending_kill"], to: "killed", reason: null },
    { event: "pause", from: ["started"], to: "pending_pause", reason: null },
    { event: "confirmPause", from: ["pending_pause"], to: "paused", reason: null },
    { event: "resume", from: ["paused"], to: "pending_resume", reason: null },
    { event: "confirmResume", from: ["pending_resume"], to: "started", reason: null },
  ],
  events: wallarooTaskEvents,
  reopenedBy: {
    kill: "A finished task can still be killed, which deletes its runs' logs: it passes through pending_kill (Stopping) to killed.",
  },
  notes: [
    "`active` is true until the task is killed (pending_kill, killed) or has finished (success, failed, timed_out, schedule_error); `killed` is true once kill was issued.",
    "success, failed and timed_out are reached only by Run Once tasks (their single run's outcome); Run Scheduled and Run Continuously tasks stay started until killed.",
    "A finished task can still be killed, which deletes its runs' logs.",
    "EXPERIMENTAL, as the SDK marks it (wallaroo 2026.1.3 `Task._pause`, `Task._resume`, both private): pause takes a started Run Scheduled task through pending_pause to paused, resume through pending_resume back to started. The SDK waits (up to 300 s) for `paused` or `started`. A paused or pausing task starts no scheduled run; runs already started go on; kill works from any of the three.",
    "`source` says where a status comes from: `seed` (the guide names started and pending_kill) or the SDK package (`ArbexStatus` of wallaroo 2026.1.3); `experimental` marks the pause family.",
  ],
};

/**
 * The Task lifecycle. Kill is asynchronous and idempotent: `kill` moves any status to pending_kill
 * (and is a no-op there and in killed); `confirmKill` completes it.
 *
 * @example
 * ```ts
 * const t = wallarooTask.replay([{ type: "start" }, { type: "kill" }, { type: "kill" }]);
 * // { status: "pending_kill", ... }
 * ```
 */
export const wallarooTask = new Lifecycle(spec, steps.Task);

/**
 * Whether a task is active: true until it is killed or has finished (the SDK docs: "True: The task
 * is scheduled or running. False: The task has completed or has been issued the kill command.").
 *
 * @example
 * ```ts
 * isWallarooTaskActive({ status: "started" }); // true
 * isWallarooTaskActive({ status: "pending_kill" }); // false
 * ```
 */
export const isWallarooTaskActive = (task: Pick<StatusRecord<WallarooTaskStatus>, "status">): boolean =>
  wallarooTask.status(task.status).columns?.active === true;

/**
 * Whether kill was issued for a task (pending_kill or killed): `list_tasks(killed=True)` lists these.
 *
 * @example
 * ```ts
 * isWallarooTaskKilled({ status: "pending_kill" }); // true
 * ```
 */
export const isWallarooTaskKilled = (task: Pick<StatusRecord<WallarooTaskStatus>, "status">): boolean =>
  wallarooTask.status(task.status).columns?.killed === true;
