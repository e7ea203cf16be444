import { DecodeError } from "../../lifecycle/errors.js";
import { parseWallarooCron, wallarooCronMatches, wallarooCronNext } from "./cron.js";
import type { WallarooTaskEvent } from "./task.js";
import type { WallarooTask } from "./task-record.js";
import { isWallarooTaskRunActive, type WallarooTaskRun } from "./task-run.js";

/**
 * When a task's runs start and stop, as a pure function of the task, its runs and a time. The
 * simulator calls {@link planWallarooTask} at every time something may happen (`nextAt`, a run's
 * end, a kill) and applies the plan with `applyWallarooPlan`.
 *
 * - Run Once: exactly one run, started when the task is created.
 * - Run Scheduled: a run at every cron match after the task's creation, whether or not earlier
 *   runs have ended (runs may overlap); a timed-out run does not stop the schedule.
 * - Run Continuously: a run at creation, then the next one {@link wallarooContinuousRestartDelayMs}
 *   after the previous one ends, whatever its outcome; never two at once.
 * - Kill: no run starts after it; the next plan halts every running run, deletes every run's logs
 *   and confirms the kill.
 * - Pause (experimental, Run Scheduled): the next plan confirms it (paused); no match starts a run
 *   while pausing or paused; resume is confirmed by the next plan, and matches count from then on.
 */

/** A task and its runs: all the state a plan reads. */
export interface WallarooTaskState {
  readonly task: WallarooTask;
  readonly runs: readonly WallarooTaskRun[];
}

/**
 * How long after a Run Continuously task's run ends the next one starts: 10 s, Kubernetes' first
 * container-restart back-off, well inside the seed's "within one minute". We do not grow it: the
 * seed promises a new run within one minute whatever the outcome.
 */
export const wallarooContinuousRestartDelayMs = 10_000;

/** At most this many runs start in one plan; when more matches are due, `nextAt` is `now` (plan again). */
export const wallarooMaxStartsPerPlan = 100;

/** A run to create. */
export interface WallarooPlannedStart {
  readonly at: string;
  /** The cron match it runs for (Run Scheduled), else null. */
  readonly scheduledAt: string | null;
}

/** A running run the platform ends: its timeout elapsed, or its task was killed. */
export interface WallarooPlannedStop {
  readonly runId: string;
  readonly event: "timeOut" | "halt";
  readonly at: string;
}

/** What should happen now, in the order it is applied: stops, log deletions, task events, starts. */
export interface WallarooTaskPlan {
  readonly stop: readonly WallarooPlannedStop[];
  /** Runs whose logs the kill deletes. */
  readonly deleteLogs: readonly string[];
  readonly taskEvents: readonly { readonly type: WallarooTaskEvent; readonly at: string }[];
  readonly start: readonly WallarooPlannedStart[];
  /** The next time planning may change something if nothing else happens; null: never. */
  readonly nextAt: string | null;
}

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();
const minTime = (times: readonly (number | null)[]) => {
  const real = times.filter((t): t is number => t !== null);
  return real.length === 0 ? null : Math.min(...real);
};

/**
 * When a run times out (its start plus the task's timeout, in epoch ms), or null without a timeout.
 *
 * @example
 * ```ts
 * wallarooRunDeadline({ timeoutSeconds: 600 }, run); // Date.parse(run.createdAt) + 600_000
 * ```
 */
export function wallarooRunDeadline(task: Pick<WallarooTask, "timeoutSeconds">, run: WallarooTaskRun) {
  return task.timeoutSeconds === null ? null : ms(run.createdAt) + task.timeoutSeconds * 1000;
}

/** When a finished run ended: the time of its last transition. */
const endOf = (run: WallarooTaskRun) => ms(run.lastTransitionTime ?? run.updatedAt);

/**
 * Says what to do with a task at `now`: which runs to stop (timeout, kill), which logs to delete,
 * which task events to apply and which runs to start, and when to plan again. Pure: the same state
 * and time give the same plan.
 *
 * @example
 * ```ts
 * const plan = planWallarooTask({ task, runs: [] }, task.createdAt);
 * plan.taskEvents; // [{ type: "start", at: task.createdAt }]
 * plan.start; // [{ at: task.createdAt, scheduledAt: null }] for Run Once and Run Continuously
 * ```
 */
