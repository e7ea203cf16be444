import {
  advanceWallarooDeployment,
  deployWallarooPipeline,
  failWallarooDeployment,
  type HistoryCause,
  nextWallarooDeploymentEvent,
  recoverWallarooDeployment,
  requestWallarooInference,
  setWallarooLoad,
  TransitionError,
  undeployWallarooPipeline,
  type WallarooDeploymentChange,
  type WallarooDeploymentState,
  type WallarooDeploymentStep,
  type WallarooLoad,
  type WallarooWaitTarget,
  wallarooPipelineStatusText,
  wallarooScaleDownStabilizationMs,
  wallarooUndeployed,
  wallarooWaitPoll,
} from "@phasekit/core";
import { Agenda } from "../../agenda.js";
import type { TimelineEntry } from "../../timeline.js";
import type { WallarooDeploymentScenarioEvent, WallarooDeploymentSpec } from "./scenario.js";
import { TaskRuns } from "./task-runs.js";

/**
 * The Wallaroo deployment engine: pipeline deployments in simulated time, through core's pure
 * deployment model (`deployWallarooPipeline`, `setWallarooLoad`, `requestWallarooInference`,
 * `advanceWallarooDeployment` ...). The engine only decides when each is called, following the
 * scenario's script, and turns what they report into the timeline (Deployment and TaskRun statuses)
 * and notes (replicas, inference outcomes). Pure and deterministic: simulated time, seeded jitter.
 *
 * @module
 */

/** Something besides a status change (replicas, an inference outcome, a refused command). */
export interface WallarooNote {
  /** Simulated seconds since the start. */
  readonly t: number;
  readonly system: "wallaroo";
  readonly id: string;
  readonly text: string;
}

/** One change a deployment reported, in milliseconds, with its deployment (what the invariants read). */
export interface WallarooLogged {
  readonly id: string;
  readonly change: WallarooDeploymentChange;
}

export type WallarooAction =
  | { readonly type: "deploy" | "undeploy" | "recover"; readonly id: string }
  | { readonly type: "fail"; readonly id: string; readonly reason: "Unschedulable" | "EngineFailed" }
  | { readonly type: "load"; readonly id: string; readonly load: WallarooLoad }
  | { readonly type: "infer"; readonly id: string; readonly timeoutMs: number | undefined }
  | {
      readonly type: "wakeUp";
      readonly id: string;
      readonly task: string | undefined;
      readonly everyMs: number | undefined;
      readonly timeoutMs: number | undefined;
    }
  | { readonly type: "resume"; readonly task: string; readonly gen: number; readonly reply: unknown }
  | {
      readonly type: "waitPoll";
      readonly id: string;
      readonly target: WallarooWaitTarget;
      readonly start: number;
    }
  | { readonly type: "taskTimeout"; readonly task: string };

/**
 * The engine: plan the scenario's deployments and events, then advance simulated time.
 *
 * @example
 * ```ts
 * const engine = new WallarooDeploymentEngine(1);
 * engine.plan(scenario.deployments, scenario.events);
 * engine.advanceTo(3 * 3_600_000);
 * engine.timeline; // Deployment and TaskRun status changes
 * ```
 */
export class WallarooDeploymentEngine {
  readonly timeline: TimelineEntry[] = [];
  readonly notes: WallarooNote[] = [];
  readonly log: WallarooLogged[] = [];
  /** The status of each deployment when each inference was requested (request id -> status). */
  readonly requestedWhile = new Map<string, string>();
  readonly states = new Map<string, WallarooDeploymentState>();
  readonly specs = new Map<string, WallarooDeploymentSpec>();
  now = 0;
  /** What the scenario declared (deployments, events, task timeouts): it decides how long a run lasts. */
  private readonly planned = new Agenda<WallarooAction>();
  /** The task scripts' own steps (sleeps ending, inference outcomes): an endless loop does not keep a run going. */
  private readonly scripted = new Agenda<WallarooAction>();
  /** The wake-up task runs (their status records: `engine.tasks.records()`). */
  readonly tasks: TaskRuns;
  private requests = 0;
  /** The last instant anything happened; the run is quiet once `settleSpan` passes without change. */
  private lastActivity = 0;

  constructor(readonly seed: number) {
    this.tasks = new TaskRuns(this);
  }

  /** Schedules the scenario's deployments and events. */
  plan(
    deployments: readonly WallarooDeploymentSpec[],
    events: readonly WallarooDeploymentScenarioEvent[],
  ): void {
    deployments.forEach((spec, i) => {
      this.specs.set(spec.id, spec);
      this.states.set(spec.id, wallarooUndeployed({ seed: (this.seed + i * 0x9e3779b9) >>> 0 }));
      this.planned.schedule(spec.at, { type: "deploy", id: spec.id });
    });
    for (const e of events) this.planned.schedule(e.at, actionOf(e));
  }

