import {
  appendWallarooRunLogs,
  applyWallarooPlan,
  buildWallarooPackageZip,
  checkWallarooPackage,
  createWallarooTask,
  DecodeError,
  finishWallarooRun,
  type HistoryCause,
  killWallarooTask,
  lastWallarooRunStatus,
  lastWallarooRuns,
  pauseWallarooTask,
  planWallarooTask,
  TransitionError,
  type WallarooOrchestration,
  type WallarooTask,
  type WallarooTaskRun,
  type WallarooTaskState,
  wallarooOrchestration,
  wallarooRunLogs,
} from "@phasekit/core";
import { Agenda } from "../../agenda.js";
import type { TimelineEntry } from "../../timeline.js";
import { isoAt, type SystemNote } from "../fields.js";
import { type TasksAction, taskActingOf } from "./causes.js";
import { checkWallarooTaskState } from "./invariants.js";
import {
  type WallarooOrchestrationSpec,
  type WallarooTaskScenarioEvent,
  type WallarooTaskSpec,
  wallarooTaskEventAction,
} from "./scenario.js";

/**
 * The Wallaroo tasks engine: orchestrations packaged and tasks run in simulated time, through
 * core's pure task model (`checkWallarooPackage`, `createWallarooTask`, `planWallarooTask`,
 * `applyWallarooPlan`, `finishWallarooRun`, `killWallarooTask`, `appendWallarooRunLogs`). Core
 * decides when runs start and stop (cron matches, the continuous restart delay, timeouts, kills);
 * the engine only calls the planner at the times it names and plays each run's scripted outcome.
 *
 * @module
 */

/** The workspace every simulated orchestration and task belongs to. */
export const simulatedWorkspace = { workspaceId: 1, workspaceName: "simulation" } as const;

const epoch = Date.parse(isoAt(0));
const msOf = (iso: string) => Date.parse(iso) - epoch;

/**
 * Wallaroo orchestrations and tasks in simulated time. Drive it from a scenario (`plan`, then
 * `advanceTo`) or call by call (`upload`, `create`, `kill`, `advanceTo`); query `lastRuns`,
 * `lastRunStatus` and `logs` afterwards.
 *
 * @example
 * ```ts
 * const engine = new WallarooTasksEngine();
 * engine.upload(wallarooOrchestrationResource.parse({ system: "wallaroo", kind: "Orchestration", id: "o", files: { "main.py": "" } }));
 * engine.advanceTo(60_000); // ready after 5 s queued and 30 s packaging
 * engine.create(wallarooTaskResource.parse({ system: "wallaroo", kind: "Task", id: "t", orchestration: "o", type: "once", at: 60_000 }));
 * engine.advanceTo(120_000);
 * engine.lastRunStatus("t"); // "success"
 * ```
 */
export class WallarooTasksEngine {
  readonly timeline: TimelineEntry[] = [];
  readonly notes: SystemNote[] = [];
  /** What broke an invariant when it happened (two continuous runs at once, a run after a kill). */
  readonly breaches: string[] = [];
  /** Operations core refused where the engine expected them to succeed (an invariant: stays empty). */
  readonly errors: string[] = [];
  now = 0;
  readonly orchestrations = new Map<string, WallarooOrchestration>();
  readonly tasks = new Map<string, WallarooTaskState>();
  /** When each task's kill was issued (ms) and how many runs it had then. */
  readonly kills = new Map<string, { readonly at: number; readonly runs: number }>();
  private readonly specs = new Map<string, WallarooOrchestrationSpec>();
  private readonly taskSpecs = new Map<string, WallarooTaskSpec>();
  private readonly agenda = new Agenda<TasksAction>();
  private readonly planAt = new Map<string, Set<number>>();
  /** The cause of what the action being performed changes. */
  private acting: HistoryCause | null = null;
  private readonly shown = new Map<string, string>();