export function planWallarooTask(state: WallarooTaskState, now: string): WallarooTaskPlan {
  const { task, runs } = state;
  const t = ms(now);
  // Runs that have not ended: running, or unknown (the platform lost track of them; not an end).
  const running = runs.filter(isWallarooTaskRunActive);
  if (task.status === "pending_kill" || task.status === "killed") {
    return {
      stop: running.map((r) => ({ runId: r.id, event: "halt", at: now })),
      deleteLogs: runs.filter((r) => !r.logsDeleted).map((r) => r.id),
      taskEvents: task.status === "pending_kill" ? [{ type: "confirmKill", at: now }] : [],
      start: [],
      nextAt: null,
    };
  }
  const stop: WallarooPlannedStop[] = [];
  const ended = new Map<string, number>();
  for (const r of running) {
    const deadline = wallarooRunDeadline(task, r);
    if (deadline !== null && deadline <= t) {
      stop.push({ runId: r.id, event: "timeOut", at: iso(deadline) });
      ended.set(r.id, deadline);
    }
  }
  const stillRunning = running.filter((r) => !ended.has(r.id));
  const endTime = (r: WallarooTaskRun) => ended.get(r.id) ?? (isWallarooTaskRunActive(r) ? null : endOf(r));
  const taskEvents: { type: WallarooTaskEvent; at: string }[] = [];
  let status = task.status;
  const wake: (number | null)[] = stillRunning.map((r) => wallarooRunDeadline(task, r));
  if (status === "pending") {
    if (ms(task.createdAt) <= t) {
      taskEvents.push({ type: "start", at: task.createdAt });
      status = "started";
    } else wake.push(ms(task.createdAt));
  }
  // The experimental pause (wallaroo 2026.1.3): the platform confirms at the next plan.
  if (status === "pending_pause") {
    taskEvents.push({ type: "confirmPause", at: now });
    status = "paused";
  } else if (status === "pending_resume") {
    taskEvents.push({ type: "confirmResume", at: now });
    status = "started";
  }
  const resumedAt = task.status === "pending_resume" ? now : null;
  const start: WallarooPlannedStart[] = [];
  if (status === "started") {
    if (task.type === "once") {
      const only = runs[0];
      if (only === undefined) start.push({ at: task.createdAt, scheduledAt: null });
      else if (endTime(only) !== null) {
        const outcome = ended.has(only.id) ? "timed_out" : only.status;
        const type =
          outcome === "success" ? "runSucceeded" : outcome === "timed_out" ? "runTimedOut" : "runFailed";
        taskEvents.push({ type, at: iso(endTime(only)!) });
      }
    } else if (task.type === "continuous") {
      if (runs.length === 0) start.push({ at: task.createdAt, scheduledAt: null });
      else if (stillRunning.length === 0) {
        const lastEnd = Math.max(...runs.map((r) => endTime(r)!));
        const next = lastEnd + wallarooContinuousRestartDelayMs;
        if (next <= t) start.push({ at: iso(next), scheduledAt: null });
        else wake.push(next);
      }
    } else {
      wake.push(...planScheduled(task, runs, now, start, resumedAt));
    }
  }
  // A run started now may time out before anything else happens.
  for (const s of start) if (task.timeoutSeconds !== null) wake.push(ms(s.at) + task.timeoutSeconds * 1000);
  const nextAt = minTime(wake);
  return { stop, deleteLogs: [], taskEvents, start, nextAt: nextAt === null ? null : iso(nextAt) };
}

/** Parsed schedules by text: a plan runs at every instant of a simulation (a bounded memo). */
const schedules = new Map<string, ReturnType<typeof parseWallarooCron>>();

function parsedSchedule(schedule: string) {
  let parsed = schedules.get(schedule);
  if (parsed === undefined) {
    if (schedules.size >= 256) schedules.clear();
    parsed = parseWallarooCron(schedule);
    schedules.set(schedule, parsed);
  }
  return parsed;
}

/** Adds the cron matches due by `now` to `start`; returns the time to plan again. */
function planScheduled(
  task: WallarooTask,
  runs: readonly WallarooTaskRun[],
  now: string,
  start: WallarooPlannedStart[],
  resumedAt: string | null,
): (number | null)[] {
  const cron = task.schedule === null ? null : parsedSchedule(task.schedule);
  // createWallarooTask refuses invalid schedules; a task decoded from elsewhere may still carry one.
  if (cron === null || cron instanceof DecodeError) return [];
  const scheduled = runs.map((r) => r.scheduledAt).filter((s): s is string => s !== null);
  // Matches strictly after the task's creation, or after the last match already started, or after
  // the task last became started (a resume: matches missed while paused are not started).
  const since = [task.createdAt, ...scheduled];
  if (resumedAt !== null) since.push(resumedAt);
  else if (task.status === "started" && task.lastTransitionTime !== null) since.push(task.lastTransitionTime);
  const anchor = since.reduce((a, s) => (ms(s) > ms(a) ? s : a));
  const due = wallarooCronMatches(cron, anchor, now, wallarooMaxStartsPerPlan);
  for (const m of due) start.push({ at: m, scheduledAt: m });
  if (due.length === wallarooMaxStartsPerPlan) return [ms(now)];
  const next = wallarooCronNext(cron, due.at(-1) ?? anchor);
  return [next === null ? null : ms(next)];
}
