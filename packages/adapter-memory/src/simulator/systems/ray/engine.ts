import {
  cancelRayWorkflow,
  completeRayStep,
  failRayStep,
  failRaySystem,
  finishRayWorkflow,
  getRayMetadata,
  getRayStatus,
  type HistoryCause,
  type RayStepMetadata,
  type RayWorkflowMetadata,
  type RayWorkflows,
  rayExecutorOf,
  rayStepRetries,
  rayWorkflows,
  resumeAllRayWorkflows,
  resumeRayWorkflow,
  runRayWorkflow,
  startRayStep,
  submitRayStep,
} from "@phasekit/core";
import { Agenda } from "../../agenda.js";
import type { TimelineEntry } from "../../timeline.js";
import { epochSeconds, type SystemNote } from "../fields.js";
import { type RayAction, rayActingOf } from "./causes.js";
import { checkRayState } from "./invariants.js";
import type { RayLimits, RayScenarioEvent, RayWorkflowSpec } from "./scenario.js";

/**
 * The Ray engine: workflows of steps run by Ray Workflows in simulated time, through core's pure
 * operations (`runRayWorkflow`, `submitRayStep`, `startRayStep`, `completeRayStep`, `failRayStep`,
 * `finishRayWorkflow`, `failRaySystem`, `resumeRayWorkflow`, `cancelRayWorkflow`): the engine only
 * decides when each is called, following the scenario's script (how long each step runs, how many of
 * its executions raise). Statuses are read back with `getRayStatus`, so RESUMABLE is derived, never
 * written, exactly as `get_status` and `get_metadata` see it.
 *
 * @module
 */

/** The step a running workflow executes now, and how many of its executions raised in this run. */
interface Cursor {
  readonly index: number;
  readonly stepId: string;
  raised: number;
}

/**
 * Ray Workflows in simulated time. Drive it from a scenario (`plan`, then `advanceTo`) or command by
 * command (`run`, `resume`, `cancel`, `restartCluster`, `advanceTo`); query `metadata` afterwards.
 *
 * @example
 * ```ts
 * const engine = new RayEngine(raySection.parse({ maxRunning: 1 }));
 * engine.run(rayWorkflow.parse({ system: "ray", kind: "Workflow", id: "w", steps: [{ name: "add", takes: "10s" }] }));
 * engine.advanceTo(60_000);
 * engine.metadata("w"); // { status: "SUCCESSFUL", user_metadata: {}, stats: { start_time, end_time } }
 * ```
 */
export class RayEngine {
  readonly timeline: TimelineEntry[] = [];
  readonly notes: SystemNote[] = [];
  /** Queue limits exceeded, a stored RESUMABLE, inconsistent stats (an invariant: this stays empty). */
  readonly breaches: string[] = [];
  /** Operations core refused where the script expected them to succeed (an invariant: stays empty). */
  readonly errors: string[] = [];
  state: RayWorkflows;
  now = 0;
  private readonly agenda = new Agenda<RayAction>();
  private readonly specs = new Map<string, RayWorkflowSpec>();
  private readonly cursors = new Map<string, Cursor>();
  private readonly gens = new Map<string, number>();
  /** Executions so far of each step (`<workflow>#<index>`), over the whole simulation. */
  private readonly executions = new Map<string, number>();
  private readonly stepIds = new Map<string, string[]>();
  private readonly shown = new Map<string, string>();
  /** What the action being performed is, and whom it concerns: the cause of the changes it shows. */
  private acting: { readonly id: string; cause: HistoryCause } | null = null;

  constructor(readonly limits: RayLimits) {
    this.state = rayWorkflows({
      maxRunning: limits.maxRunning,
      maxPending: limits.maxPending,
    }) as RayWorkflows;
  }

