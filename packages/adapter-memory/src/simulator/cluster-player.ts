import {
  type ClusterChanges,
  type ClusterObject,
  type Condition,
  type StepRole,
  stepCondition,
  stepKinds,
  workflowPlans,
} from "@phasekit/core";
import { FirstFit, type Resources } from "./first-fit.js";

/**
 * The simulated kubelet and workloads: it plays the steps the operator creates. A step waits until a
 * node has room for what it requests (first fit, in the nodes' order; no nodes declared means room
 * for everything), then runs for its duration in simulated time and reports through the step
 * conditions of the control plane's vocabulary: a job `Complete` or `Failed`, a server `Available`.
 * A job of a workflow starts only once that workflow's servers are Available (the client needs its
 * inference server). A server holds its node until the operator deletes it; a job until it ends.
 *
 * The player decides; the simulator writes. `sync` and `fail` return the finishes to schedule,
 * `finish` the condition to write when one falls due. Its work per call follows what changed: the
 * cluster's change feed (`syncChanges`) says which steps came and went, the steps waiting for a
 * node are kept in a queue of their own, and each workflow's steps in an index.
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

interface Step {
  readonly kind: string;
  readonly name: string;
  readonly workflow: string;
  readonly workflowKind: string;
  readonly role: StepRole;
  readonly server: boolean;
  readonly resources: Resources;
  readonly seenAt: number;
  /** Order of arrival among all steps (a step created again under its name comes anew). */
  readonly seq: number;
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

const servers = new Map<string, boolean>();
/** Whether the plan of `workflowKind` runs `role` as a server (looked up once per kind and role). */
function isServer(workflowKind: string, role: StepRole): boolean {
  const key = `${workflowKind}/${role}`;
  let server = servers.get(key);
  if (server === undefined) {
    const template = workflowPlans[workflowKind]?.stages.flatMap((s) => s.steps).find((s) => s.role === role);
    servers.set(key, (server = template?.server === true));
  }
  return server;
}