  /** Schedules a task script's resume, or a task's timeout (which counts as declared by the scenario). */
  schedule(at: number, action: WallarooAction): void {
    (action.type === "resume" || action.type === "waitPoll" ? this.scripted : this.planned).schedule(
      at,
      action,
    );
  }

  /** When something scripted is next due; with nothing left, once the deployments have settled. */
  nextDue(): number | undefined {
    const next = this.planned.next();
    if (next !== undefined) return next;
    const quiet = this.lastActivity + this.settleSpan();
    return quiet > this.now ? quiet : undefined;
  }

  /** When anything is next due (a declared or scripted action, a change of a deployment), or undefined. */
  nextEvent(): number | undefined {
    const due = [
      this.planned.next(),
      this.scripted.next(),
      ...[...this.states.values()].map(nextWallarooDeploymentEvent),
    ];
    const at = Math.min(...due.filter((t): t is number => t !== undefined));
    return Number.isFinite(at) ? at : undefined;
  }

  /** Runs every scripted action and every change of the deployments up to `until` (milliseconds). */
  advanceTo(until: number): void {
    for (;;) {
      const at = this.nextEvent();
      if (at === undefined || at > until) break;
      this.now = Math.max(this.now, at);
      for (const id of this.states.keys())
        this.apply(id, advanceWallarooDeployment(this.state(id), this.now));
      for (const action of this.planned.takeDue(this.now)) this.perform(action);
      for (const action of this.scripted.takeDue(this.now)) this.perform(action);
    }
    this.now = Math.max(this.now, until);
    for (const id of this.states.keys()) this.apply(id, advanceWallarooDeployment(this.state(id), this.now));
  }

  /** `pipeline.status()["status"]` of a deployment now. */
  statusText(id: string): string {
    return wallarooPipelineStatusText(this.state(id).record, id);
  }

  /** `pipeline.infer(...)` now; returns the request id (its outcome arrives as an inference change). */
  infer(id: string, timeoutMs?: number, requestId?: string): string {
    const request = requestId ?? `${id}#${++this.requests}`;
    this.requestedWhile.set(request, this.state(id).record.status);
    const timeout = timeoutMs ?? this.specs.get(id)!.inferenceTimeout;
    this.apply(id, requestWallarooInference(this.state(id), this.now, request, timeout));
    return request;
  }

  note(id: string, text: string): void {
    this.notes.push({ t: this.now / 1000, system: "wallaroo", id, text });
  }

  entry(
    kind: string,
    id: string,
    status: string,
    reason: string | null,
    atMs = this.now,
    causes: readonly HistoryCause[] = [],
  ): void {
    this.timeline.push({ t: atMs / 1000, system: "wallaroo", kind, id, status, reason, causes });
    this.lastActivity = Math.max(this.lastActivity, atMs);
  }

  private state(id: string): WallarooDeploymentState {
    return this.states.get(id)!;
  }

  private settleSpan(): number {
    let span = 0;
    for (const s of this.specs.values())
      span = Math.max(
        span,
        s.config.idlePeriodSeconds * 1000 +
          wallarooScaleDownStabilizationMs +
          s.spoolUp +
          s.spoolUpJitter +
          s.inferenceTimeout,
      );
    return span;
  }

  private perform(action: WallarooAction): void {
    if (action.type !== "resume" && action.type !== "waitPoll")
      this.lastActivity = Math.max(this.lastActivity, this.now);
    const at = this.now;
    switch (action.type) {
      case "deploy": {
        const spec = this.specs.get(action.id)!;
        const options = { config: spec.config, spoolUpMs: spec.spoolUp, spoolUpJitterMs: spec.spoolUpJitter };
        if (
          this.apply(action.id, deployWallarooPipeline(this.state(action.id), at, options), "deploy") &&
          spec.waitForStatus
        )
          this.poll({ type: "waitPoll", id: action.id, target: "running", start: at });
        return;
      }
      case "undeploy":
        // `undeploy()` always waits for the deployment to be gone (`wait_for_undeployed`).
        if (this.apply(action.id, undeployWallarooPipeline(this.state(action.id), at), "undeploy"))
          this.poll({ type: "waitPoll", id: action.id, target: "undeployed", start: at });
        return;
      case "waitPoll":
        this.poll(action);
        return;
      case "fail":
        this.apply(action.id, failWallarooDeployment(this.state(action.id), at, action.reason), "fail");
        return;
      case "recover":
        this.apply(action.id, recoverWallarooDeployment(this.state(action.id), at), "recover");
        return;
      case "load":
        this.note(action.id, `load ${action.load.ratePerSecond} requests/s`);
        this.apply(action.id, setWallarooLoad(this.state(action.id), at, action.load));
        return;
      case "infer":
        this.infer(action.id, action.timeoutMs);
        return;
      case "wakeUp":
        this.tasks.start(action);
        return;
      case "resume":
        this.tasks.resume(action.task, action.gen, action.reply);
        return;
      case "taskTimeout":
        this.tasks.timeOut(action.task);
        return;
    }
  }