  /** Schedules the scenario's workflows and events. */
  plan(workflows: readonly RayWorkflowSpec[], events: readonly RayScenarioEvent[]): void {
    for (const spec of workflows) this.agenda.schedule(spec.at, { type: "run", spec });
    for (const e of events) {
      if (e.restartCluster) this.agenda.schedule(e.at, { type: "restartCluster" });
      else if (e.resume !== undefined) this.agenda.schedule(e.at, { type: "resume", id: e.resume });
      else if (e.resumeAll)
        this.agenda.schedule(e.at, { type: "resumeAll", includeFailed: e.includeFailed === true });
      else if (e.cancel !== undefined) this.agenda.schedule(e.at, { type: "cancel", id: e.cancel });
    }
  }

  get t(): number {
    return this.now / 1000;
  }

  /** `workflow.run` now. */
  run(spec: RayWorkflowSpec): void {
    this.perform({ type: "run", spec });
  }

  resume(id: string): void {
    this.perform({ type: "resume", id });
  }

  /** `workflow.resume_all(include_failed)` now. */
  resumeAll(includeFailed = false): void {
    this.perform({ type: "resumeAll", includeFailed });
  }

  cancel(id: string): void {
    this.perform({ type: "cancel", id });
  }

  restartCluster(): void {
    this.perform({ type: "restartCluster" });
  }

  nextDue(): number | undefined {
    this.agenda.dropWhile((a) => a.type === "executed" && this.gen(a.id) !== a.gen);
    return this.agenda.next();
  }

  advanceTo(until: number): void {
    for (let at = this.nextDue(); at !== undefined && at <= until; at = this.nextDue()) {
      this.now = Math.max(this.now, at);
      for (const action of this.agenda.takeDue(at)) this.perform(action);
    }
    this.now = Math.max(this.now, until);
  }

  /** `workflow.get_metadata(id)`, or `get_metadata(id, name)` for a step, as it stands now. */
  metadata(id: string): RayWorkflowMetadata | Error;
  metadata(id: string, name: string): RayStepMetadata | Error;
  metadata(id: string, name?: string): RayWorkflowMetadata | RayStepMetadata | Error {
    return name === undefined ? getRayMetadata(this.state, id) : getRayMetadata(this.state, id, name);
  }

  /**
   * `get_metadata` of every workflow the run stored, each with its steps' metadata by step id, as
   * plain JSON (what the simulator's summary prints).
   */
  allMetadata(): Record<string, RayWorkflowMetadata & { readonly steps: Record<string, RayStepMetadata> }> {
    const out: Record<string, RayWorkflowMetadata & { readonly steps: Record<string, RayStepMetadata> }> = {};
    for (const [id, wf] of this.state.storage) {
      const steps: Record<string, RayStepMetadata> = {};
      for (const stepId of wf.steps.keys())
        steps[stepId] = getRayMetadata(this.state, id, stepId) as RayStepMetadata;
      out[id] = { ...(getRayMetadata(this.state, id) as RayWorkflowMetadata), steps };
    }
    return out;
  }