  /** Schedules the scenario's uploads, task creations and kills. */
  plan(
    orchestrations: readonly WallarooOrchestrationSpec[],
    tasks: readonly WallarooTaskSpec[],
    events: readonly WallarooTaskScenarioEvent[],
  ): void {
    for (const spec of orchestrations) this.agenda.schedule(spec.at, { type: "upload", spec });
    for (const spec of tasks) this.agenda.schedule(spec.at, { type: "create", spec });
    for (const e of events) {
      const { action, task } = wallarooTaskEventAction(e);
      this.agenda.schedule(e.at, { type: action, task, takesMs: e.takes });
    }
  }

  /** `upload_orchestration` now. */
  upload(spec: WallarooOrchestrationSpec): void {
    this.perform({ type: "upload", spec });
  }

  /** `run_once` / `run_scheduled` / `run_continuously` now. */
  create(spec: WallarooTaskSpec): void {
    this.perform({ type: "create", spec });
  }

  /** `task.kill()` now; the kill completes `takesMs` later. */
  kill(task: string, takesMs = 5_000): void {
    this.perform({ type: "kill", task, takesMs });
  }

  nextDue(): number | undefined {
    return this.agenda.next();
  }

  advanceTo(until: number): void {
    for (let at = this.nextDue(); at !== undefined && at <= until; at = this.nextDue()) {
      this.now = Math.max(this.now, at);
      // A kill goes first among simultaneous actions: a cron match at the very instant of a kill does not start.
      const due = this.agenda.takeDue(at);
      const kills = due.filter((a) => a.type === "kill");
      for (const action of [...kills, ...due.filter((a) => a.type !== "kill")]) this.perform(action);
    }
    this.now = Math.max(this.now, until);
  }

  /** `task.last_runs(status=, limit=)`, or undefined for a task that was never created. */
  lastRuns(task: string, options: unknown = {}): WallarooTaskRun[] | DecodeError | undefined {
    const state = this.tasks.get(task);
    return state && lastWallarooRuns(state.runs, options);
  }

  /** The task's last run status (`unknown` before any run), or undefined for a task never created. */
  lastRunStatus(task: string): ReturnType<typeof lastWallarooRunStatus> | undefined {
    const state = this.tasks.get(task);
    return state && lastWallarooRunStatus(state.runs);
  }

  /** `run.logs(limit=)` of a run (`<task>-run-<n>`), or undefined for an unknown run. */
  logs(run: string, options: unknown = {}): string[] | DecodeError | undefined {
    for (const state of this.tasks.values()) {
      const found = state.runs.find((r) => r.id === run);
      if (found) return wallarooRunLogs(found, options);
    }
    return undefined;
  }

  /** Every task with its status, last run status and runs (each with its logs), as plain JSON. */
  summary(): Record<string, { status: string; lastRunStatus: string; runs: WallarooTaskRun[] }> {
    const out: Record<string, { status: string; lastRunStatus: string; runs: WallarooTaskRun[] }> = {};
    for (const [id, s] of this.tasks)
      out[id] = {
        status: s.task.status,
        lastRunStatus: lastWallarooRunStatus(s.runs),
        runs: lastWallarooRuns(s.runs) as WallarooTaskRun[],
      };
    return out;
  }

  private perform(action: TasksAction): void {
    this.acting = taskActingOf(action);
    if (action.type === "upload") this.doUpload(action.spec);
    else if (action.type === "packaging" || action.type === "packaged") this.package(action.id, action.type);
    else if (action.type === "create") this.doCreate(action.spec);
    else if (action.type === "finish") this.finish(action.task, action.run, action.outcome);
    else if (action.type === "kill") this.doKill(action.task, action.takesMs);
    else if (action.type !== "plan") this.doPause(action.task, action.type, action.takesMs);
    else {
      this.planAt.get(action.task)?.delete(this.now);
      this.step(action.task, action.confirmKill);
    }
  }

