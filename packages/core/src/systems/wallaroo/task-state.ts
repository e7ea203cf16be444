import { TransitionError } from "../../lifecycle/errors.js";
import type { LifecycleEventOf } from "../../lifecycle/lifecycle.js";
import { trustedTime } from "../../lifecycle/time.js";
import type { WallarooTaskPlan, WallarooTaskState } from "./schedule.js";
import { wallarooRunDeadline } from "./schedule.js";
import { wallarooTask } from "./task.js";
import type { WallarooTask } from "./task-record.js";
import { isWallarooTaskRunActive, type WallarooTaskRun, wallarooTaskRun } from "./task-run.js";

/**
 * The operations that change a task's state: applying a plan, and the three things that come from
 * outside (a kill, a run's own end, log lines). Each returns the next state, or a
 * {@link TransitionError} when the machine refuses; none throws.
 */

const later = (a: string, b: string) => (Date.parse(b) > Date.parse(a) ? b : a);

function stepTask(
  task: WallarooTask,
  event: LifecycleEventOf<typeof wallarooTask> & { at: string },
): WallarooTask | TransitionError {
  const next = trustedTime(wallarooTask.step(task, event));
  if (next instanceof TransitionError) return next;
  return next === task ? task : { ...task, ...next, updatedAt: later(task.updatedAt, event.at) };
}

function stepRun(
  run: WallarooTaskRun,
  event: LifecycleEventOf<typeof wallarooTaskRun> & { at: string },
): WallarooTaskRun | TransitionError {
  const next = trustedTime(wallarooTaskRun.step(run, event));
  if (next instanceof TransitionError) return next;
  return { ...run, ...next, updatedAt: event.at };
}

/**
 * Applies a plan from {@link planWallarooTask}: stops, log deletions, task events, then starts.
 * New runs get their ids from `newRunId` (the caller's deterministic source of ids).
 *
 * @example
 * ```ts
 * const plan = planWallarooTask(state, now);
 * const next = applyWallarooPlan(state, plan, (i) => `${state.task.id}-run-${state.runs.length + i}`);
 * ```
 */
export function applyWallarooPlan(
  state: WallarooTaskState,
  plan: WallarooTaskPlan,
  newRunId: (index: number) => string,
): WallarooTaskState | TransitionError {
  const runs = [...state.runs];
  for (const s of plan.stop) {
    const i = runs.findIndex((r) => r.id === s.runId);
    const next = stepRun(runs[i]!, { type: s.event, at: s.at });
    if (next instanceof TransitionError) return next;
    runs[i] = next;
  }
  const deleted = new Set(plan.deleteLogs);
  for (const [i, r] of runs.entries()) if (deleted.has(r.id)) runs[i] = { ...r, logs: [], logsDeleted: true };
  let task = state.task;
  for (const e of plan.taskEvents) {
    const next = stepTask(task, e);
    if (next instanceof TransitionError) return next;
    task = next;
  }
  plan.start.forEach((s, i) => {
    runs.push({
      ...wallarooTaskRun.initial(s.at),
      id: newRunId(i),
      taskId: task.id,
      createdAt: s.at,
      updatedAt: s.at,
      scheduledAt: s.scheduledAt,
      logs: [],
      logsDeleted: false,
    });
  });
  return { task, runs };
}

/**
 * `Task.kill()`: the task moves to pending_kill at once (the SDK returns `pending_kill`); the next
 * plan halts its runs, deletes their logs and confirms `killed`. Killing again changes nothing.
 *
 * @example
 * ```ts
 * const killed = killWallarooTask(state, "2024-07-16T19:40:00Z");
 * ```
 */
export function killWallarooTask(state: WallarooTaskState, at: string): WallarooTaskState | TransitionError {
  const task = stepTask(state.task, { type: "kill", at });
  if (task instanceof TransitionError) return task;
  return task === state.task ? state : { ...state, task };
}