  private perform(action: RayAction): void {
    const at = epochSeconds(this.now);
    this.acting = rayActingOf(action);
    switch (action.type) {
      case "run": {
        this.specs.set(action.spec.id, action.spec);
        const r = runRayWorkflow(this.state, {
          workflowId: action.spec.id,
          at,
          metadata: action.spec.metadata,
        });
        if (r instanceof Error) this.note(action.spec.id, `run refused: ${r.message}`);
        else this.state = r.state;
        this.advance(action.spec.id);
        break;
      }
      case "resume": {
        const r = resumeRayWorkflow(this.state, { workflowId: action.id, at });
        if (r instanceof Error) this.note(action.id, `resume refused: ${r.message}`);
        else {
          this.state = r.state;
          this.note(action.id, `resumed: ${r.status}`);
          this.observe(); // its steps to rerun show PENDING before one starts again
        }
        this.advance(action.id);
        break;
      }
      case "resumeAll": {
        const r = resumeAllRayWorkflows(this.state, { at, includeFailed: action.includeFailed });
        if (r instanceof Error) {
          this.note("-", `resume_all refused: ${r.message}`);
          break;
        }
        this.state = r.state;
        this.note(
          "-",
          `resume_all: ${r.resumed.map(([id, st]) => `${id} ${st}`).join(", ") || "nothing to resume"}`,
        );
        this.observe();
        for (const [id] of r.resumed) this.advance(id);
        break;
      }
      case "cancel": {
        const r = cancelRayWorkflow(this.state, { workflowId: action.id, at });
        if (r instanceof Error) this.note(action.id, `cancel refused: ${r.message}`);
        else if (r.waitsFor !== null) {
          this.state = r.state;
          this.note(
            action.id,
            "cancel of a queued workflow does nothing (Ray 2.47: its executor has no running task); it runs once promoted, and cancel returns when it ends",
          );
        } else {
          this.state = r.state;
          this.stop(action.id);
          this.note(action.id, "canceled");
          if (r.promoted !== null) this.advance(r.promoted);
        }
        break;
      }
      case "restartCluster": {
        const { state, lost } = failRaySystem(this.state);
        this.state = state;
        for (const id of lost) this.stop(id);
        this.note(
          "-",
          `the Ray cluster restarts: ${lost.length === 0 ? "no workflow was active" : `${lost.join(", ")} lose their executors`}`,
        );
        break;
      }
      case "executed":
        if (this.gen(action.id) === action.gen) this.executed(action.id);
    }
    this.observe();
  }

  private gen(id: string): number {
    return this.gens.get(id) ?? 0;
  }

  /** The workflow's run is over (finished, canceled, or its executor lost): its step timer no longer fires. */
  private stop(id: string): void {
    this.gens.set(id, this.gen(id) + 1);
    this.cursors.delete(id);
  }

  /** If the workflow runs, its next unfinished step starts; with none left, it ends SUCCESSFUL. */
  private advance(id: string): void {
    if (rayExecutorOf(this.state.queue, id) !== "RUNNING" || this.cursors.has(id)) return;
    const spec = this.specs.get(id)!;
    const ids = this.stepIds.get(id) ?? [];
    const wf = this.state.storage.get(id)!;
    const index = spec.steps.findIndex(
      (_, k) => ids[k] === undefined || wf.steps.get(ids[k]!)?.record.status !== "SUCCESSFUL",
    );
    if (index < 0) {
      this.finish(id, "SUCCESSFUL");
      return;
    }
    let stepId = ids[index];
    if (stepId === undefined) {
      const s = spec.steps[index]!;
      const submitted = submitRayStep(this.state, {
        workflowId: id,
        ...(s.name !== undefined && { name: s.name }),
        ...(s.func !== undefined && { func: s.func }),
        ...(s.stepType !== undefined && { stepType: s.stepType }),
        options: s.options,
        metadata: s.metadata,
      });
      if (submitted instanceof Error) {
        this.fail(id, `submit step ${index}`, submitted);
        return;
      }
      this.state = submitted.state;
      stepId = submitted.stepId;
      this.stepIds.set(id, Object.assign([...ids], { [index]: stepId }));
    }
    const started = startRayStep(this.state, { workflowId: id, stepId, at: epochSeconds(this.now) });
    if (started instanceof Error) {
      this.fail(id, `start step ${stepId}`, started);
      return;
    }
    this.state = started.state;
    this.cursors.set(id, { index, stepId, raised: 0 });
    this.execute(id);
  }

  private execute(id: string): void {
    const cursor = this.cursors.get(id)!;
    const takes = this.specs.get(id)!.steps[cursor.index]!.takes;
    this.agenda.schedule(this.now + takes, { type: "executed", id, gen: this.gen(id) });
  }

