import {
  type StatusRecord,
  type WallarooTaskRunEvent,
  type WallarooTaskRunReason,
  type WallarooTaskRunStatus,
  wallarooTaskRun,
} from "@phasekit/core";
import type { WallarooAction, WallarooDeploymentEngine } from "./engine.js";
import {
  type InferResult,
  type ScriptCall,
  type ScriptReply,
  seedWakeUpScript,
  type TaskScript,
} from "./script.js";

/**
 * Run Once tasks whose script is the seed's wake-up loop, run by the deployment engine in simulated
 * time: each is a Task Run (core's `wallarooTaskRun` machine: running, then success, failure or
 * timed_out) whose script calls `pipeline.status()`, `pipeline.infer()` and `time.sleep()` on the
 * engine. Status polls take no time; an inference takes until its outcome; a sleep, its length.
 *
 * @module
 */

interface Run {
  readonly id: string;
  readonly deployment: string;
  readonly script: TaskScript;
  record: StatusRecord<WallarooTaskRunStatus, WallarooTaskRunReason>;
  /** Bumped when the run ends, so a resume scheduled before is ignored. */
  gen: number;
  inferences: number;
  done: boolean;
}

type WakeUp = Extract<WallarooAction, { type: "wakeUp" }>;

/**
 * The wake-up task runs of one engine (the engine owns one: `engine.tasks`).
 *
 * @example
 * ```ts
 * engine.tasks.records().get("ccfraud-wakeup-1")?.status; // "success"
 * ```
 */
export class TaskRuns {
  private readonly runs = new Map<string, Run>();
  /** Inference request id -> the task run waiting for its outcome. */
  private readonly waiting = new Map<string, string>();
  private readonly started = new Map<string, number>();

  constructor(private readonly engine: WallarooDeploymentEngine) {}

  /** The task runs so far, by id: their status records. */
  records(): ReadonlyMap<string, StatusRecord<WallarooTaskRunStatus, WallarooTaskRunReason>> {
    return new Map([...this.runs].map(([id, run]) => [id, run.record]));
  }

  /** `orchestration.run_once(...)` of the wake-up script against `action.id`: a Task Run starts now. */
  start(action: WakeUp): void {
    const n = (this.started.get(action.id) ?? 0) + 1;
    this.started.set(action.id, n);
    const id = action.task ?? `${action.id}-wakeup-${n}`;
    if (this.runs.has(id)) {
      this.engine.note(id, `wake-up task refused: task run ${id} already exists`);
      return;
    }
    const run: Run = {
      id,
      deployment: action.id,
      script: seedWakeUpScript(action.everyMs ?? 10_000),
      record: wallarooTaskRun.initial(),
      gen: 0,
      inferences: 0,
      done: false,
    };
    this.runs.set(id, run);
    this.engine.entry("TaskRun", id, run.record.status, run.record.reason);
    if (action.timeoutMs !== undefined)
      this.engine.schedule(this.engine.now + action.timeoutMs, { type: "taskTimeout", task: id });
    this.drive(run, undefined);
  }

  /** A sleep ended or an inference's outcome arrived: the script continues with `reply`. */
  resume(task: string, gen: number, reply: unknown): void {
    const run = this.runs.get(task);
    if (run && !run.done && run.gen === gen) this.drive(run, reply as ScriptReply);
  }

  /** An inference's outcome: the run waiting for it continues at `t`. */
  answered(request: string, t: number, result: InferResult): void {
    const task = this.waiting.get(request);
    if (task === undefined) return;
    this.waiting.delete(request);
    const run = this.runs.get(task)!;
    this.engine.schedule(t, { type: "resume", task, gen: run.gen, reply: result });
  }

  /** The task's timeout passed: a run still going is timed_out and its script abandoned. */
  timeOut(task: string): void {
    const run = this.runs.get(task);
    if (run && !run.done) this.finish(run, "timeOut", "the task's timeout elapsed");
  }

  private drive(run: Run, first: ScriptReply): void {
    let reply = first;
    for (;;) {
      let next: IteratorResult<ScriptCall, void>;
      try {
        next = run.script.next(reply);
      } catch (e) {
        this.finish(run, "fail", e instanceof Error ? e.message : String(e));
        return;
      }
      if (next.done) {
        this.finish(run, "succeed", null);
        return;
      }
      const call = next.value;
      if (call.type === "status") {
        reply = this.engine.statusText(run.deployment);
        this.engine.note(run.id, `pipeline.status()["status"] is ${reply}`);
        continue;
      }
      if (call.type === "sleep") {
        const at = this.engine.now + call.ms;
        this.engine.schedule(at, { type: "resume", task: run.id, gen: run.gen, reply: undefined });
        return;
      }
      const request = `${run.id}/infer-${++run.inferences}`;
      this.waiting.set(request, run.id);
      this.engine.note(run.id, `pipeline.infer(${call.data}) as ${request}`);
      this.engine.infer(run.deployment, undefined, request);
      return;
    }
  }

  private finish(run: Run, event: WallarooTaskRunEvent, message: string | null): void {
    const next = wallarooTaskRun.step(run.record, { type: event, message });
    run.done = true;
    run.gen++;
    for (const [request, task] of this.waiting) if (task === run.id) this.waiting.delete(request);
    if (next instanceof Error) {
      this.engine.note(run.id, `task run could not ${event}: ${next.message}`);
      return;
    }
    run.script.return();
    run.record = next;
    this.engine.entry("TaskRun", run.id, next.status, next.reason);
    if (message) this.engine.note(run.id, message);
  }
}