  private doUpload(spec: WallarooOrchestrationSpec): void {
    const at = isoAt(this.now);
    const zip = spec.bytes ?? (spec.files && buildWallarooPackageZip(spec.files));
    if (zip === undefined) {
      this.note(spec.id, `upload refused: ${spec.zip} was not read (a zip is read by \`phasekit simulate\`)`);
      return;
    }
    const meta = { name: spec.name ?? null, fileName: spec.fileName ?? null, createdAt: at, updatedAt: at };
    const check = checkWallarooPackage(zip, meta);
    if (check instanceof DecodeError || !check.ok) {
      const why =
        check instanceof DecodeError ? check.message : check.violations.map((v) => v.message).join("; ");
      this.note(spec.id, `upload refused: ${why}`);
      return;
    }
    const record = wallarooOrchestration.stepOrThrow(wallarooOrchestration.initial(at), {
      type: "upload",
      at,
    });
    this.orchestrations.set(spec.id, {
      ...record,
      id: spec.id,
      name: meta.name,
      fileName: meta.fileName,
      sha: check.package.sha,
      createdAt: at,
      updatedAt: at,
      ...simulatedWorkspace,
    });
    this.specs.set(spec.id, spec);
    this.entry("Orchestration", spec.id, record.status, null);
    this.note(
      spec.id,
      `uploaded: entrypoint ${check.package.entrypoint}, sha256 ${check.package.sha.slice(0, 12)}`,
    );
    this.agenda.schedule(this.now + spec.queued, { type: "packaging", id: spec.id });
  }

  private package(id: string, phase: "packaging" | "packaged"): void {
    const o = this.orchestrations.get(id)!;
    const spec = this.specs.get(id)!;
    const at = isoAt(this.now);
    const type =
      phase === "packaging" ? "startPackaging" : spec.packagingFails ? "packagingFailed" : "packaged";
    const next = wallarooOrchestration.step(o, { type, at });
    if (next instanceof Error) {
      this.errors.push(`${id}: ${next.message}`);
      return;
    }
    this.orchestrations.set(id, { ...o, ...next, updatedAt: at });
    this.entry("Orchestration", id, next.status, null);
    if (phase === "packaging") this.agenda.schedule(this.now + spec.packaging, { type: "packaged", id });
  }

  private doCreate(spec: WallarooTaskSpec): void {
    const o = this.orchestrations.get(spec.orchestration);
    if (o === undefined) {
      this.note(spec.id, `task refused: orchestration ${spec.orchestration} was not uploaded`);
      return;
    }
    const request = {
      type: spec.type,
      name: spec.name ?? spec.id,
      jsonArgs: spec.args,
      ...(spec.schedule !== undefined && { schedule: spec.schedule }),
      ...(spec.timeout !== undefined && { timeout: spec.timeout / 1000 }),
    };
    const task = createWallarooTask(o, request, { id: spec.id, at: isoAt(this.now) });
    if (task instanceof DecodeError) {
      this.note(
        spec.id,
        `task refused: ${task.issues.map((i) => `${i.path}: got ${JSON.stringify(i.value)}, expected ${i.expected}`).join("; ")}`,
      );
      return;
    }
    this.taskSpecs.set(spec.id, spec);
    this.tasks.set(spec.id, { task, runs: [] });
    this.entry("Task", spec.id, task.status, null);
    this.step(spec.id, false);
  }

  private doKill(id: string, takesMs: number): void {
    const state = this.tasks.get(id);
    if (state === undefined) {
      this.note(id, "kill refused: no such task");
      return;
    }
    const next = killWallarooTask(state, isoAt(this.now));
    if (next instanceof TransitionError) {
      this.errors.push(`${id}: ${next.message}`);
      return;
    }
    if (next === state) {
      this.note(id, "kill repeated: no change");
      return;
    }
    this.kills.set(id, { at: this.now, runs: state.runs.length });
    this.commit(id, next);
    this.agenda.schedule(this.now + takesMs, { type: "plan", task: id, confirmKill: true });
  }

  /** The SDK's experimental `_pause()` / `_resume()`: pending now, confirmed by the plan `takesMs` later. */
  private doPause(id: string, event: "pause" | "resume", takesMs: number): void {
    const state = this.tasks.get(id);
    const next = state === undefined ? undefined : pauseWallarooTask(state, event, isoAt(this.now));
    if (next === undefined || next instanceof TransitionError) {
      this.note(id, `${event} refused: ${next?.message ?? "no such task"}`);
      return;
    }
    this.commit(id, next);
    this.agenda.schedule(this.now + takesMs, { type: "plan", task: id, confirmKill: true, confirms: event });
  }

