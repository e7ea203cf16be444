import { TransitionError } from "../../lifecycle/errors.js";
import type { LifecycleEventOf } from "../../lifecycle/lifecycle.js";
import { trustedTime } from "../../lifecycle/time.js";
import {
  type WallarooAutoscaleDecision,
  wallarooAutoscale,
  wallarooAutoscalePeriodMs,
  wallarooQueueAutoscale,
  wallarooQueueDepth,
  wallarooScaleDownStabilizationMs,
} from "./autoscaler.js";
import { wallarooDeployment } from "./deployment.js";
import {
  type WallarooDeploymentChange,
  type WallarooDeploymentState,
  type WallarooDeploymentStep,
  type WallarooInferenceError,
  type WallarooPendingInference,
  type WallarooReplica,
  type WallarooScaleCause,
  wallarooReadyReplicas,
} from "./deployment-state.js";

/**
 * How time passes for a deployment (internal): a mutable draft each operation works on, and the
 * happenings nobody asks for (a replica ready, a request's deadline, the idle rule, an autoscaler
 * evaluation), run in time order.
 *
 * @module
 */

/** A mutable working copy: each operation builds one, changes it, and freezes it back into data. */
export class Draft {
  readonly changes: WallarooDeploymentChange[] = [];
  constructor(public s: WallarooDeploymentState) {}

  set(patch: Partial<WallarooDeploymentState>): void {
    this.s = { ...this.s, ...patch };
  }

  step(event: LifecycleEventOf<typeof wallarooDeployment>): TransitionError | undefined {
    const next = trustedTime(
      wallarooDeployment.step(this.s.record, {
        ...event,
        at: new Date(this.s.origin + this.s.now).toISOString(),
      }),
    );
    if (next instanceof TransitionError) return next;
    if (next.status !== this.s.record.status || next.reason !== this.s.record.reason)
      this.changes.push({ t: this.s.now, type: "status", status: next.status, reason: next.reason });
    this.set({ record: next });
    return undefined;
  }

