import {
  type ClusterObject,
  type Condition,
  type StepRole,
  stepCondition,
  stepKinds,
  workflowPlans,
} from "@phasekit/core";

/**
 * The simulated kubelet and workloads: it plays the steps the operator creates. A step waits until a
 * node has room for what it requests (first fit, in the nodes' order; no nodes declared means room
 * for everything), then runs for its duration in simulated time and reports through the step
 * conditions of the control plane's vocabulary: a job `Complete` or `Failed`, a server `Available`.
 * A job of a workflow starts only once that workflow's servers are Available (the client needs its
 * inference server). A server holds its node until the operator deletes it; a job until it ends.
 *
 * The player decides; the simulator writes. `sync` and `fail` return the finishes to schedule,
 * `finish` the condition to write when one falls due.
 *
 * @module
 */

/** A node's capacity. */
export interface NodeCapacity {
  readonly name: string;
  readonly gpu: number;
  readonly cpu: number;
  readonly memoryGiB: number;
}

interface Resources {
  readonly gpu: number;
  readonly cpu: number;
  readonly memoryGiB: number;
}

interface Step {
  readonly kind: string;
  readonly name: string;
  readonly workflow: string;
  readonly workflowKind: string;
  readonly role: StepRole;
  readonly server: boolean;
  readonly resources: Resources;
  readonly seenAt: number;
  phase: "pending" | "running" | "available" | "ended";
  /** No node had room for it at its last try. */
  noRoom: boolean;
  node: number | null;
  /** Renewed whenever the step's end is (re)scheduled: a finish carrying another generation is stale. */
  generation: number;
  ending: {
    readonly at: number;
    readonly type: "Complete" | "Failed" | "Available";
    readonly reason: string;
  } | null;
}

/** A finish to schedule: at `at`, call `finish(key, generation)`. */
export interface Finish {
  readonly at: number;
  readonly key: string;
  readonly generation: number;
}

/** A condition to write on a step object. */
export interface StepWrite {
  readonly kind: string;
  readonly name: string;
  readonly condition: Condition;
}

/** How long a step of a workflow runs (a server: how long it takes to become Available). */
export type StepDuration = (workflowKind: string, workflowId: string, role: StepRole) => number;

const zero: Resources = { gpu: 0, cpu: 0, memoryGiB: 0 };
const keyOf = (kind: string, name: string) => `${kind}/${name}`;

function readStep(o: ClusterObject, now: number): Step | undefined {
  const spec = o.spec as {
    workflow?: { kind?: unknown; id?: unknown };
    role?: unknown;
    resources?: Partial<Resources>;
  };
  if (typeof spec?.workflow?.id !== "string" || typeof spec.role !== "string") return undefined;
  const workflowKind = String(spec.workflow.kind);
  const role = spec.role as StepRole;
  const template = workflowPlans[workflowKind]?.stages.flatMap((s) => s.steps).find((s) => s.role === role);
  const r = spec.resources ?? zero;
  return {
    kind: o.kind,
    name: o.name,
    workflow: spec.workflow.id,
    workflowKind,
    role,
    server: template?.server === true,
    resources: { gpu: r.gpu ?? 0, cpu: r.cpu ?? 0, memoryGiB: r.memoryGiB ?? 0 },
    seenAt: now,
    phase: "pending",
    noRoom: false,
    node: null,
    generation: 0,
    ending: null,
  };
}

/**
 * The step a failure with `reason` hits: the first job of the stage that fails with it (else its first step).
 *
 * @example
 * ```ts
 * failureRole("Evaluation", "VerificationFailed"); // "verify"
 * ```
 */
export function failureRole(workflowKind: string, reason: string): StepRole | undefined {
  const stage = workflowPlans[workflowKind]?.stages.find((s) => s.failureReason === reason);
  return (stage?.steps.find((s) => !s.server) ?? stage?.steps[0])?.role;
}

/**
 * The simulated cluster's steps: what runs where, and when each ends.
 *
 * @example
 * ```ts
 * const player = new ClusterPlayer([{ name: "gpu-1", gpu: 1, cpu: 8, memoryGiB: 64 }], () => 60_000);
 * const finishes = player.sync(now, backend.cluster.objects()); // schedule each at finish.at
 * const write = player.finish(finishes[0].key, finishes[0].generation, simulatedTime(finishes[0].at));
 * ```
 */
export class ClusterPlayer {
  private readonly steps = new Map<string, Step>();
  private readonly free: Resources[];
  /** Armed failures: workflow id -> role -> when and why. */
  private readonly armed = new Map<string, Map<StepRole, { at: number; reason: string }>>();
  /** Steps that ended, as `<workflow>/<role>` (a failure armed for them comes too late). */
  private readonly ended = new Set<string>();
  private generations = 0;

  constructor(
    private readonly nodes: readonly NodeCapacity[] | undefined,
    private readonly duration: StepDuration,
  ) {
    this.free = (nodes ?? []).map((n) => ({ gpu: n.gpu, cpu: n.cpu, memoryGiB: n.memoryGiB }));
  }