function readStep(o: ClusterObject, now: number, seq: number): Step | undefined {
  const spec = o.spec as {
    workflow?: { kind?: unknown; id?: unknown };
    role?: unknown;
    resources?: Partial<Resources>;
  };
  if (typeof spec?.workflow?.id !== "string" || typeof spec.role !== "string") return undefined;
  const workflowKind = String(spec.workflow.kind);
  const role = spec.role as StepRole;
  const r = spec.resources ?? zero;
  return {
    kind: o.kind,
    name: o.name,
    workflow: spec.workflow.id,
    workflowKind,
    role,
    server: isServer(workflowKind, role),
    resources: { gpu: r.gpu ?? 0, cpu: r.cpu ?? 0, memoryGiB: r.memoryGiB ?? 0 },
    seenAt: now,
    seq,
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
  /** Workflow id -> its steps, in order of arrival. */
  private readonly byWorkflow = new Map<string, Set<Step>>();
  /** Steps not started yet, in the order they get a node: seen first, then by name, then arrival. */
  private queue: Step[] = [];
  /** Steps that arrived since the last `start`. */
  private fresh: Step[] = [];
  /**
   * Something may let a waiting step start now: a node got room back, or a workflow's servers may
   * have become ready. Until then, a step that found no room still finds none (free room only
   * shrinks), so `start` tries only the steps that just arrived.
   */
  private retryAll = true;
  /** The steps the last `start` found no room for. */
  private noRoomLastTry: Step[] = [];
  private readonly nodes: FirstFit | undefined;
  /** Armed failures: workflow id -> role -> when and why. */
  private readonly armed = new Map<string, Map<StepRole, { at: number; reason: string }>>();
  /** Steps that ended, as `<workflow>/<role>` (a failure armed for them comes too late). */
  private readonly ended = new Set<string>();
  private generations = 0;
  private arrivals = 0;

  constructor(
    nodes: readonly NodeCapacity[] | undefined,
    private readonly duration: StepDuration,
  ) {
    this.nodes = nodes && new FirstFit(nodes);
  }

  /** Takes in the cluster as it is now (every object): new steps queue, vanished ones free their node; then starts what fits. */
  sync(now: number, objects: readonly ClusterObject[]): Finish[] {
    const present = new Set<string>();
    const steps = objects.filter((o) => (stepKinds as readonly string[]).includes(o.kind));
    for (const o of steps) present.add(keyOf(o.kind, o.name));
    for (const [key, step] of this.steps) if (!present.has(key)) this.remove(key, step);
    this.add(now, steps);
    return this.start(now);
  }

  /**
   * Takes in what changed on the cluster, from its change feed over {@link stepKinds}: new steps
   * queue, deleted ones free their node; then starts what fits. A full listing counts as `sync`.
   *
   * @example
   * ```ts
   * const changes = backend.cluster.changesNow(stepKinds, cursor);
   * cursor = changes.cursor;
   * for (const finish of player.syncChanges(now, changes)) agenda.schedule(finish.at, finish);
   * ```
   */
  syncChanges(now: number, changes: ClusterChanges): Finish[] {
    // A full listing comes kind by kind in the order asked for; `sync` takes the cluster's own order.
    if (changes.full) return this.sync(now, [...changes.objects].sort(byKindThenName));
    for (const { kind, name } of changes.deleted) {
      const key = keyOf(kind, name);
      const step = this.steps.get(key);
      if (step) this.remove(key, step);
    }
    this.add(
      now,
      changes.objects.filter((o) => (stepKinds as readonly string[]).includes(o.kind)),
    );
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
    const step = this.stepOf(workflowId, role);
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
    if (type === "Available") {
      step.phase = "available";
      this.retryAll = true;
    } else {
      step.phase = "ended";
      this.ended.add(`${step.workflow}/${step.role}`);
      this.release(step);
    }
    return { kind: step.kind, name: step.name, condition: stepCondition(type, reason, at) };
  }

  /** Steps that found no node with room for them at their last try, in order of arrival (for the timeline's notes). */
  pending(): readonly string[] {
    return this.queue
      .filter((s) => s.noRoom && s.phase === "pending" && this.isPresent(s))
      .sort((a, b) => a.seq - b.seq)
      .map((s) => s.name);
  }

  /**
   * The steps the last sync found no room for, in order of arrival: the part of {@link pending} that
   * may be new since the sync before (a step still waiting from before was in `pending` then too).
   */
  noRoomAtLastSync(): readonly string[] {
    return this.noRoomLastTry.map((s) => s.name);
  }

  /** New steps among `objects` (step kinds only) join the queue; they arrive in the order given. */
  private add(now: number, objects: readonly ClusterObject[]): void {
    for (const o of objects) {
      const key = keyOf(o.kind, o.name);
      if (this.steps.has(key)) continue;
      const step = readStep(o, now, this.arrivals + 1);
      if (!step) continue;
      this.arrivals++;
      this.steps.set(key, step);
      let steps = this.byWorkflow.get(step.workflow);
      if (!steps) this.byWorkflow.set(step.workflow, (steps = new Set()));
      steps.add(step);
      this.fresh.push(step);
      // Time never goes back: a new step goes at the end, or among those seen at the same instant.
      this.queue.splice(this.queueIndex(step), 0, step);
    }
  }

  /** Where `step` is or belongs in the queue (binary search: the queue order is total). */
  private queueIndex(step: Step): number {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (queueOrder(this.queue[mid]!, step) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private isPresent(step: Step): boolean {
    return this.steps.get(keyOf(step.kind, step.name)) === step;
  }

  /** The first step of a workflow in that role, in order of arrival. */
  private stepOf(workflow: string, role: StepRole): Step | undefined {
    for (const s of this.byWorkflow.get(workflow) ?? []) if (s.role === role) return s;
    return undefined;
  }

  private remove(key: string, step: Step): void {
    this.release(step);
    this.steps.delete(key);
    const steps = this.byWorkflow.get(step.workflow);
    steps?.delete(step);
    if (steps?.size === 0) this.byWorkflow.delete(step.workflow);
    if (step.server) this.retryAll = true; // its workflow's jobs may have no server left to wait for
    // Left in the queue until `start` next goes through it whole: it skips steps no longer on the cluster.
  }

  private start(now: number): Finish[] {
    const finishes: Finish[] = [];
    const started: Step[] = [];
    this.noRoomLastTry = [];
    for (const step of this.retryAll ? this.queue : this.fresh.sort(queueOrder)) {
      if (!this.isPresent(step)) continue; // deleted while it waited
      if (!step.server && !this.serversReady(step.workflow)) continue;
      const node = this.place(step.resources);
      step.noRoom = node === undefined;
      if (node === undefined) {
        this.noRoomLastTry.push(step);
        continue;
      }
      started.push(step);
      step.node = node;
      step.phase = "running";
      const armed = this.armed.get(step.workflow)?.get(step.role);
      const natural = now + this.duration(step.workflowKind, step.workflow, step.role);
      if (armed && armed.at <= natural)
        finishes.push(this.end(step, Math.max(now, armed.at), "Failed", armed.reason));
      else if (step.server) finishes.push(this.end(step, natural, "Available", "Available"));
      else finishes.push(this.end(step, natural, "Complete", "Complete"));
    }
    if (this.retryAll) this.queue = this.queue.filter((s) => s.phase === "pending" && this.isPresent(s));
    else for (const step of started) this.queue.splice(this.queueIndex(step), 1);
    this.fresh = [];
    this.retryAll = false;
    this.noRoomLastTry.sort((a, b) => a.seq - b.seq);
    return finishes;
  }

  private end(step: Step, at: number, type: "Complete" | "Failed" | "Available", reason: string): Finish {
    // One counter for all steps: a step deleted and created again under its name never matches an old finish.
    step.generation = ++this.generations;
    step.ending = { at, type, reason };
    return { at, key: keyOf(step.kind, step.name), generation: step.generation };
  }

  private serversReady(workflow: string): boolean {
    for (const s of this.byWorkflow.get(workflow) ?? [])
      if (s.server && s.phase !== "available") return false;
    return true;
  }

  /** First fit; `null` (no node) when the cluster is unlimited; undefined when nothing fits now. */
  private place(r: Resources): number | null | undefined {
    return this.nodes === undefined ? null : this.nodes.take(r);
  }

  private release(step: Step): void {
    if (
      this.nodes &&
      step.node !== null &&
      (step.phase === "running" || step.phase === "available" || step.phase === "ended")
    ) {
      this.nodes.give(step.node, step.resources);
      this.retryAll = true;
    }
    step.node = null;
  }
}

const byKindThenName = (a: ClusterObject, b: ClusterObject) =>
  a.kind !== b.kind ? (a.kind < b.kind ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** The order steps get a node in: first seen first, then by name; arrival breaks the rest. */
const queueOrder = (a: Step, b: Step) =>
  a.seenAt - b.seenAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || a.seq - b.seq;