  spoolUp(): number {
    // mulberry32: a pure, seeded draw (core may not use Math.random).
    const rng = (this.s.rng + 0x6d2b79f5) >>> 0;
    let t = Math.imul(rng ^ (rng >>> 15), rng | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    this.set({ rng });
    return this.s.spoolUpMs + Math.floor(u * (this.s.spoolUpJitterMs + 1));
  }

  replicas(
    list: readonly WallarooReplica[],
    cause: WallarooScaleCause,
    utilization: number | null = null,
  ): void {
    this.set({ replicas: list });
    const ready = list.filter((r) => r.readyAt <= this.s.now).length;
    this.changes.push({ t: this.s.now, type: "replicas", replicas: list.length, ready, cause, utilization });
  }

  add(count: number): WallarooReplica[] {
    const added: WallarooReplica[] = [];
    for (let i = 0; i < count; i++) added.push({ readyAt: this.s.now + this.spoolUp() });
    return [...this.s.replicas, ...added];
  }

  resolve(request: WallarooPendingInference, error: WallarooInferenceError | null): void {
    this.set({ pending: this.s.pending.filter((p) => p !== request) });
    const waitedMs = this.s.now - request.at;
    this.changes.push({
      t: this.s.now,
      type: "inference",
      request: request.id,
      ok: error === null,
      error,
      waitedMs,
    });
  }

  done(): WallarooDeploymentStep {
    return { state: this.s, changes: this.changes };
  }
}

type Internal = { readonly t: number; readonly run: (d: Draft) => void };

/** The next thing that happens by itself (a replica ready, a deadline, the idle rule, an evaluation). */
export function nextInternal(s: WallarooDeploymentState): Internal | undefined {
  const candidates: Internal[] = [];
  const ready = s.replicas.filter((r) => r.readyAt <= s.now).length;
  const spooling = s.replicas.filter((r) => r.readyAt > s.now).map((r) => r.readyAt);
  if (spooling.length > 0) candidates.push({ t: Math.min(...spooling), run: replicaReady });
  for (const p of s.pending) candidates.push({ t: p.deadline, run: (d) => d.resolve(p, "InferenceTimeout") });
  const idle =
    s.config !== null &&
    s.config.minimum === 0 &&
    ready > 0 &&
    s.idleSince !== null &&
    s.pending.length === 0;
  if (idle && s.config !== null && s.idleSince !== null)
    candidates.push({
      t: Math.max(s.now, s.idleSince + s.config.idlePeriodSeconds * 1000),
      run: scaleToZero,
    });
  if (s.nextEvaluation !== null) candidates.push({ t: s.nextEvaluation, run: evaluate });
  // Earliest first; at one instant in listing order: ready before deadlines, deadlines before idle.
  return candidates.reduce<Internal | undefined>(
    (best, c) => (best === undefined || c.t < best.t ? c : best),
    undefined,
  );
}

function replicaReady(d: Draft): void {
  d.replicas(d.s.replicas, "ready");
  // The first ready replica (or several ready at one instant) makes the deployment Running.
  if (d.s.record.status !== "Running") {
    d.step({ type: "replicaReady" });
    d.set({ nextEvaluation: d.s.now + wallarooAutoscalePeriodMs });
  }
  for (const p of [...d.s.pending]) d.resolve(p, null);
}

function scaleToZero(d: Draft): void {
  d.step({ type: "scaleToZero" });
  d.replicas([], "scaleToZero");
  d.set({ nextEvaluation: null, recent: [], depths: [] });
}

/** Removes replicas down to `count`: the ones still spooling first, then the newest ready ones. */
function keep(s: WallarooDeploymentState, count: number) {
  return [...s.replicas].sort((a, b) => a.readyAt - b.readyAt).slice(0, count);
}

/** Queue-depth autoscaling (wallaroo 2026.1.3 `scale_up_queue_depth`): one replica more or less. */
function evaluateQueue(d: Draft): void {
  const s = d.s;
  if (s.config === null || s.config.queue === null) return;
  const windowMs = s.config.queue.autoscalingWindowSeconds * 1000;
  const sample = { t: s.now, depth: wallarooQueueDepth(s.load, s.pending.length, wallarooReadyReplicas(s)) };
  const depths = [...s.depths.filter((x) => x.t > s.now - windowMs), sample];
  const { config } = s;
  const decision = wallarooQueueAutoscale({
    config: { minimum: config.minimum, maximum: config.maximum, queue: config.queue! },
    replicas: s.replicas.length,
    depths: depths.map((x) => x.depth),
  });
  d.set({ depths, nextEvaluation: s.now + wallarooAutoscalePeriodMs });
  // Utilisation is reported in percent of the scale-up threshold for queue autoscaling.
  const level = (decision.depth / config.queue!.scaleUpQueueDepth) * 100;
  if (decision.desired > s.replicas.length)
    d.replicas(d.add(decision.desired - s.replicas.length), "scaleUp", level);
  else if (decision.desired < s.replicas.length) d.replicas(keep(s, decision.desired), "scaleDown", level);
}

function evaluate(d: Draft): void {
  const s = d.s;
  if (s.config === null) return;
  if (s.config.queue !== null) {
    evaluateQueue(d);
    return;
  }
  const recent = s.recent.filter((r) => r.t > s.now - wallarooScaleDownStabilizationMs);
  const decision: WallarooAutoscaleDecision = wallarooAutoscale({
    config: s.config,
    replicas: s.replicas.length,
    ready: wallarooReadyReplicas(s),
    load: s.load,
    recent: recent.map((r) => r.desired),
  });
  d.set({
    recent: [...recent, { t: s.now, desired: decision.recommendation }],
    nextEvaluation: s.now + wallarooAutoscalePeriodMs,
  });
  if (decision.desired > s.replicas.length)
    d.replicas(d.add(decision.desired - s.replicas.length), "scaleUp", decision.utilization);
  else if (decision.desired < s.replicas.length)
    d.replicas(keep(s, decision.desired), "scaleDown", decision.utilization);
}

/** Runs every internal happening up to and including `to`; then the state's instant is `to`. */
export function runUntil(d: Draft, to: number): void {
  if (to < d.s.now)
    throw new RangeError(`wallaroo deployment: time ${to} ms is before the state's ${d.s.now} ms`);
  for (let next = nextInternal(d.s); next !== undefined && next.t <= to; next = nextInternal(d.s)) {
    d.set({ now: next.t });
    next.run(d);
  }
  d.set({ now: to });
}

/** A request arrived at `at`: the deployment is not idle, and at zero replicas it wakes up. */
export function request(d: Draft): void {
  if (d.s.load.ratePerSecond === 0) d.set({ idleSince: d.s.now });
  // A deployment whose maximum is 0 cannot wake: nothing ever serves it (the SDK allows 0 and 0).
  const canWake = d.s.config !== null && d.s.config.maximum > 0;
  if (d.s.record.status === "Starting" && d.s.record.reason === "ScaledToZero" && canWake) {
    d.step({ type: "wake" });
    d.replicas(d.add(1), "wake");
  }
}