  /** One poll of `wait_for_running` / `wait_for_undeployed`, as the SDK polls `status()` once a second. */
  private poll(action: Extract<WallarooAction, { type: "waitPoll" }>): void {
    const state = this.state(action.id);
    const timeoutS = this.specs.get(action.id)!.requestTimeout / 1000;
    const poll = wallarooWaitPoll(
      action.target,
      state.record,
      action.start,
      this.now,
      timeoutS,
      state.config,
    );
    if (!poll.done) {
      this.scripted.schedule(poll.nextPollAt, action);
      return;
    }
    const wait = action.target === "running" ? "wait_for_running" : "wait_for_undeployed";
    const after = `${(poll.at - action.start) / 1000}s`;
    this.notes.push({
      t: poll.at / 1000,
      system: "wallaroo",
      id: action.id,
      text: poll.ok
        ? `${wait}: ${action.target === "running" ? "Running" : "undeployed"} after ${after}`
        : `${wait}: ${poll.error} after ${after}: ${poll.message.split("\n")[0]}`,
    });
  }

  private apply(id: string, result: WallarooDeploymentStep | TransitionError, command?: string): boolean {
    if (result instanceof TransitionError) {
      this.note(id, `${command ?? "command"} refused: ${result.message}`);
      return false;
    }
    this.states.set(id, result.state);
    let scale: HistoryCause | null = command === undefined ? null : scaleCause(command);
    for (const change of result.changes) {
      if (change.type === "replicas") scale = scaleCause(change.cause);
      this.log.push({ id, change });
      // Inference outcomes are not activity: a script polling a dead deployment forever changes nothing.
      if (change.type !== "inference") this.lastActivity = Math.max(this.lastActivity, change.t);
      if (change.type === "status") {
        // The replica change that made this status, at the same instant (listed before or after it).
        const made = result.changes.find((c) => c.type === "replicas" && c.t === change.t);
        const cause = made?.type === "replicas" && command === undefined ? scaleCause(made.cause) : scale;
        this.entry("Deployment", id, change.status, change.reason, change.t, cause === null ? [] : [cause]);
      } else if (change.type === "replicas")
        this.notes.push({
          t: change.t / 1000,
          system: "wallaroo",
          id,
          text: `replicas ${change.replicas} (${change.ready} ready): ${change.cause}${change.utilization === null ? "" : ` at ${Math.round(change.utilization)}% CPU`}`,
        });
      else {
        this.notes.push({
          t: change.t / 1000,
          system: "wallaroo",
          id,
          text: `inference ${change.request} ${change.ok ? "served" : `failed: ${change.error}`} after ${change.waitedMs / 1000}s`,
        });
        this.tasks.answered(
          change.request,
          change.t,
          change.ok ? { ok: true } : { ok: false, error: change.error ?? "InferenceFailed" },
        );
      }
    }
    return true;
  }
}

function actionOf(e: WallarooDeploymentScenarioEvent): WallarooAction {
  if (e.load !== undefined)
    return {
      type: "load",
      id: e.load,
      load: { ratePerSecond: e.rate ?? 0, cpuSecondsPerRequest: e.cpuPerRequest ?? 0.1 },
    };
  if (e.infer !== undefined) return { type: "infer", id: e.infer, timeoutMs: e.timeout };
  if (e.wakeUp !== undefined)
    return { type: "wakeUp", id: e.wakeUp, task: e.task, everyMs: e.every, timeoutMs: e.taskTimeout };
  if (e.fail !== undefined) return { type: "fail", id: e.fail, reason: e.reason ?? "EngineFailed" };
  if (e.recover !== undefined) return { type: "recover", id: e.recover };
  if (e.undeploy !== undefined) return { type: "undeploy", id: e.undeploy };
  return { type: "deploy", id: e.deploy! };
}

/** Why a deployment's replicas (and so its status) changed, as a history's cause. */
function scaleCause(cause: string): HistoryCause {
  switch (cause) {
    case "deploy":
    case "undeploy":
      return { kind: "command", by: "scenario", what: `pipeline.${cause}()` };
    case "fail":
      return { kind: "fault", by: "scenario", what: "an engine fails" };
    case "recover":
      return { kind: "fault", by: "scenario", what: "the failure is over: a replica can be ready" };
    default:
      return { kind: "rule", by: "autoscaler", what: cause };
  }
}