/**
 * The SDK's EXPERIMENTAL `Task._pause()` (`event: "pause"`) or `Task._resume()` (`"resume"`),
 * wallaroo 2026.1.3: a started Run Scheduled task moves to pending_pause (the next plan confirms
 * paused), a paused one to pending_resume (the next plan confirms started). The SDK documents pause
 * for tasks started with `run_scheduled` only; another type is refused.
 *
 * @example
 * ```ts
 * const pausing = pauseWallarooTask(state, "pause", "2024-07-16T19:40:00Z"); // task: pending_pause
 * ```
 */
export function pauseWallarooTask(
  state: WallarooTaskState,
  event: "pause" | "resume",
  at: string,
): WallarooTaskState | TransitionError {
  if (state.task.type !== "scheduled")
    return new TransitionError(
      "wallaroo",
      "Task",
      state.task.status,
      null,
      { type: event, reason: null },
      wallarooTask.allowed(state.task.status, null),
      `the SDK's experimental ${event} applies to Run Scheduled tasks only; task ${state.task.id} is ${state.task.type}`,
    );
  const task = stepTask(state.task, { type: event, at });
  if (task instanceof TransitionError) return task;
  return { ...state, task };
}

/**
 * A run's script ended on its own at `at`, successfully or not. An end at or after the run's
 * deadline is too late: the run timed out at the deadline instead.
 *
 * @example
 * ```ts
 * const next = finishWallarooRun(state, runId, "success", "2024-07-16T19:17:39Z");
 * ```
 */
export function finishWallarooRun(
  state: WallarooTaskState,
  runId: string,
  outcome: "success" | "failure",
  at: string,
): WallarooTaskState | TransitionError {
  const i = state.runs.findIndex((r) => r.id === runId);
  const run = state.runs[i];
  if (run === undefined) {
    return new TransitionError(
      "wallaroo",
      "TaskRun",
      "unknown",
      null,
      { type: "finish", reason: null },
      [],
      `no run ${runId} in task ${state.task.id}`,
    );
  }
  const deadline = isWallarooTaskRunActive(run) ? wallarooRunDeadline(state.task, run) : null;
  const event =
    deadline !== null && deadline <= Date.parse(at)
      ? { type: "timeOut" as const, at: new Date(deadline).toISOString() }
      : { type: outcome === "success" ? ("succeed" as const) : ("fail" as const), at };
  const next = stepRun(run, event);
  if (next instanceof TransitionError) return next;
  const runs = [...state.runs];
  runs[i] = next;
  return { ...state, runs };
}

/**
 * The platform loses track of a run at `at` (`lose`: its pod is gone and no outcome was recorded;
 * the SDK reports `unknown`), or sees it executing again (`regain`). An unknown run has not ended:
 * its timeout, a kill and its own end still apply.
 *
 * @example
 * ```ts
 * const lost = observeWallarooRun(state, runId, "lose", "2024-07-16T19:20:00Z"); // run: unknown
 * ```
 */
export function observeWallarooRun(
  state: WallarooTaskState,
  runId: string,
  event: "lose" | "regain",
  at: string,
): WallarooTaskState | TransitionError {
  const i = state.runs.findIndex((r) => r.id === runId);
  const run = state.runs[i];
  if (run === undefined)
    return new TransitionError(
      "wallaroo",
      "TaskRun",
      "unknown",
      null,
      { type: event, reason: null },
      [],
      `no run ${runId} in task ${state.task.id}`,
    );
  const next = stepRun(run, { type: event, at });
  if (next instanceof TransitionError) return next;
  const runs = [...state.runs];
  runs[i] = next;
  return { ...state, runs };
}

/**
 * Appends log lines to a run. Once the task's kill was issued, lines are dropped: the kill deletes
 * every run's logs and no new ones are kept.
 *
 * @example
 * ```ts
 * appendWallarooRunLogs(state, runId, ["2023-22-May 19:59:29 Getting arrow table file"]);
 * ```
 */
export function appendWallarooRunLogs(
  state: WallarooTaskState,
  runId: string,
  lines: readonly string[],
): WallarooTaskState {
  const killed = state.task.status === "pending_kill" || state.task.status === "killed";
  if (killed || lines.length === 0) return state;
  return {
    ...state,
    runs: state.runs.map((r) =>
      r.id === runId && !r.logsDeleted ? { ...r, logs: [...r.logs, ...lines] } : r,
    ),
  };
}