  /** Takes in the cluster as it is now: new steps queue, vanished ones free their node; then starts what fits. */
  sync(now: number, objects: readonly ClusterObject[]): Finish[] {
    const present = new Set<string>();
    for (const o of objects) {
      if (!(stepKinds as readonly string[]).includes(o.kind)) continue;
      const key = keyOf(o.kind, o.name);
      present.add(key);
      if (!this.steps.has(key)) {
        const step = readStep(o, now);
        if (step) this.steps.set(key, step);
      }
    }
    for (const [key, step] of this.steps) {
      if (present.has(key)) continue;
      this.release(step);
      this.steps.delete(key);
    }
    return this.start(now);
  }

  /**
   * Arms a failure of a workflow's work: the step of the failing stage fails at `now` if it runs now
   * (`now`), or when it starts (`armed`); `late` when that step has already ended.
   */
  fail(
    now: number,
    workflowKind: string,
    workflowId: string,
    reason: string,
  ): { readonly effect: "now" | "armed" | "late"; readonly finishes: Finish[] } {
    const role = failureRole(workflowKind, reason);
    if (role === undefined || this.ended.has(`${workflowId}/${role}`))
      return { effect: "late", finishes: [] };
    let byRole = this.armed.get(workflowId);
    if (!byRole) this.armed.set(workflowId, (byRole = new Map()));
    byRole.set(role, { at: now, reason });
    const step = [...this.steps.values()].find((s) => s.workflow === workflowId && s.role === role);
    if (step?.phase !== "running") return { effect: "armed", finishes: [] };
    return { effect: "now", finishes: [this.end(step, now, "Failed", reason)] };
  }

  /** True when a scheduled finish no longer matters (its step is gone or was rescheduled). */
  isStale(key: string, generation: number): boolean {
    const step = this.steps.get(key);
    return !step || step.generation !== generation || step.phase !== "running";
  }

  /** The condition to write when a scheduled finish falls due (stamped `at`), or undefined when it went stale. */
  finish(key: string, generation: number, at: string): StepWrite | undefined {
    const step = this.steps.get(key);
    if (!step || this.isStale(key, generation) || !step.ending) return undefined;
    const { type, reason } = step.ending;
    if (type === "Available") step.phase = "available";
    else {
      step.phase = "ended";
      this.ended.add(`${step.workflow}/${step.role}`);
      this.release(step);
    }
    return { kind: step.kind, name: step.name, condition: stepCondition(type, reason, at) };
  }

  /** Steps that found no node with room for them at their last try, in queue order (for the timeline's notes). */
  pending(): readonly string[] {
    return [...this.steps.values()].filter((s) => s.phase === "pending" && s.noRoom).map((s) => s.name);
  }

  private start(now: number): Finish[] {
    const finishes: Finish[] = [];
    const queue = [...this.steps.values()]
      .filter((s) => s.phase === "pending")
      .sort((a, b) => a.seenAt - b.seenAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const step of queue) {
      if (!step.server && !this.serversReady(step.workflow)) continue;
      const node = this.place(step.resources);
      step.noRoom = node === undefined;
      if (node === undefined) continue;
      step.node = node;
      step.phase = "running";
      const armed = this.armed.get(step.workflow)?.get(step.role);
      const natural = now + this.duration(step.workflowKind, step.workflow, step.role);
      if (armed && armed.at <= natural)
        finishes.push(this.end(step, Math.max(now, armed.at), "Failed", armed.reason));
      else if (step.server) finishes.push(this.end(step, natural, "Available", "Available"));
      else finishes.push(this.end(step, natural, "Complete", "Complete"));
    }
    return finishes;
  }

  private end(step: Step, at: number, type: "Complete" | "Failed" | "Available", reason: string): Finish {
    // One counter for all steps: a step deleted and created again under its name never matches an old finish.
    step.generation = ++this.generations;
    step.ending = { at, type, reason };
    return { at, key: keyOf(step.kind, step.name), generation: step.generation };
  }

  private serversReady(workflow: string): boolean {
    for (const s of this.steps.values())
      if (s.workflow === workflow && s.server && s.phase !== "available") return false;
    return true;
  }

  /** First fit; `null` (no node) when the cluster is unlimited; undefined when nothing fits now. */
  private place(r: Resources): number | null | undefined {
    if (this.nodes === undefined) return null;
    const i = this.free.findIndex((f) => f.gpu >= r.gpu && f.cpu >= r.cpu && f.memoryGiB >= r.memoryGiB);
    if (i < 0) return undefined;
    const f = this.free[i]!;
    this.free[i] = { gpu: f.gpu - r.gpu, cpu: f.cpu - r.cpu, memoryGiB: f.memoryGiB - r.memoryGiB };
    return i;
  }

  private release(step: Step): void {
    if (
      step.node !== null &&
      (step.phase === "running" || step.phase === "available" || step.phase === "ended")
    ) {
      const f = this.free[step.node]!;
      const r = step.resources;
      this.free[step.node] = { gpu: f.gpu + r.gpu, cpu: f.cpu + r.cpu, memoryGiB: f.memoryGiB + r.memoryGiB };
    }
    step.node = null;
  }
}