  /** One execution of the current step ended: it returned, or it raised (then Ray retries, catches, or fails). */
  private executed(id: string): void {
    const cursor = this.cursors.get(id)!;
    const key = `${id}#${cursor.index}`;
    const n = (this.executions.get(key) ?? 0) + 1;
    this.executions.set(key, n);
    const raises = n <= this.specs.get(id)!.steps[cursor.index]!.raises;
    this.acting = {
      id,
      cause: {
        kind: "rule",
        by: "ray",
        what: `step ${cursor.stepId} ${raises ? `raised (execution ${n})` : "returned"}`,
      },
    };
    const input = { workflowId: id, stepId: cursor.stepId, at: epochSeconds(this.now) };
    const options = this.state.storage.get(id)!.steps.get(cursor.stepId)!.step_options;
    if (raises) {
      cursor.raised++;
      if (rayStepRetries(options, cursor.raised, this.limits.retrySemantics)) {
        this.execute(id);
        return;
      }
    }
    if (!raises || options.catch_exceptions) {
      const done = completeRayStep(this.state, input);
      if (done instanceof Error) {
        this.fail(id, `complete step ${cursor.stepId}`, done);
        return;
      }
      this.state = done.state;
      this.cursors.delete(id);
      this.advance(id);
      return;
    }
    const failed = failRayStep(this.state, input);
    if (failed instanceof Error) {
      this.fail(id, `fail step ${cursor.stepId}`, failed);
      return;
    }
    this.state = failed.state;
    this.note(
      id,
      options.retry_exceptions || this.limits.retrySemantics === "1.x"
        ? `step ${cursor.stepId} raised ${cursor.raised} time(s), retries spent: the workflow fails`
        : `step ${cursor.stepId} raised: an application error is not retried without retry_exceptions (Ray 2.x): the workflow fails`,
    );
    this.finish(id, "FAILED");
  }

  private finish(id: string, outcome: "SUCCESSFUL" | "FAILED"): void {
    const r = finishRayWorkflow(this.state, { workflowId: id, at: epochSeconds(this.now), outcome });
    if (r instanceof Error) {
      this.fail(id, `finish ${outcome}`, r);
      return;
    }
    this.state = r.state;
    this.stop(id);
    if (r.promoted !== null) this.advance(r.promoted);
  }

  private fail(id: string, what: string, error: Error): void {
    this.errors.push(`t=${this.t}s ${id}: ${what}: ${error.message}`);
  }

  /** Records each workflow and step whose status changed, and checks the queue and storage. */
  private observe(): void {
    for (const [id, wf] of this.state.storage) {
      this.show("Workflow", id, getRayStatus(this.state, id) as string);
      for (const [stepId, step] of wf.steps) this.show("Step", `${id}/${stepId}`, step.record.status);
    }
    this.breaches.push(...checkRayState(this.state).map((b) => `t=${this.t}s: ${b}`));
  }

  private show(kind: string, id: string, status: string): void {
    if (this.shown.get(id) === status) return;
    this.shown.set(id, status);
    const workflow = kind === "Step" ? id.slice(0, id.indexOf("/")) : id;
    const a = this.acting;
    const cause: HistoryCause | null =
      a === null
        ? null
        : a.id === "-" || a.id === workflow
          ? a.cause
          : { kind: "rule", by: "ray", what: `max_running_workflows: ${a.id} freed a running slot` };
    const meta =
      kind === "Step" ? this.metadata(workflow, id.slice(workflow.length + 1)) : this.metadata(workflow);
    const stats = meta instanceof Error ? {} : (meta.stats as { start_time?: number; end_time?: number });
    this.timeline.push({
      t: this.t,
      system: "ray",
      kind,
      id,
      status,
      reason: null,
      causes: cause === null ? [] : [cause],
      facts: { start_time: stats.start_time ?? null, end_time: stats.end_time ?? null },
    });
  }

  private note(id: string, text: string): void {
    this.notes.push({ t: this.t, system: "ray", id, text });
  }
}