  /** A run's script ended on its own (if it still runs: a kill or the timeout may have ended it first). */
  private finish(id: string, runId: string, outcome: "success" | "failure"): void {
    const state = this.tasks.get(id)!;
    if (state.runs.find((r) => r.id === runId)?.status !== "running") return;
    const next = finishWallarooRun(state, runId, outcome, isoAt(this.now));
    if (next instanceof TransitionError) {
      this.errors.push(`${runId}: ${next.message}`);
      return;
    }
    this.commit(id, next);
    this.step(id, false);
  }

  /**
   * Plans the task now and applies the plan, again while the planner says something is due now.
   * While a kill is pending only its confirmation plans: the kill takes its time.
   */
  private step(id: string, confirmKill: boolean): void {
    let state = this.tasks.get(id)!;
    // A pending kill, pause or resume waits for its confirmation: the platform takes its time.
    const pending = ["pending_kill", "pending_pause", "pending_resume"].includes(state.task.status);
    if (pending && !confirmKill) return;
    for (let round = 0; round < 1_000; round++) {
      const plan = planWallarooTask(state, isoAt(this.now));
      const before = state.runs.length;
      const next = applyWallarooPlan(state, plan, (i) => `${id}-run-${before + i + 1}`);
      if (next instanceof TransitionError) {
        this.errors.push(`${id}: ${next.message}`);
        return;
      }
      state = next;
      for (const run of state.runs.slice(before)) state = this.startRun(state, run);
      this.commit(id, state);
      if (plan.nextAt === null) return;
      const at = msOf(plan.nextAt);
      if (at > this.now) {
        this.schedulePlan(id, at);
        return;
      }
    }
    this.errors.push(`${id}: the planner kept asking to plan again at ${this.now} ms`);
  }

  private schedulePlan(id: string, at: number): void {
    const times = this.planAt.get(id) ?? new Set<number>();
    this.planAt.set(id, times);
    if (times.has(at)) return;
    times.add(at);
    this.agenda.schedule(at, { type: "plan", task: id, confirmKill: false });
  }

  /** A run started: it writes its scripted log lines and, unless it hangs, ends after `takes`. */
  private startRun(state: WallarooTaskState, run: WallarooTaskRun): WallarooTaskState {
    const spec = this.taskSpecs.get(state.task.id)!;
    const index = state.runs.indexOf(run);
    const script = spec.runs[Math.min(index, spec.runs.length - 1)]!;
    if (script.outcome !== "hang")
      this.agenda.schedule(msOf(run.createdAt) + script.takes, {
        type: "finish",
        task: state.task.id,
        run: run.id,
        outcome: script.outcome,
      });
    return appendWallarooRunLogs(state, run.id, script.logs);
  }

  /** Stores the task's new state, shows every status change and checks the state. */
  private commit(id: string, state: WallarooTaskState): void {
    this.tasks.set(id, state);
    const task: WallarooTask = state.task;
    // Runs that ended show before their task (a Run Once task's outcome follows its run's), runs that
    // started show after it (a task is started before its first run).
    const showRuns = (running: boolean) => {
      for (const run of state.runs) {
        const shown = `${run.status}/${run.reason}`;
        if ((run.status === "running") !== running || this.shown.get(run.id) === shown) continue;
        this.entry("TaskRun", run.id, run.status, run.reason);
        this.shown.set(run.id, shown);
      }
    };
    showRuns(false);
    if (this.shown.get(id) !== task.status) this.entry("Task", id, task.status, null);
    showRuns(true);
    this.breaches.push(...checkWallarooTaskState(state, this.kills.get(id)));
  }

  private entry(
    kind: "Orchestration" | "Task" | "TaskRun",
    id: string,
    status: string,
    reason: string | null,
  ) {
    if (kind !== "TaskRun") this.shown.set(id, status);
    const causes = this.acting === null ? [] : [this.acting];
    this.timeline.push({ t: this.now / 1000, system: "wallaroo", kind, id, status, reason, causes });
  }

  note(id: string, text: string): void {
    this.notes.push({ t: this.now / 1000, system: "wallaroo", id, text });
  }
}
